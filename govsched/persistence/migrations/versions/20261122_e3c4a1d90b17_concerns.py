"""Participant concerns (issue 9): cases, their steps and meeting records.

Revision ID: e3c4a1d90b17
Revises: da847b44bf46
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import govsched.persistence.base

revision: str = 'e3c4a1d90b17'
down_revision: str | None = 'da847b44bf46'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('concerns',
    sa.Column('id', sa.String(length=63), nullable=False),
    sa.Column('about_member_id', sa.String(length=63), nullable=False),
    sa.Column('filer_member_id', sa.String(length=63), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('decision_plenary', sa.String(length=63), nullable=True),
    sa.Column('filed_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('record', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['about_member_id'], ['members.id'], name=op.f('fk_concerns_about_member_id_members')),
    sa.ForeignKeyConstraint(['filer_member_id'], ['members.id'], name=op.f('fk_concerns_filer_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concerns'))
    )
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concerns_about_member_id'), ['about_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concerns_filed_at'), ['filed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_concerns_filer_member_id'), ['filer_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concerns_state'), ['state'], unique=False)

    op.create_table('concern_meetings',
    sa.Column('concern_id', sa.String(length=63), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_person', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['concern_id'], ['concerns.id'], name=op.f('fk_concern_meetings_concern_id_concerns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('concern_id', 'position', name=op.f('pk_concern_meetings'))
    )
    op.create_table('concern_steps',
    sa.Column('concern_id', sa.String(length=63), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_person', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['concern_id'], ['concerns.id'], name=op.f('fk_concern_steps_concern_id_concerns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('concern_id', 'position', name=op.f('pk_concern_steps'))
    )


def downgrade() -> None:
    op.drop_table('concern_steps')
    op.drop_table('concern_meetings')
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concerns_state'))
        batch_op.drop_index(batch_op.f('ix_concerns_filer_member_id'))
        batch_op.drop_index(batch_op.f('ix_concerns_filed_at'))
        batch_op.drop_index(batch_op.f('ix_concerns_about_member_id'))

    op.drop_table('concerns')
