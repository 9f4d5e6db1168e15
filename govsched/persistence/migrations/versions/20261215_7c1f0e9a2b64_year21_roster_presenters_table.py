"""Who presents, one row per presenter instead of a list in the roster's row (issue 21).

Recording an outcome asks whether one member presents. Asked of the list stored in the
roster's row, SQLite read every page of the document stored before it in that row (2.6 MB at
20,000 members) for each of the year's 6,667 outcomes, inside the write transaction.

Revision ID: 7c1f0e9a2b64
Revises: 5d2f7a9c1e46
Create Date: 2026-12-07 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '7c1f0e9a2b64'
down_revision: str | None = '5d2f7a9c1e46'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
_ROSTERS = sa.table(
    'rosters',
    sa.column('plenary_id', sa.String()),
    sa.column('presenters', _JSON),
)
_PRESENTERS = sa.table(
    'roster_presenters',
    sa.column('plenary_id', sa.String()),
    sa.column('member_id', sa.String()),
    sa.column('position', sa.Integer()),
)


def upgrade() -> None:
    # Read first: on SQLite the batch below copies `rosters` to a new table and drops the old
    # one, which would cascade to presenter rows already written.
    connection = op.get_bind()
    listed = connection.execute(
        sa.select(_ROSTERS.c.plenary_id, _ROSTERS.c.presenters).where(
            _ROSTERS.c.presenters.is_not(None)
        )
    ).all()
    with op.batch_alter_table('rosters', schema=None) as batch_op:
        batch_op.drop_column('presenters')
    op.create_table(
        'roster_presenters',
        sa.Column('plenary_id', sa.String(length=63), nullable=False),
        sa.Column('member_id', sa.String(length=63), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['plenary_id'], ['rosters.plenary_id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('plenary_id', 'member_id'),
    )
    for plenary_id, presenters in listed:
        if not presenters:  # a JSON null or an empty roster
            continue
        connection.execute(
            _PRESENTERS.insert(),
            [
                {'plenary_id': plenary_id, 'member_id': member, 'position': k}
                for k, member in enumerate(presenters)
            ],
        )


def downgrade() -> None:
    connection = op.get_bind()
    published = connection.execute(
        sa.text("SELECT plenary_id FROM rosters WHERE status = 'published'")
    ).scalars()
    lists = {
        plenary_id: list(
            connection.execute(
                sa.select(_PRESENTERS.c.member_id)
                .where(_PRESENTERS.c.plenary_id == plenary_id)
                .order_by(_PRESENTERS.c.position)
            ).scalars()
        )
        for plenary_id in published.all()
    }
    op.drop_table('roster_presenters')
    with op.batch_alter_table('rosters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presenters', _JSON, nullable=True))
    for plenary_id, members in lists.items():
        connection.execute(
            _ROSTERS.update().where(_ROSTERS.c.plenary_id == plenary_id).values(presenters=members)
        )
