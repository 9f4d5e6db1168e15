"""In-country groups' annual plans and funding requests (issue 23, branch grpplans).

Revision ID: 0bdb84e58712
Revises: 18bccf342a14
Create Date: 2026-12-12 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import govsched.persistence.base

revision: str = '0bdb84e58712'
down_revision: str | None = '18bccf342a14'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'icig_plans',
        sa.Column('group_id', sa.String(length=63), nullable=False),
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('document', JSON, nullable=False),
        sa.Column('outbox', JSON, nullable=False),
        sa.Column('looked_through', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['group_id'], ['icig_groups.id'], name=op.f('fk_icig_plans_group_id_icig_groups')
        ),
        sa.PrimaryKeyConstraint('group_id', 'year', name=op.f('pk_icig_plans')),
    )
    op.create_table(
        'icig_funding_requests',
        sa.Column('id', sa.String(length=63), nullable=False),
        sa.Column('group_id', sa.String(length=63), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('document', JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'],
            ['icig_groups.id'],
            name=op.f('fk_icig_funding_requests_group_id_icig_groups'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_icig_funding_requests')),
    )
    with op.batch_alter_table('icig_funding_requests', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_icig_funding_requests_group_id'), ['group_id'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_icig_funding_requests_state'), ['state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('icig_funding_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_icig_funding_requests_state'))
        batch_op.drop_index(batch_op.f('ix_icig_funding_requests_group_id'))
    op.drop_table('icig_funding_requests')
    op.drop_table('icig_plans')
