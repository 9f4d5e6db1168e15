"""Every table. Relationships are `lazy="raise"`: a repository says what it loads, or fails."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsched.persistence.base import Base, JSONDocument

ID = String(63)


class MemberRow(Base):
    __tablename__ = "members"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    pillar: Mapped[str] = mapped_column(String(20), index=True)
    country: Mapped[str] = mapped_column(String(80))
    joined: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    group_name: Mapped[str | None] = mapped_column(String(120))

    history: Mapped[list[StatusChangeRow]] = relationship(
        lazy="raise", order_by="StatusChangeRow.position", cascade="all, delete-orphan"
    )


class StatusChangeRow(Base):
    __tablename__ = "member_status_history"
    __table_args__ = (UniqueConstraint("member_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    since: Mapped[datetime]
    decision: Mapped[str] = mapped_column(String(300))


class PersonRow(Base):
    __tablename__ = "people"
    # `email_taken` compares addresses case-insensitively (lower(email) = lower(given)): without
    # this index on the expression, each new person scanned every person
    __table_args__ = (Index("ix_people_email_lower", func.lower(text("email"))),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), index=True)
    # A BCP 47 tag of governance.kernel.languages.Language; None: the initiative's default.
    language: Mapped[str | None] = mapped_column(String(16))

    roles: Mapped[list[PersonRoleRow]] = relationship(lazy="raise", cascade="all, delete-orphan")


class PersonRoleRow(Base):
    __tablename__ = "person_roles"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class PlenaryRow(Base):
    __tablename__ = "plenaries"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200))
    host_member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))


class MilestoneRow(Base):
    __tablename__ = "milestones"

    plenary_id: Mapped[str] = mapped_column(ForeignKey("plenaries.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(Date, index=True)
    owner_role: Mapped[str] = mapped_column(String(30))
    public: Mapped[bool] = mapped_column(Boolean)
    follow_up: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20), index=True)
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(80))
    # when its due date was set: notices about it are never stamped earlier
    planned_at: Mapped[datetime | None]


class HandoverRow(Base):
    """The Chair handover at the end of a year's annual plenary."""

    __tablename__ = "handovers"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    plenary_id: Mapped[str] = mapped_column(ForeignKey("plenaries.id"))
    handover_at: Mapped[datetime]
    outgoing_member: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    incoming_member: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    designated_at: Mapped[datetime | None]
    designated_by: Mapped[str | None] = mapped_column(String(80))
    completed_at: Mapped[datetime | None]
    # when its dates were last set: notices about it are never stamped earlier
    planned_at: Mapped[datetime | None]

    items: Mapped[list[HandoverItemRow]] = relationship(
        lazy="raise", order_by="HandoverItemRow.position", cascade="all, delete-orphan"
    )


class HandoverItemRow(Base):
    __tablename__ = "handover_items"

    year: Mapped[int] = mapped_column(ForeignKey("handovers.year"), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(30))
    due: Mapped[date] = mapped_column(Date)
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(80))


class ChairTermRow(Base):
    __tablename__ = "chair_terms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    starts: Mapped[datetime]
    ends: Mapped[datetime]


class SeatRow(Base):
    __tablename__ = "steering_committee_seats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    pillar: Mapped[str] = mapped_column(String(20))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime | None]


class AuditRow(Base):
    """Append-only: a database trigger refuses UPDATE and DELETE (see the first migration)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_item", "item_kind", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80))
    item_kind: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class CalendarEventRow(Base):
    __tablename__ = "calendar_events"

    uid: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    starts: Mapped[datetime | None]
    ends: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    # governance.kernel.messages.Message as JSON: the title and description in each reader's
    # language; None for events stored before (read as their English text)
    title_message: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    description_message: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Goes up on every stored change, even one subscribers do not see as a new version (an
    # audience change): the feed cache key is built from it, whatever order changes arrive in.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime]
    last_modified: Mapped[datetime] = mapped_column(index=True)

    audiences: Mapped[list[CalendarAudienceRow]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )


class CalendarAudienceRow(Base):
    __tablename__ = "calendar_event_audiences"

    event_uid: Mapped[str] = mapped_column(
        ForeignKey("calendar_events.uid", ondelete="CASCADE"), primary_key=True
    )
    audience: Mapped[str] = mapped_column(String(120), primary_key=True, index=True)


class NotificationRow(Base):
    """The notification ledger: one row per idempotency key, whatever happens to deliveries."""

    __tablename__ = "notifications"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(80))
    recipients: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    text: Mapped[str] = mapped_column(Text)
    # governance.kernel.messages.Message as JSON: the text in each reader's language
    message: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    item: Mapped[str] = mapped_column(String(200), index=True)
    issued_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[datetime | None]
    external_ref: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)


class ApiTokenRow(Base):
    """Bearer tokens, kept only as SHA-256 digests: the database never holds a usable token."""

    __tablename__ = "api_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class AppliedCommandRow(Base):
    """Outcomes of applied commands by idempotency key, written in the command's transaction.

    A retried activity whose first attempt committed finds its outcome here and returns it,
    instead of refusing its own change as a duplicate.
    """

    __tablename__ = "applied_commands"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    applied_at: Mapped[datetime]
    outcome: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class ApplicationRow(Base):
    """The read model of an application; the workflow is the source of truth while it runs."""

    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(200))
    pillar: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(40), index=True)
    window_closes: Mapped[date | None] = mapped_column(Date, index=True)
    submitted_at: Mapped[datetime] = mapped_column(index=True)
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)
    record: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class ApplicationStepRow(Base):
    __tablename__ = "application_steps"

    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]
    by_person: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")


class EvidenceRow(Base):
    """Evidence towards Full membership (a National Action Plan, implementation evidence)."""

    __tablename__ = "member_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]
    by_person: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")


class EngagedPeriodRow(Base):
    __tablename__ = "engaged_periods"

    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    due_date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    record: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class PresentationRow(Base):
    """The append-only ledger of verification presentations: one outcome per member and year."""

    __tablename__ = "presentation_ledger"
    __table_args__ = (UniqueConstraint("year", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime]
    by_person: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")


class RosterRow(Base):
    """A plenary's roster: its seed (published first), then the published document."""

    __tablename__ = "rosters"

    plenary_id: Mapped[str] = mapped_column(ForeignKey("plenaries.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    seed: Mapped[str] = mapped_column(String(64))
    draw_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    published_at: Mapped[datetime | None]
    document: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)


class RosterPresenterRow(Base):
    """Who presents at a plenary, one row per slot of its published roster, in the slots' order.

    Recording an outcome asks whether one member presents: a key lookup here. Kept as a list
    in the roster's own row, the answer read the list, and on SQLite every page of the document
    stored before it in that row (2.6 MB at 20,000 members), once per outcome (issue 21)."""

    __tablename__ = "roster_presenters"

    plenary_id: Mapped[str] = mapped_column(
        ForeignKey("rosters.plenary_id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[str] = mapped_column(ID, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class CalendarFeedTokenRow(Base):
    """Calendar subscription tokens (issue 7), kept only as SHA-256 digests.

    One person may hold one live token per feed scope; a reset revokes the old row and adds a
    new one, so the audit log and this table both keep what happened.
    """

    __tablename__ = "calendar_feed_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    scope: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class CalendarPreferenceRow(Base):
    """A person's calendar preferences; without a row the rulebook's defaults apply."""

    __tablename__ = "calendar_preferences"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    # None: no alarm at all in the person's feeds.
    alarm_minutes_before: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime]


# -- Slack delivery (issue 8) -----------------------------------------------------------------


class SlackUserRow(Base):
    """Who an email address is on Slack, looked up once (users.lookupByEmail is rate limited)."""

    __tablename__ = "slack_users"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    slack_user_id: Mapped[str] = mapped_column(String(40), index=True)
    dm_channel: Mapped[str | None] = mapped_column(String(40))
    looked_up_at: Mapped[datetime]


class SlackMessageRow(Base):
    """One Slack message per notification and target; `ts` is None while a post is in doubt."""

    __tablename__ = "slack_messages"

    notification_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    target: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(40))
    ts: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(200), index=True)
    started_at: Mapped[datetime]
    posted_at: Mapped[datetime | None]


class SlackChannelTurnRow(Base):
    """Whose turn it is to post to a Slack channel, and when the next post may go (after the
    pacing interval, or a 429's Retry-After): shared by every process using this database."""

    __tablename__ = "slack_channel_turns"

    channel_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    next_post_at: Mapped[datetime]
    holder: Mapped[str | None] = mapped_column(String(120))
    held_until: Mapped[datetime | None]


class NotificationOptOutRow(Base):
    """A kind of notification a person does not want as a direct message."""

    __tablename__ = "notification_opt_outs"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    updated_at: Mapped[datetime]


class NotificationChannelChoiceRow(Base):
    """How a person wants direct notices (issue 19): Slack, email or both; email at once or
    in a daily digest. No row: the installation's default (every configured channel)."""

    __tablename__ = "notification_channel_choices"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    channels: Mapped[str | None] = mapped_column(String(10))
    email_cadence: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime]


class EmailMessageRow(Base):
    """One email per notification (or sign-in link) and person: the email outbox (issue 19).

    `handed_over_at` is written just before the message's DATA goes to the relay, `accepted_at`
    when the relay answered 250: a row with the first and not the second is the one window in
    which the relay may hold a message the ledger does not know was sent (RELIABILITY.md)."""

    __tablename__ = "email_messages"

    notification_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, primary_key=True)
    address: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    message_id: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    handed_over_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    # DATA commands sent for this message: more than one means the relay may have two copies
    # (same Message-ID), only ever after a crash or a lost answer inside the window.
    handovers: Mapped[int] = mapped_column(Integer, default=0)
    relay_reply: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    # Held for the person's daily digest, then the digest's notification key that carried it.
    digest_key: Mapped[str | None] = mapped_column(String(300), index=True)


class SchedulerLeaseRow(Base):
    """Which process may run a scheduler, until when (renewed while it lives)."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]


class ApschedulerJobRow(Base):
    """APScheduler 3's SQLAlchemyJobStore table, declared here so migrations own it."""

    __tablename__ = "apscheduler_jobs"

    id: Mapped[str] = mapped_column(String(191), primary_key=True)
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)
    job_state: Mapped[bytes] = mapped_column(LargeBinary)


class ReportCycleRow(Base):
    """A reporting year's cycle: which of its steps have run (its dates come from the plenary)."""

    __tablename__ = "report_cycles"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    done: Mapped[list[str]] = mapped_column(JSONDocument)


# Reports that have no reviewer yet: the reporting cycle asks for them each time it wakes (with
# every batch of review submissions), and the answer is then the few such reports, where a NOT IN
# over the year's reviews grew with the membership (2.5 times the cost a wake from 2,000 to 6,000
# members, issue 21).
AWAITING_REVIEWERS = "reviewers_assigned_at IS NULL"


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index(
            "ix_reports_awaiting_reviewers",
            "year",
            "member_id",
            sqlite_where=text(AWAITING_REVIEWERS),
            postgresql_where=text(AWAITING_REVIEWERS),
        ),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    url: Mapped[str] = mapped_column(String(500))
    public: Mapped[bool] = mapped_column(Boolean)
    public_on: Mapped[date | None] = mapped_column(Date)
    sections: Mapped[list[str]] = mapped_column(JSONDocument)
    submitted_at: Mapped[datetime]
    submitted_by: Mapped[str] = mapped_column(String(80))
    late: Mapped[bool] = mapped_column(Boolean)
    # received after the cycle closed with its plenary: the cycle still counts as missed
    after_close: Mapped[bool] = mapped_column(Boolean, default=False)
    # when its first reviewers were written (None: none yet), kept by `add_reviews`
    reviewers_assigned_at: Mapped[datetime | None]


# Submitted reviews whose feedback is still to go. Every review submission asks for the first
# of them; without this index the query walked past every review already sent (a scan that grew
# with the year's reviews: 5 ms a submission at 20,000 members).
FEEDBACK_WAITING = "submitted_at IS NOT NULL AND feedback_at IS NULL"


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        Index(
            "ix_reviews_feedback_waiting",
            "year",
            "report_of",
            "reviewer",
            sqlite_where=text(FEEDBACK_WAITING),
            postgresql_where=text(FEEDBACK_WAITING),
        ),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    report_of: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    reviewer: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True, index=True)
    reason: Mapped[str] = mapped_column(Text)
    assigned_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    submitted_by: Mapped[str | None] = mapped_column(String(80))
    url: Mapped[str | None] = mapped_column(String(500))
    # when the reported member was sent the review (None: not yet)
    feedback_at: Mapped[datetime | None]


class ReviewConflictRow(Base):
    __tablename__ = "review_conflicts"

    reviewer_member: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    reported_member: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(500))
    declared_at: Mapped[datetime]
    declared_by: Mapped[str] = mapped_column(String(80))


class MissedReportRow(Base):
    __tablename__ = "missed_reports"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    missed_in_a_row: Mapped[int] = mapped_column(Integer)
    escalation: Mapped[str | None] = mapped_column(String(40))
    at: Mapped[datetime]


class WebSessionRow(Base):
    """Browser sessions of the web workspace (issue 10), kept only as SHA-256 digests."""

    __tablename__ = "web_sessions"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # The API token the session was started with (none for a one-time link): the session
    # lives only while that token does (issue 17).
    token_digest: Mapped[str | None] = mapped_column(
        ForeignKey("api_tokens.digest"), index=True, default=None
    )


class SignInLinkRow(Base):
    """One-time sign-in links the Secretariat issues (issue 10): single use, expiring, hashed."""

    __tablename__ = "web_sign_in_links"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    issued_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ConcernRow(Base):
    """The read model of a participant concern (issue 9); the workflow is the source of truth
    while it runs. `record` holds who filed even when anonymous: reads mask it by viewer."""

    __tablename__ = "concerns"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    about_member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    filer_member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), index=True)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(40), index=True)
    outcome: Mapped[str | None] = mapped_column(String(40))
    decision_plenary: Mapped[str | None] = mapped_column(String(63))
    filed_at: Mapped[datetime] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(Integer)
    record: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class ConcernStepRow(Base):
    __tablename__ = "concern_steps"

    concern_id: Mapped[str] = mapped_column(
        ForeignKey("concerns.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime]
    by_person: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")


class ConcernMeetingRow(Base):
    """Dated records of the facilitated dialogue."""

    __tablename__ = "concern_meetings"

    concern_id: Mapped[str] = mapped_column(
        ForeignKey("concerns.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    held_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime]
    by_person: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text)


class AgendaItemRow(Base):
    """An item of a plenary's agenda as the Secretariat and the Chair keep it (issue 19)."""

    __tablename__ = "plenary_agenda_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plenary_id: Mapped[str] = mapped_column(ForeignKey("plenaries.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    documents: Mapped[list[Any]] = mapped_column(JSONDocument)
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, nullable=True)


class AgendaVersionRow(Base):
    """A published version of a plenary's agenda: the items as members were told of them."""

    __tablename__ = "plenary_agenda_versions"

    plenary_id: Mapped[str] = mapped_column(ForeignKey("plenaries.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    published_at: Mapped[datetime]
    published_by: Mapped[str] = mapped_column(String(80))
    items: Mapped[list[Any]] = mapped_column(JSONDocument)


class IndicatorValuesRow(Base):
    """A member's impact indicator values for a reporting year (issue 22): its draft and its
    submitted values, as JSON keeps them, with the indicator set version they were checked by."""

    __tablename__ = "indicator_values"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    draft_saved_at: Mapped[datetime | None]
    submitted: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    submitted_at: Mapped[datetime | None]
    submitted_by: Mapped[str | None] = mapped_column(String(80))
    amendments: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorCommentRow(Base):
    """A reviewer's comment on one indicator of the member it reviews (issue 22)."""

    __tablename__ = "indicator_comments"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    report_of: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    reviewer: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(80))


class GroupRow(Base):
    """An In-country Implementation Group (issue 23): the group's document as the rules made it."""

    __tablename__ = "icig_groups"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class GroupMeetingRow(Base):
    """A group's meeting, visit or regular series, with its moved and cancelled occurrences."""

    __tablename__ = "icig_meetings"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("icig_groups.id"), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class GroupAttendanceRow(Base):
    """Attendance at one occurrence of a group's meeting: counts only, never names."""

    __tablename__ = "icig_attendance"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("icig_meetings.id"), primary_key=True)
    # The occurrence's local start (ISO, to the second), or "" for a one-off meeting.
    occurrence: Mapped[str] = mapped_column(String(19), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class GroupNominationRow(Base):
    """A group's nominee to one annual plenary (at most one per group and year)."""

    __tablename__ = "icig_nominations"

    group_id: Mapped[str] = mapped_column(ForeignKey("icig_groups.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class GroupPlanRow(Base):
    """A group's annual plan (deliverables, budget) and what its follow-up process has done:
    the notices it issued (`outbox`, delivered in order by the plan's workflow) and the
    instant up to which its timed steps were looked at (`looked_through`)."""

    __tablename__ = "icig_plans"

    group_id: Mapped[str] = mapped_column(ForeignKey("icig_groups.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    outbox: Mapped[list[Any]] = mapped_column(JSONDocument)
    looked_through: Mapped[datetime | None]


class GroupFundingRequestRow(Base):
    """A group's request for funds against its plan: confidential to the group, the Secretariat
    and the Steering Committee (governance/groups/funding.py `may_see`)."""

    __tablename__ = "icig_funding_requests"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("icig_groups.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
