"""Calendar feeds (issue 7): subscription tokens and calendar preferences.

Revision ID: 5b8e1d2f0c32
Revises: a9945c19d7a5
Create Date: 2026-11-22 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govsched.persistence.base


revision: str = '5b8e1d2f0c32'
down_revision: str | None = 'a9945c19d7a5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_feed_tokens',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.String(length=63), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('created_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_calendar_feed_tokens_person_id_people')),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_calendar_feed_tokens'))
    )
    op.create_index(op.f('ix_calendar_feed_tokens_person_id'), 'calendar_feed_tokens', ['person_id'], unique=False)
    op.create_table('calendar_preferences',
    sa.Column('person_id', sa.String(length=63), nullable=False),
    sa.Column('alarm_minutes_before', sa.Integer(), nullable=True),
    sa.Column('updated_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_calendar_preferences_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_calendar_preferences'))
    )


def downgrade() -> None:
    op.drop_table('calendar_preferences')
    op.drop_index(op.f('ix_calendar_feed_tokens_person_id'), table_name='calendar_feed_tokens')
    op.drop_table('calendar_feed_tokens')
