"""What each step of a concern publishes: notices, calendar entries and its audit entry.

Anonymity holds by construction: no notice text, calendar title or description ever names the
filer or the filer's member (the Secretariat reads who filed from the case itself). Calendar
entries are confidential and addressed to people (the parties) and, from the review stage, to
the Steering Committee's role; none is ever public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from governance.concerns.model import ConcernRecord, ConcernRules, ConcernState
from governance.concerns.rules import Transition
from governance.concerns.timeline import TimedEvent, TimedKind
from governance.kernel.audit import AuditEntry
from governance.kernel.calendar import (
    CalendarItem,
    EventStatus,
    item_uid,
    person_audience,
    role_audience,
)
from governance.kernel.model import Role
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.timekeeping import day_ending_at, local_date
from governance.kernel.wording import day_text
from governance.rulebook.model import NotificationKind

S = ConcernState
K = NotificationKind
SECRETARIAT = "secretariat"


@dataclass(frozen=True, slots=True)
class Parties:
    """The people a case concerns, found in the registry by the activity that publishes."""

    filer_side: tuple[str, ...] = ()
    about_side: tuple[str, ...] = ()
    chair: tuple[str, ...] = ()

    @property
    def both_sides(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.filer_side) | set(self.about_side)))


def audit_entry(transition: Transition, at: datetime) -> AuditEntry:
    """The audit log keeps who really acted: it is read by the Secretariat only."""
    record = transition.record
    return AuditEntry(
        key=f"{record.id}:v{record.version}",
        at=at,
        actor=transition.by,
        action=transition.action,
        item_kind="concern",
        item_id=record.id,
        reason=transition.note[:2000],
        data={"state": record.state.value, "anonymous": record.anonymous},
    )


def timed_audit_entry(record: ConcernRecord, event: TimedEvent) -> AuditEntry:
    return AuditEntry(
        key=f"{record.id}:{event.key}",
        at=event.at,
        actor="system",
        action=f"concern.{event.kind.value}",
        item_kind="concern",
        item_id=record.id,
        data={"state": record.state.value},
    )


def _direct(
    kind: NotificationKind,
    people: tuple[str, ...],
    record: ConcernRecord,
    version: str,
    text: str,
    at: datetime,
) -> list[Notification]:
    return [direct_notice(kind, p, record.id, version, text, at) for p in sorted(set(people))]


def _secretariat(
    kind: NotificationKind, record: ConcernRecord, version: str, text: str, at: datetime
) -> list[Notification]:
    return [channel_notice(kind, SECRETARIAT, record.id, version, text, at)]


def transition_notices(
    transition: Transition, at: datetime, rules: ConcernRules, parties: Parties
) -> list[Notification]:
    """Who is told of a step; texts name the case and the member concerned, never the filer."""
    record, version = transition.record, str(transition.record.version)
    case, tz = f"concern {record.id} about {record.about}", rules.timezone
    action = transition.action.removeprefix("concern.")
    if action == "filed":
        due = day_text(day_ending_at(record.acknowledge_due, tz))
        text = f"A new {case} was filed; please acknowledge it by {due}."
        return _secretariat(K.ANNOUNCEMENT, record, version, text, at)
    if action == "acknowledged":
        due = day_text(day_ending_at(record.dialogue_due, tz)) if record.dialogue_due else ""
        text = (
            f"The {rules.secretariat} acknowledged {case}; a facilitated dialogue between the "
            f"parties runs until {due}."
        )
        return _direct(K.CHANGE_NOTICE, parties.both_sides, record, version, text, at)
    if action == "dialogue_extended":
        due = day_text(day_ending_at(record.dialogue_due, tz)) if record.dialogue_due else ""
        text = f"The {rules.chair} extended the dialogue on {case} until {due}."
        notices = _direct(K.CHANGE_NOTICE, parties.both_sides, record, version, text, at)
        return notices + _secretariat(K.CHANGE_NOTICE, record, version, text, at)
    if action == "referred":
        due = day_text(day_ending_at(record.review_due, tz)) if record.review_due else ""
        text = f"The dialogue on {case} ended; the {rules.steering_committee} reviews it by {due}."
        notices = _direct(K.CHANGE_NOTICE, parties.both_sides, record, version, text, at)
        notices.append(
            channel_notice(K.DEADLINE_REMINDER, "steering_committee", record.id, version, text, at)
        )
        return notices + _secretariat(K.CHANGE_NOTICE, record, version, text, at)
    if action == "recommended":
        where = (
            f"the {rules.plenary} ({record.decision_plenary})"
            if record.decision_plenary
            else "an intersessional vote"
        )
        text = f"The {rules.steering_committee} recommended on {case}; the decision is for {where}."
        notices = _direct(K.CHANGE_NOTICE, parties.both_sides, record, version, text, at)
        return notices + _secretariat(K.CHANGE_NOTICE, record, version, text, at)
    if action in {"decided", "resolved_early", "withdrawn"}:
        outcome = record.outcome.value.replace("_", " ") if record.outcome else "withdrawn"
        text = f"The {case} is closed: {outcome}."
        if record.decision and record.decision.follow_ups:
            days = ", ".join(day_text(d) for d in record.decision.follow_ups)
            text += f" Follow-ups of the remedial plan: {days}."
        notices = _direct(K.DECISION, parties.both_sides, record, version, text, at)
        if any(s.state in {S.REVIEW, S.AWAITING_DECISION} for s in record.history):
            notices.append(
                channel_notice(K.DECISION, "steering_committee", record.id, version, text, at)
            )
        return notices + _secretariat(K.DECISION, record, version, text, at)
    return []


def timed_notices(
    record: ConcernRecord, event: TimedEvent, rules: ConcernRules, parties: Parties
) -> list[Notification]:
    """Escalations and reminders, to those who must act."""
    case, at, version = f"concern {record.id} about {record.about}", event.at, event.key
    match event.kind:
        case TimedKind.ACKNOWLEDGE_LATE:
            text = (
                f"The {rules.secretariat} has not acknowledged {case} within "
                f"{rules.acknowledge_days} days."
            )
            notices = _direct(K.OVERDUE, parties.chair, record, version, text, at)
            return notices + _secretariat(K.OVERDUE, record, version, text, at)
        case TimedKind.REVIEW_LATE:
            text = f"The {rules.steering_committee}'s recommendation on {case} is overdue."
            notices = _direct(K.OVERDUE, parties.chair, record, version, text, at)
            notices.append(
                channel_notice(K.OVERDUE, "steering_committee", record.id, version, text, at)
            )
            return notices + _secretariat(K.OVERDUE, record, version, text, at)
        case TimedKind.DECISION_DUE:
            where = f" ({record.decision_plenary})" if record.decision_plenary else ""
            text = f"The {rules.plenary}{where} begins: please record the decision on {case}."
            return _secretariat(K.DEADLINE_REMINDER, record, version, text, at)
        case TimedKind.FOLLOW_UP:
            day = day_text(local_date(event.at, rules.timezone))
            text = f"Follow-up of the remedial plan on {case} is due today ({day})."
            notices = _direct(K.DEADLINE_REMINDER, parties.both_sides, record, version, text, at)
            return notices + _secretariat(K.DEADLINE_REMINDER, record, version, text, at)
    return []


def _deadline(record: ConcernRecord, rules: ConcernRules) -> tuple[str, datetime, str] | None:
    if record.state is S.FILED:
        return "acknowledge", record.acknowledge_due, "acknowledgement due"
    if record.state is S.DIALOGUE and record.dialogue_due is not None:
        return "dialogue", record.dialogue_due, "dialogue ends"
    if record.state is S.REVIEW and record.review_due is not None:
        return "review", record.review_due, f"{rules.steering_committee} recommendation due"
    return None


def calendar_items(
    before: ConcernRecord | None,
    after: ConcernRecord,
    at: datetime,
    rules: ConcernRules,
    parties: Parties,
) -> list[CalendarItem]:
    """The current deadline of the case for the parties (and the Committee during review);
    a deadline the step ended or moved is cancelled or updated under the same UID."""
    audiences = {role_audience(Role.SECRETARIAT)} | {person_audience(p) for p in parties.both_sides}
    if after.state in {S.REVIEW, S.AWAITING_DECISION}:
        audiences.add(role_audience(Role.STEERING_COMMITTEE))
    items: list[CalendarItem] = []
    new, old = _deadline(after, rules), _deadline(before, rules) if before else None
    if old is not None and (new is None or new[0] != old[0]) and at < old[1]:
        items.append(_item(after, old, rules, audiences, EventStatus.CANCELLED))
    if new is not None and new != old:
        items.append(_item(after, new, rules, audiences, EventStatus.CONFIRMED))
    return items


def _item(
    record: ConcernRecord,
    deadline: tuple[str, datetime, str],
    rules: ConcernRules,
    audiences: set[str],
    status: EventStatus,
) -> CalendarItem:
    suffix, due, label = deadline
    return CalendarItem(
        uid=item_uid(f"concern-{record.id}-{suffix}", rules.uid_domain),
        kind="concern_deadline",
        title=f"Concern {record.id} about {record.about}: {label}",
        description="Confidential to the parties of the case.",
        start_date=day_ending_at(due, rules.timezone),
        status=status,
        audiences=frozenset(audiences),
        confidential=True,
    )
