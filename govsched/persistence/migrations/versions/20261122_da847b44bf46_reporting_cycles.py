"""Reporting cycles: reports, reviews, declared conflicts, missed reports.

Revision ID: da847b44bf46
Revises: 6c9f2e3a1d43
Create Date: 2026-11-22 07:55:57.871470
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

import govsched.persistence.base

revision: str = 'da847b44bf46'
down_revision: str | None = '6c9f2e3a1d43'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report_cycles',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('done', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_report_cycles'))
    )
    op.create_table('missed_reports',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('member_id', sa.String(length=63), nullable=False),
    sa.Column('missed_in_a_row', sa.Integer(), nullable=False),
    sa.Column('escalation', sa.String(length=40), nullable=True),
    sa.Column('at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_missed_reports_member_id_members')),
    sa.PrimaryKeyConstraint('year', 'member_id', name=op.f('pk_missed_reports'))
    )
    op.create_table('reports',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('member_id', sa.String(length=63), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('public_on', sa.Date(), nullable=True),
    sa.Column('sections', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('submitted_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sa.String(length=80), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_reports_member_id_members')),
    sa.PrimaryKeyConstraint('year', 'member_id', name=op.f('pk_reports'))
    )
    op.create_table('review_conflicts',
    sa.Column('reviewer_member', sa.String(length=63), nullable=False),
    sa.Column('reported_member', sa.String(length=63), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('declared_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('declared_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['reported_member'], ['members.id'], name=op.f('fk_review_conflicts_reported_member_members')),
    sa.ForeignKeyConstraint(['reviewer_member'], ['members.id'], name=op.f('fk_review_conflicts_reviewer_member_members')),
    sa.PrimaryKeyConstraint('reviewer_member', 'reported_member', name=op.f('pk_review_conflicts'))
    )
    op.create_table('reviews',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('report_of', sa.String(length=63), nullable=False),
    sa.Column('reviewer', sa.String(length=63), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('assigned_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sa.String(length=80), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('feedback_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['report_of'], ['members.id'], name=op.f('fk_reviews_report_of_members')),
    sa.ForeignKeyConstraint(['reviewer'], ['members.id'], name=op.f('fk_reviews_reviewer_members')),
    sa.PrimaryKeyConstraint('year', 'report_of', 'reviewer', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_reviewer'), ['reviewer'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_reviewer'))

    op.drop_table('reviews')
    op.drop_table('review_conflicts')
    op.drop_table('reports')
    op.drop_table('missed_reports')
    op.drop_table('report_cycles')
