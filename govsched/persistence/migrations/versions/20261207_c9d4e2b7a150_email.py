"""Email (issue 19): each person's choice of channels and email cadence, and the email outbox
(one row per notification or sign-in link and person, with its hand-over to the relay).

Revision ID: c9d4e2b7a150
Revises: a3e1f0c7d952
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govsched.persistence.base

revision: str = 'c9d4e2b7a150'
down_revision: str | None = 'a3e1f0c7d952'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'notification_channel_choices',
        sa.Column('person_id', sa.String(length=63), nullable=False),
        sa.Column('channels', sa.String(length=10), nullable=True),
        sa.Column('email_cadence', sa.String(length=10), nullable=False),
        sa.Column('updated_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['person_id'],
            ['people.id'],
            name=op.f('fk_notification_channel_choices_person_id_people'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_notification_channel_choices')),
    )
    op.create_table(
        'email_messages',
        sa.Column('notification_key', sa.String(length=300), nullable=False),
        sa.Column('person_id', sa.String(length=63), nullable=False),
        sa.Column('address', sa.String(length=254), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('message_id', sa.String(length=300), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('created_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('handed_over_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('accepted_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('handovers', sa.Integer(), nullable=False),
        sa.Column('relay_reply', sa.String(length=300), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('digest_key', sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint('notification_key', 'person_id', name=op.f('pk_email_messages')),
    )
    with op.batch_alter_table('email_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_messages_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_email_messages_state'), ['state'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_email_messages_created_at'), ['created_at'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_email_messages_digest_key'), ['digest_key'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('email_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_messages_digest_key'))
        batch_op.drop_index(batch_op.f('ix_email_messages_created_at'))
        batch_op.drop_index(batch_op.f('ix_email_messages_state'))
        batch_op.drop_index(batch_op.f('ix_email_messages_kind'))
    op.drop_table('email_messages')
    op.drop_table('notification_channel_choices')
