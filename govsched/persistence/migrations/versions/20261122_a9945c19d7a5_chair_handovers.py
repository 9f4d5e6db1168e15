"""Chair handovers and their checklists.

Revision ID: a9945c19d7a5
Revises: 382ba2460382
Create Date: 2026-11-22 07:28:29.398922
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govsched.persistence.base


revision: str = 'a9945c19d7a5'
down_revision: str | None = '382ba2460382'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('handovers',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('plenary_id', sa.String(length=63), nullable=False),
    sa.Column('handover_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('outgoing_member', sa.String(length=63), nullable=True),
    sa.Column('incoming_member', sa.String(length=63), nullable=True),
    sa.Column('designated_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('designated_by', sa.String(length=80), nullable=True),
    sa.Column('completed_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['incoming_member'], ['members.id'], name=op.f('fk_handovers_incoming_member_members')),
    sa.ForeignKeyConstraint(['outgoing_member'], ['members.id'], name=op.f('fk_handovers_outgoing_member_members')),
    sa.ForeignKeyConstraint(['plenary_id'], ['plenaries.id'], name=op.f('fk_handovers_plenary_id_plenaries')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_handovers'))
    )
    op.create_table('handover_items',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('owner', sa.String(length=30), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('completed_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_by', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['year'], ['handovers.year'], name=op.f('fk_handover_items_year_handovers')),
    sa.PrimaryKeyConstraint('year', 'key', name=op.f('pk_handover_items'))
    )


def downgrade() -> None:
    op.drop_table('handover_items')
    op.drop_table('handovers')
