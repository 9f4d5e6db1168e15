"""Slack delivery (issue 8).

Revision ID: 6c9f2e3a1d43
Revises: 5b8e1d2f0c32
Create Date: 2026-11-22 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govsched.persistence.base

revision: str = '6c9f2e3a1d43'
down_revision: str | None = '5b8e1d2f0c32'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('slack_users',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('slack_user_id', sa.String(length=40), nullable=False),
    sa.Column('dm_channel', sa.String(length=40), nullable=True),
    sa.Column('looked_up_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('email', name=op.f('pk_slack_users'))
    )
    op.create_index(op.f('ix_slack_users_slack_user_id'), 'slack_users', ['slack_user_id'], unique=False)
    op.create_table('slack_messages',
    sa.Column('notification_key', sa.String(length=300), nullable=False),
    sa.Column('target', sa.String(length=80), nullable=False),
    sa.Column('channel_id', sa.String(length=40), nullable=False),
    sa.Column('ts', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('started_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('posted_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('notification_key', 'target', name=op.f('pk_slack_messages'))
    )
    op.create_index(op.f('ix_slack_messages_item'), 'slack_messages', ['item'], unique=False)
    op.create_table('notification_opt_outs',
    sa.Column('person_id', sa.String(length=63), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('updated_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_notification_opt_outs_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'kind', name=op.f('pk_notification_opt_outs'))
    )
    op.create_table('scheduler_leases',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('expires_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_leases'))
    )
    op.create_table('apscheduler_jobs',
    sa.Column('id', sa.String(length=191), nullable=False),
    sa.Column('next_run_time', sa.Float(precision=25), nullable=True),
    sa.Column('job_state', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apscheduler_jobs'))
    )
    op.create_index(op.f('ix_apscheduler_jobs_next_run_time'), 'apscheduler_jobs', ['next_run_time'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_apscheduler_jobs_next_run_time'), table_name='apscheduler_jobs')
    op.drop_table('apscheduler_jobs')
    op.drop_table('scheduler_leases')
    op.drop_table('notification_opt_outs')
    op.drop_index(op.f('ix_slack_messages_item'), table_name='slack_messages')
    op.drop_table('slack_messages')
    op.drop_index(op.f('ix_slack_users_slack_user_id'), table_name='slack_users')
    op.drop_table('slack_users')
