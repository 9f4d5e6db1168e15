"""Who presents, kept beside the roster document (issue 11, load).

Recording an outcome asks whether the member presents; reading it from the document decoded
every member's history and the ledger (4 MB at 20,000 members) inside each write transaction.

Revision ID: 0d41c7a9e5b3
Revises: f5b2c7e80a21
Create Date: 2026-11-22 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0d41c7a9e5b3'
down_revision: str | None = 'f5b2c7e80a21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('rosters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presenters', _JSON, nullable=True))
    rosters = sa.table(
        'rosters',
        sa.column('plenary_id', sa.String()),
        sa.column('document', _JSON),
        sa.column('presenters', _JSON),
    )
    connection = op.get_bind()
    drawn = connection.execute(
        sa.select(rosters.c.plenary_id, rosters.c.document).where(
            rosters.c.document.is_not(None)
        )
    )
    for plenary_id, document in drawn.all():
        if document is None:  # a JSON null, not SQL NULL
            continue
        connection.execute(
            rosters.update()
            .where(rosters.c.plenary_id == plenary_id)
            .values(presenters=[slot['member'] for slot in document['slots']])
        )


def downgrade() -> None:
    with op.batch_alter_table('rosters', schema=None) as batch_op:
        batch_op.drop_column('presenters')
