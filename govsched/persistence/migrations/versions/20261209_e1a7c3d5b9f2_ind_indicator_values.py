"""Impact indicators (issue 22): each member's values per reporting year, draft and submitted,
with the indicator set version; reviewers' comments per indicator.

Revision ID: e1a7c3d5b9f2
Revises: 5e1d8a3c2f70
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import govsched.persistence.base

revision: str = 'e1a7c3d5b9f2'
down_revision: str | None = '5e1d8a3c2f70'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
UTC_DATETIME = govsched.persistence.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'indicator_values',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('member_id', sa.String(length=63), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('draft', JSON, nullable=True),
        sa.Column('draft_saved_at', UTC_DATETIME, nullable=True),
        sa.Column('submitted', JSON, nullable=True),
        sa.Column('submitted_at', UTC_DATETIME, nullable=True),
        sa.Column('submitted_by', sa.String(length=80), nullable=True),
        sa.Column('amendments', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['member_id'], ['members.id'], name=op.f('fk_indicator_values_member_id_members')
        ),
        sa.PrimaryKeyConstraint('year', 'member_id', name=op.f('pk_indicator_values')),
    )
    op.create_table(
        'indicator_comments',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('report_of', sa.String(length=63), nullable=False),
        sa.Column('reviewer', sa.String(length=63), nullable=False),
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('at', UTC_DATETIME, nullable=False),
        sa.Column('by', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ['report_of'], ['members.id'], name=op.f('fk_indicator_comments_report_of_members')
        ),
        sa.ForeignKeyConstraint(
            ['reviewer'], ['members.id'], name=op.f('fk_indicator_comments_reviewer_members')
        ),
        sa.PrimaryKeyConstraint(
            'year', 'report_of', 'reviewer', 'key', name=op.f('pk_indicator_comments')
        ),
    )


def downgrade() -> None:
    op.drop_table('indicator_comments')
    op.drop_table('indicator_values')
