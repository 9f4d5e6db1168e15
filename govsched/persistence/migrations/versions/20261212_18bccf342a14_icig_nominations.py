"""Plenary nominations of In-country Implementation Groups (issue 23, branch grpseat): each
group's nominee to each annual plenary.

Revision ID: 18bccf342a14
Revises: c4e9f2a7d318
Create Date: 2026-12-12 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '18bccf342a14'
down_revision: str | None = 'c4e9f2a7d318'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'icig_nominations',
        sa.Column('group_id', sa.String(length=63), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('document', JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'], ['icig_groups.id'], name=op.f('fk_icig_nominations_group_id_icig_groups')
        ),
        sa.PrimaryKeyConstraint('group_id', 'year', name=op.f('pk_icig_nominations')),
    )


def downgrade() -> None:
    op.drop_table('icig_nominations')
