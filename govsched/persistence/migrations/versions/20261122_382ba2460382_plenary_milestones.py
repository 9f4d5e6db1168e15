"""Plenary milestones.

Revision ID: 382ba2460382
Revises: cb98eb3ac1cf
Create Date: 2026-11-22 07:01:55.499647
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govsched.persistence.base


revision: str = '382ba2460382'
down_revision: str | None = 'cb98eb3ac1cf'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('milestones',
    sa.Column('plenary_id', sa.String(length=63), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('owner_role', sa.String(length=30), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('follow_up', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('completed_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_by', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['plenary_id'], ['plenaries.id'], name=op.f('fk_milestones_plenary_id_plenaries')),
    sa.PrimaryKeyConstraint('plenary_id', 'key', name=op.f('pk_milestones'))
    )
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestones_due'), ['due'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestones_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestones_year'), ['year'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestones_year'))
        batch_op.drop_index(batch_op.f('ix_milestones_status'))
        batch_op.drop_index(batch_op.f('ix_milestones_due'))

    op.drop_table('milestones')
