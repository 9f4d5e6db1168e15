"""Each notice's message beside its English text (issue 20), so what was sent can be read again
in each recipient's language; notices recorded before it have none.

Revision ID: 8b3e61d4a9c2
Revises: b2d7e4a61c30
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '8b3e61d4a9c2'
down_revision: str | None = 'b2d7e4a61c30'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('notifications') as batch:
        batch.add_column(sa.Column('message', _JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notifications') as batch:
        batch.drop_column('message')
