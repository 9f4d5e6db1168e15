"""In-country Implementation Groups (issue 23, branch icig): groups, their meetings and the
attendance at each occurrence (counts only).

Revision ID: b2d7e4a61c30
Revises: e1a7c3d5b9f2
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'b2d7e4a61c30'
down_revision: str | None = 'e1a7c3d5b9f2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'icig_groups',
        sa.Column('id', sa.String(length=63), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('document', JSON, nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_icig_groups')),
    )
    with op.batch_alter_table('icig_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_icig_groups_status'), ['status'], unique=False)
    op.create_table(
        'icig_meetings',
        sa.Column('id', sa.String(length=63), nullable=False),
        sa.Column('group_id', sa.String(length=63), nullable=False),
        sa.Column('document', JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'], ['icig_groups.id'], name=op.f('fk_icig_meetings_group_id_icig_groups')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_icig_meetings')),
    )
    with op.batch_alter_table('icig_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_icig_meetings_group_id'), ['group_id'], unique=False)
    op.create_table(
        'icig_attendance',
        sa.Column('meeting_id', sa.String(length=63), nullable=False),
        sa.Column('occurrence', sa.String(length=19), nullable=False),
        sa.Column('document', JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ['meeting_id'],
            ['icig_meetings.id'],
            name=op.f('fk_icig_attendance_meeting_id_icig_meetings'),
        ),
        sa.PrimaryKeyConstraint('meeting_id', 'occurrence', name=op.f('pk_icig_attendance')),
    )


def downgrade() -> None:
    op.drop_table('icig_attendance')
    with op.batch_alter_table('icig_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_icig_meetings_group_id'))
    op.drop_table('icig_meetings')
    with op.batch_alter_table('icig_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_icig_groups_status'))
    op.drop_table('icig_groups')
