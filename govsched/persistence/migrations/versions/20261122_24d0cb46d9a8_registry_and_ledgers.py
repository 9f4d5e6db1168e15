"""Registry, audit log, calendar events, notification ledger and API tokens.

The audit log is append-only: triggers refuse UPDATE and DELETE on both databases.

Revision ID: 24d0cb46d9a8
Revises: 
Create Date: 2026-11-22 03:56:59.712478
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

import govsched.persistence.base

revision: str = '24d0cb46d9a8'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('applied_commands',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('applied_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_applied_commands'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('item_kind', sa.String(length=40), nullable=False),
    sa.Column('item_id', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('key', name=op.f('uq_audit_log_key'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_log_item', ['item_kind', 'item_id'], unique=False)

    op.create_table('calendar_events',
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('starts', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_modified', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_calendar_events'))
    )
    with op.batch_alter_table('calendar_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_events_last_modified'), ['last_modified'], unique=False)

    op.create_table('members',
    sa.Column('id', sa.String(length=63), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('pillar', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=80), nullable=False),
    sa.Column('joined', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('group_name', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_pillar'), ['pillar'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_status'), ['status'], unique=False)

    op.create_table('notifications',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=80), nullable=False),
    sa.Column('recipients', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('issued_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('delivered_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('external_ref', sa.String(length=200), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_item'), ['item'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_status'), ['status'], unique=False)

    op.create_table('calendar_event_audiences',
    sa.Column('event_uid', sa.String(length=255), nullable=False),
    sa.Column('audience', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['event_uid'], ['calendar_events.uid'], name=op.f('fk_calendar_event_audiences_event_uid_calendar_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_uid', 'audience', name=op.f('pk_calendar_event_audiences'))
    )
    with op.batch_alter_table('calendar_event_audiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_event_audiences_audience'), ['audience'], unique=False)

    op.create_table('chair_terms',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('member_id', sa.String(length=63), nullable=False),
    sa.Column('starts', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_chair_terms_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chair_terms'))
    )
    with op.batch_alter_table('chair_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chair_terms_member_id'), ['member_id'], unique=False)

    op.create_table('member_status_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('member_id', sa.String(length=63), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('since', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_status_history_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_status_history')),
    sa.UniqueConstraint('member_id', 'position', name=op.f('uq_member_status_history_member_id_position'))
    )
    op.create_table('people',
    sa.Column('id', sa.String(length=63), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('member_id', sa.String(length=63), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_people_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('email', name=op.f('uq_people_email'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_member_id'), ['member_id'], unique=False)

    op.create_table('plenaries',
    sa.Column('id', sa.String(length=63), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('starts', sa.Date(), nullable=False),
    sa.Column('ends', sa.Date(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('host_member_id', sa.String(length=63), nullable=True),
    sa.ForeignKeyConstraint(['host_member_id'], ['members.id'], name=op.f('fk_plenaries_host_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plenaries'))
    )
    with op.batch_alter_table('plenaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plenaries_year'), ['year'], unique=False)

    op.create_table('steering_committee_seats',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('member_id', sa.String(length=63), nullable=False),
    sa.Column('pillar', sa.String(length=20), nullable=False),
    sa.Column('starts', sa.Date(), nullable=False),
    sa.Column('ends', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_steering_committee_seats_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steering_committee_seats'))
    )
    with op.batch_alter_table('steering_committee_seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steering_committee_seats_member_id'), ['member_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.String(length=63), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('created_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_api_tokens_person_id_people')),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_api_tokens'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_person_id'), ['person_id'], unique=False)

    op.create_table('person_roles',
    sa.Column('person_id', sa.String(length=63), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_roles_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'role', name=op.f('pk_person_roles'))
    )
    with op.batch_alter_table('person_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_roles_role'), ['role'], unique=False)

    _make_audit_log_append_only()


_REFUSAL = "the audit log is append-only"


def _make_audit_log_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
        )


def _drop_audit_log_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_refuse_change()")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")


def downgrade() -> None:
    _drop_audit_log_triggers()
    with op.batch_alter_table('person_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_roles_role'))

    op.drop_table('person_roles')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_person_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('steering_committee_seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_steering_committee_seats_member_id'))

    op.drop_table('steering_committee_seats')
    with op.batch_alter_table('plenaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plenaries_year'))

    op.drop_table('plenaries')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_member_id'))

    op.drop_table('people')
    op.drop_table('member_status_history')
    with op.batch_alter_table('chair_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chair_terms_member_id'))

    op.drop_table('chair_terms')
    with op.batch_alter_table('calendar_event_audiences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_event_audiences_audience'))

    op.drop_table('calendar_event_audiences')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_status'))
        batch_op.drop_index(batch_op.f('ix_notifications_item'))
        batch_op.drop_index(batch_op.f('ix_notifications_issued_at'))

    op.drop_table('notifications')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_status'))
        batch_op.drop_index(batch_op.f('ix_members_pillar'))

    op.drop_table('members')
    with op.batch_alter_table('calendar_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_events_last_modified'))
        batch_op.drop_index(batch_op.f('ix_calendar_events_kind'))

    op.drop_table('calendar_events')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_item')
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('applied_commands')
