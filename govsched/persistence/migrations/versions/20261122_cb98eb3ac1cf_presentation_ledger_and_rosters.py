"""The ledger of verification presentations, and each plenary's roster.

Revision ID: cb98eb3ac1cf
Revises: 8b9dab904352
Create Date: 2026-11-22 05:19:49.516857
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

import govsched.persistence.base

revision: str = 'cb98eb3ac1cf'
down_revision: str | None = '8b9dab904352'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('presentation_ledger',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.String(length=63), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('recorded_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_person', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_presentation_ledger_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presentation_ledger')),
    sa.UniqueConstraint('year', 'member_id', name=op.f('uq_presentation_ledger_year_member_id'))
    )
    with op.batch_alter_table('presentation_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presentation_ledger_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_presentation_ledger_year'), ['year'], unique=False)

    op.create_table('rosters',
    sa.Column('plenary_id', sa.String(length=63), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('draw_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('document', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['plenary_id'], ['plenaries.id'], name=op.f('fk_rosters_plenary_id_plenaries')),
    sa.PrimaryKeyConstraint('plenary_id', name=op.f('pk_rosters'))
    )
    with op.batch_alter_table('rosters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rosters_year'), ['year'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rosters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rosters_year'))

    op.drop_table('rosters')
    with op.batch_alter_table('presentation_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presentation_ledger_year'))
        batch_op.drop_index(batch_op.f('ix_presentation_ledger_member_id'))

    op.drop_table('presentation_ledger')
