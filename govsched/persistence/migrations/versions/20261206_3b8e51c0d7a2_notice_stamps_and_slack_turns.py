"""When milestones, handovers and seats were planned; whose turn it is to post to a Slack
channel (issue 17, items 11 and 12).

Notices about a milestone, a handover or a seat are never stamped before it was planned or
recorded; rows from before this revision have no such instant (NULL: no lower bound). Slack
posts take a channel's turn in the database, so every process paces one channel together.

Revision ID: 3b8e51c0d7a2
Revises: 7c2e9a4f1d63
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govsched.persistence.base

revision: str = '3b8e51c0d7a2'
down_revision: str | None = '7c2e9a4f1d63'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PLANNED = (('milestones', 'planned_at'), ('handovers', 'planned_at'),
            ('steering_committee_seats', 'recorded_at'))


def upgrade() -> None:
    for table, column in _PLANNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(column, govsched.persistence.base.UTCDateTime(timezone=True), nullable=True)
            )
    op.create_table(
        'slack_channel_turns',
        sa.Column('channel_id', sa.String(length=40), nullable=False),
        sa.Column('next_post_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('holder', sa.String(length=120), nullable=True),
        sa.Column('held_until', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('channel_id', name=op.f('pk_slack_channel_turns')),
    )


def downgrade() -> None:
    op.drop_table('slack_channel_turns')
    for table, column in reversed(_PLANNED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
