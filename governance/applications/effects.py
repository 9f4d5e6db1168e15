"""What each step of an application publishes: calendar entries, notices and its audit entry.

Application contents and deadlines are confidential to the Secretariat and the Steering Committee
(and, for the no-objection period, to voting members) until a decision is announced; only
announced admissions reach the public feed. Notices go to the people who must act.
"""

from __future__ import annotations

from datetime import datetime

from governance.applications.model import (
    ApplicationKind,
    ApplicationRecord,
    ApplicationRules,
    ApplicationState,
    Deadline,
    DeadlineKind,
)
from governance.applications.rules import Transition
from governance.applications.timeline import TimedEvent, TimedEventKind
from governance.kernel.audit import AuditEntry
from governance.kernel.calendar import (
    PUBLIC,
    VOTING_MEMBERS,
    CalendarItem,
    EventStatus,
    item_uid,
    role_audience,
)
from governance.kernel.model import Role
from governance.kernel.notices import RECOMMEND, Notification, channel_notice, direct_notice
from governance.kernel.timekeeping import day_ending_at, local_date
from governance.kernel.wording import day_text
from governance.rulebook.model import NotificationKind

S = ApplicationState
K = NotificationKind
SECRETARIAT = role_audience(Role.SECRETARIAT)
STEERING = role_audience(Role.STEERING_COMMITTEE)
_DEADLINE_TITLES = {
    DeadlineKind.INFORMATION: ("information", "Information due from {org}", {SECRETARIAT}),
    DeadlineKind.REVIEW: ("review", "Recommendations due on {org}", {SECRETARIAT, STEERING}),
    DeadlineKind.NO_OBJECTION: (
        "no-objection",
        "No-objection period on {org} ends",
        {SECRETARIAT, STEERING, VOTING_MEMBERS},
    ),
}


def audit_entry(transition: Transition, at: datetime) -> AuditEntry:
    record = transition.record
    return AuditEntry(
        key=f"{record.id}:v{record.version}",
        at=at,
        actor=transition.by,
        action=transition.action,
        item_kind="application",
        item_id=record.id,
        reason=transition.note,
        data={"state": record.state.value, "kind": record.kind.value},
    )


def _deadline_item(
    record: ApplicationRecord, deadline: Deadline, rules: ApplicationRules, status: EventStatus
) -> CalendarItem:
    suffix, title, audiences = _DEADLINE_TITLES[deadline.kind]
    if deadline.kind is DeadlineKind.INFORMATION:
        suffix = f"{suffix}-{deadline.number}"
    return CalendarItem(
        uid=item_uid(f"{record.id}-{suffix}", rules.uid_domain),
        kind="application_deadline",
        title=title.format(org=record.applicant.organisation),
        description=f"Application {record.id} ({record.kind.value.replace('_', ' ')}).",
        start_date=deadline.due_date,
        status=status,
        audiences=frozenset(audiences),
        confidential=True,
    )


def _decision_title(before: ApplicationRecord, after: ApplicationRecord) -> str | None:
    org = after.applicant.organisation
    if after.kind is ApplicationKind.FULL_MEMBERSHIP:
        return f"{org} becomes a Full member" if after.state is S.ADMITTED else None
    if after.state is S.PROVISIONALLY_ADMITTED:
        return f"{org} provisionally admitted as an Engaged member"
    if after.state is S.ADMITTED:
        if before.state is S.PROVISIONALLY_ADMITTED:
            return f"{org}: admission as an Engaged member ratified"
        return f"{org} admitted as an Engaged member"
    if before.state is S.PROVISIONALLY_ADMITTED and after.state in {S.REJECTED, S.WITHDRAWN}:
        return f"{org}: provisional admission not ratified"
    return None


def _review_closed(before: ApplicationRecord, after: ApplicationRecord) -> bool:
    """A review closed at or after its due day asks nothing more of the reviewers: its
    "recommendations due" event is cancelled (a tombstone the feeds keep for a while) rather
    than left standing as if still owed. Other deadlines that simply passed stay as history."""
    return (
        before.state is S.UNDER_REVIEW
        and after.state is not S.UNDER_REVIEW
        and before.deadline is not None
        and before.deadline.kind is DeadlineKind.REVIEW
    )


def calendar_changes(
    before: ApplicationRecord, after: ApplicationRecord, at: datetime, rules: ApplicationRules
) -> list[CalendarItem]:
    """New and moved deadlines; deadlines that ended early become CANCELLED; public decisions."""
    items = []
    if after.deadline is not None and after.deadline != before.deadline:
        items.append(_deadline_item(after, after.deadline, rules, EventStatus.CONFIRMED))
    if (
        before.deadline is not None
        and before.deadline != after.deadline
        and (at < before.deadline.due or _review_closed(before, after))
    ):
        items.append(_deadline_item(before, before.deadline, rules, EventStatus.CANCELLED))
    title = _decision_title(before, after)
    if title is not None:
        day = local_date(at, rules.timezone)
        items.append(
            CalendarItem(
                uid=item_uid(f"{after.id}-decision", rules.uid_domain),
                kind="membership_decision",
                title=title,
                start_date=day,
                audiences=frozenset({PUBLIC}),
            )
        )
    return items


def _channels(
    kind: NotificationKind,
    channels: tuple[str, ...],
    record: ApplicationRecord,
    version: str,
    text: str,
    at: datetime,
) -> list[Notification]:
    return [channel_notice(kind, c, record.id, version, text, at) for c in channels]


def _people(
    kind: NotificationKind,
    people: tuple[str, ...] | list[str],
    record: ApplicationRecord,
    version: str,
    text: str,
    at: datetime,
    action: str | None = None,
) -> list[Notification]:
    return [
        direct_notice(kind, p, record.id, version, text, at, action) for p in sorted(set(people))
    ]


def proposal_notice(record: ApplicationRecord, person: str, at: datetime) -> Notification:
    """Tells one voting member's focal point that an applicant is proposed, and until when they
    may object (sent to every voting member, page by page, when a review closes in favour)."""
    applicant, deadline = record.applicant, record.deadline
    due = day_text(deadline.due_date) if deadline else ""
    text = (
        f"{applicant.organisation} ({applicant.pillar.value}, {applicant.country}) is proposed "
        f"for admission as an Engaged member. Any voting member may object, with a reason, "
        f"until {due}."
    )
    return direct_notice(K.ANNOUNCEMENT, person, record.id, str(record.version), text, at)


def transition_notices(
    before: ApplicationRecord,
    transition: Transition,
    at: datetime,
    rules: ApplicationRules,
    voting_focal_points: tuple[str, ...] = (),
) -> list[Notification]:
    after = transition.record
    org, version = after.applicant.organisation, str(after.version)
    sc, plenary = rules.steering_committee, rules.plenary
    action = transition.action.removeprefix("application.")
    deadline = after.deadline
    due = day_text(deadline.due_date) if deadline else ""
    both = ("secretariat", "steering_committee")
    if action == "submitted":
        window = f"; window {day_text(after.window)}" if after.window else ""
        text = f"New {after.kind.value.replace('_', ' ')} application {after.id}: {org}{window}."
        return _channels(K.ANNOUNCEMENT, ("secretariat",), after, version, text, at)
    if action == "information_provided":
        text = f"{org} answered the information request on {after.id}; the check resumes."
        return _channels(K.ANNOUNCEMENT, ("secretariat",), after, version, text, at)
    if action == "review_started":
        text = f"Please record your recommendation on {org}'s application ({after.id}) by {due}."
        return _people(K.DEADLINE_REMINDER, after.reviewers, after, version, text, at, RECOMMEND)
    if action == "review_closed":
        summary = f"The {sc} review of {org}'s application closed: {transition.note}."
        notices = _channels(K.DECISION, both, after, version, summary, at)
        if after.state is S.NO_OBJECTION_PERIOD:
            told = sorted(set(voting_focal_points))
            notices += [proposal_notice(after, person, at) for person in told]
        return notices
    if action == "objected":
        text = f"An objection was recorded on {org}'s application: it goes to the {plenary}."
        return _channels(K.DECISION, both, after, version, text, at)
    if action == "provisionally_admitted":
        where = after.ratification_plenary or f"the next {plenary}"
        text = (
            f"{org} is provisionally admitted as an Engaged member; {where} will be asked to "
            "ratify."
        )
        return _channels(K.DECISION, ("all_members",), after, version, text, at)
    title = _decision_title(before, after)
    if action in {"admitted", "rejected", "withdrawn"} and title is not None:
        return _channels(K.DECISION, ("all_members",), after, version, f"{title}.", at)
    if action in {"rejected", "withdrawn", "lapsed"}:
        text = f"{org}'s application ({after.id}) is {after.state.value}: {transition.note or '-'}."
        return _channels(K.DECISION, both, after, version, text, at)
    return []


def timed_notices(
    record: ApplicationRecord, event: TimedEvent, rules: ApplicationRules
) -> list[Notification]:
    """Reminders and escalations: only to those who still owe something."""
    org, at, version = record.applicant.organisation, event.at, event.key
    both = ("secretariat", "steering_committee")
    deadline = record.deadline
    due = day_text(deadline.due_date) if deadline else ""
    target = day_text(day_ending_at(record.decision_target_at, rules.timezone))
    state = record.state.value
    match event.kind:
        case TimedEventKind.WINDOW_DUE:
            window = day_text(record.window) if record.window else ""
            text = f"{org}'s application ({window} window) is due for review; it is {state}."
            return _channels(K.DEADLINE_REMINDER, ("secretariat",), record, version, text, at)
        case TimedEventKind.INFORMATION_REMINDER:
            text = f"{org} has not yet answered the information request due {due} ({record.id})."
            return _channels(K.DEADLINE_REMINDER, ("secretariat",), record, version, text, at)
        case TimedEventKind.REVIEW_REMINDER:
            text = (
                f"Reminder: your recommendation on {org}'s application ({record.id}) is due {due}."
            )
            return _people(
                K.DEADLINE_REMINDER, record.silent_reviewers, record, version, text, at, RECOMMEND
            )
        case TimedEventKind.DECISION_WARNING:
            text = f"{org}'s application ({record.id}) is still {state}; decision target {target}."
            return _channels(K.OVERDUE, both, record, version, text, at)
        case TimedEventKind.DECISION_TARGET | TimedEventKind.ESCALATION:
            text = (
                f"The decision target for {org}'s application ({record.id}) passed on {target}; "
                f"it is still {state}."
            )
            return _channels(K.OVERDUE, both, record, version, text, at)
    return []
