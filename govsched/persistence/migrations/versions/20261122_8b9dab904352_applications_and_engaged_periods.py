"""Applications with their steps, evidence towards Full membership, and Engaged periods.

Revision ID: 8b9dab904352
Revises: 24d0cb46d9a8
Create Date: 2026-11-22 04:36:53.988722
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

import govsched.persistence.base

revision: str = '8b9dab904352'
down_revision: str | None = '24d0cb46d9a8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('applications',
    sa.Column('id', sa.String(length=63), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('member_id', sa.String(length=63), nullable=True),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('pillar', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=80), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('window_closes', sa.Date(), nullable=True),
    sa.Column('submitted_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('record', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_applications_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_window_closes'), ['window_closes'], unique=False)

    op.create_table('engaged_periods',
    sa.Column('member_id', sa.String(length=63), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('record', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_engaged_periods_member_id_members')),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_engaged_periods'))
    )
    op.create_table('member_evidence',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('member_id', sa.String(length=63), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_person', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_evidence_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_evidence'))
    )
    with op.batch_alter_table('member_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_evidence_member_id'), ['member_id'], unique=False)

    op.create_table('application_steps',
    sa.Column('application_id', sa.String(length=63), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_person', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_steps_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('application_id', 'position', name=op.f('pk_application_steps'))
    )


def downgrade() -> None:
    op.drop_table('application_steps')
    with op.batch_alter_table('member_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_evidence_member_id'))

    op.drop_table('member_evidence')
    op.drop_table('engaged_periods')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_window_closes'))
        batch_op.drop_index(batch_op.f('ix_applications_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_applications_state'))
        batch_op.drop_index(batch_op.f('ix_applications_member_id'))

    op.drop_table('applications')
