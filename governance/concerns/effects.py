"""What each step of a concern publishes: notices, calendar entries and its audit entry.

Anonymity holds by construction: no notice text, calendar title or description ever names the
filer or the filer's member (the Secretariat reads who filed from the case itself). Calendar
entries are confidential and addressed to people (the parties) and, from the review stage, to
the Steering Committee's role; none is ever public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from governance.concerns.model import ConcernRecord, ConcernRules, ConcernState, Outcome
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
from governance.kernel.messages import (
    NP_,
    Day,
    Label,
    Message,
    Period,
    Term,
    Terms,
    say,
    say_in,
    say_n,
    sentences,
    term,
)
from governance.kernel.model import Plenary, Role
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.timekeeping import day_ending_at, local_date
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
    # the name of the member the case is about, as people read it (its id where unknown)
    about_name: str = ""
    # the plenary that decides the case, as the registry has it (None: none, or unknown)
    plenary: Plenary | None = None

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
    text: Message,
    at: datetime,
) -> list[Notification]:
    return [direct_notice(kind, p, record.id, version, text, at) for p in sorted(set(people))]


def _secretariat(
    kind: NotificationKind, record: ConcernRecord, version: str, text: Message, at: datetime
) -> list[Notification]:
    return [channel_notice(kind, SECRETARIAT, record.id, version, text, at)]


_OUTCOMES = {
    Outcome.RESOLVED: NP_("concern outcome", "resolved"),
    Outcome.NO_FURTHER_ACTION: NP_("concern outcome", "no further action"),
    Outcome.REMEDIAL_PLAN: NP_("concern outcome", "remedial plan"),
    Outcome.PROPOSE_INACTIVE: NP_("concern outcome", "propose inactive"),
    Outcome.PROPOSE_EXPULSION: NP_("concern outcome", "propose expulsion"),
}
_WITHDRAWN = NP_("concern outcome", "withdrawn")


def _about(record: ConcernRecord, parties: Parties) -> str:
    return parties.about_name or record.about


def _case(record: ConcernRecord, parties: Parties) -> Term:
    about = _about(record, parties)
    return term(say("concern %(id)s about %(about)s", id=record.id, about=about))


def _sitting(record: ConcernRecord, parties: Parties) -> Term | str:
    """Where and when the deciding plenary meets; its id only if the registry lost it."""
    plenary = parties.plenary
    if plenary is None or plenary.id != record.decision_plenary:
        return record.decision_plenary or ""
    dates = Period(starts=plenary.starts, ends=plenary.ends)
    return term(say("%(location)s, %(dates)s", location=plenary.location, dates=dates))


def _label(field: str, text: str) -> Label:
    return Label(key=f"initiative.labels.{field}", text=text)


def _due(instant: datetime | None, tz: str) -> Day | str:
    return "" if instant is None else Day(value=day_ending_at(instant, tz))


def transition_notices(
    transition: Transition, at: datetime, rules: ConcernRules, parties: Parties
) -> list[Notification]:
    """Who is told of a step; texts name the case and the member concerned, never the filer."""
    record, version = transition.record, str(transition.record.version)
    case, tz = _case(record, parties), rules.timezone
    secretariat = _label("secretariat", rules.secretariat)
    committee = _label("steering_committee", rules.steering_committee)
    plenary = _label("plenary", rules.plenary)
    action = transition.action.removeprefix("concern.")
    if action == "filed":
        text = say(
            "A new %(case)s was filed; please acknowledge it by %(due)s.",
            case=case,
            due=_due(record.acknowledge_due, tz),
        )
        return _secretariat(K.ANNOUNCEMENT, record, version, text, at)
    if action == "acknowledged":
        text = say(
            "The %(secretariat)s acknowledged %(case)s; a facilitated dialogue between the "
            "parties runs until %(due)s.",
            secretariat=secretariat,
            case=case,
            due=_due(record.dialogue_due, tz),
        )
        return _direct(K.CHANGE_NOTICE, parties.both_sides, record, version, text, at)
    if action == "dialogue_extended":
        text = say(
            "The %(chair)s extended the dialogue on %(case)s until %(due)s.",
            chair=_label("chair", rules.chair),
            case=case,
            due=_due(record.dialogue_due, tz),
        )
        notices = _direct(K.CHANGE_NOTICE, parties.both_sides, record, version, text, at)
        return notices + _secretariat(K.CHANGE_NOTICE, record, version, text, at)
    if action == "referred":
        text = say(
            "The dialogue on %(case)s ended; the %(committee)s reviews it by %(due)s.",
            case=case,
            committee=committee,
            due=_due(record.review_due, tz),
        )
        notices = _direct(K.CHANGE_NOTICE, parties.both_sides, record, version, text, at)
        # the Committee's request to act, which no opt-out stops
        notices.append(
            channel_notice(K.REQUEST, "steering_committee", record.id, version, text, at)
        )
        return notices + _secretariat(K.CHANGE_NOTICE, record, version, text, at)
    if action == "recommended":
        if record.decision_plenary:
            text = say(
                "The %(committee)s recommended on %(case)s; the decision is for the %(plenary)s "
                "(%(sitting)s).",
                committee=committee,
                case=case,
                plenary=plenary,
                sitting=_sitting(record, parties),
            )
        else:
            text = say(
                "The %(committee)s recommended on %(case)s; the decision is for an "
                "intersessional vote.",
                committee=committee,
                case=case,
            )
        notices = _direct(K.CHANGE_NOTICE, parties.both_sides, record, version, text, at)
        return notices + _secretariat(K.CHANGE_NOTICE, record, version, text, at)
    if action in {"decided", "resolved_early", "withdrawn"}:
        outcome = term(
            say_in("concern outcome", _OUTCOMES[record.outcome] if record.outcome else _WITHDRAWN)
        )
        text = say("The %(case)s is closed: %(outcome)s.", case=case, outcome=outcome)
        if record.decision and record.decision.follow_ups:
            days = tuple(say("%(day)s", day=d) for d in record.decision.follow_ups)
            text = sentences(
                text,
                say(
                    "Follow-ups of the remedial plan: %(days)s.",
                    days=Terms(messages=days),
                ),
            )
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
    case, at, version = _case(record, parties), event.at, event.key
    committee = _label("steering_committee", rules.steering_committee)
    match event.kind:
        case TimedKind.ACKNOWLEDGE_LATE:
            text = say_n(
                "The %(secretariat)s has not acknowledged %(case)s within %(count)s day.",
                "The %(secretariat)s has not acknowledged %(case)s within %(count)s days.",
                rules.acknowledge_days,
                secretariat=_label("secretariat", rules.secretariat),
                case=case,
            )
            notices = _direct(K.OVERDUE, parties.chair, record, version, text, at)
            return notices + _secretariat(K.OVERDUE, record, version, text, at)
        case TimedKind.REVIEW_LATE:
            text = say(
                "The %(committee)s's recommendation on %(case)s is overdue.",
                committee=committee,
                case=case,
            )
            notices = _direct(K.OVERDUE, parties.chair, record, version, text, at)
            notices.append(
                channel_notice(K.OVERDUE, "steering_committee", record.id, version, text, at)
            )
            return notices + _secretariat(K.OVERDUE, record, version, text, at)
        case TimedKind.DECISION_DUE:
            plenary = _label("plenary", rules.plenary)
            if record.decision_plenary:
                text = say(
                    "The %(plenary)s (%(sitting)s) begins: please record the decision on %(case)s.",
                    plenary=plenary,
                    sitting=_sitting(record, parties),
                    case=case,
                )
            else:
                text = say(
                    "The %(plenary)s begins: please record the decision on %(case)s.",
                    plenary=plenary,
                    case=case,
                )
            return _secretariat(K.DEADLINE_REMINDER, record, version, text, at)
        case TimedKind.FOLLOW_UP:
            text = say(
                "Follow-up of the remedial plan on %(case)s is due today (%(day)s).",
                case=case,
                day=local_date(event.at, rules.timezone),
            )
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
        items.append(_item(after, old, rules, audiences, EventStatus.CANCELLED, parties))
    if new is not None and new != old:
        items.append(_item(after, new, rules, audiences, EventStatus.CONFIRMED, parties))
    return items


def _deadline_title(
    record: ConcernRecord, suffix: str, rules: ConcernRules, parties: Parties
) -> Message:
    """As `_deadline` names the step, in each reader's language."""
    about = _about(record, parties)
    if suffix == "acknowledge":
        return say("Concern %(id)s about %(about)s: acknowledgement due", id=record.id, about=about)
    if suffix == "dialogue":
        return say("Concern %(id)s about %(about)s: dialogue ends", id=record.id, about=about)
    return say(
        "Concern %(id)s about %(about)s: %(committee)s recommendation due",
        id=record.id,
        about=about,
        committee=_label("steering_committee", rules.steering_committee),
    )


def _item(
    record: ConcernRecord,
    deadline: tuple[str, datetime, str],
    rules: ConcernRules,
    audiences: set[str],
    status: EventStatus,
    parties: Parties,
) -> CalendarItem:
    suffix, due, _ = deadline
    title = _deadline_title(record, suffix, rules, parties)
    description = say("Confidential to the parties of the case.")
    return CalendarItem(
        uid=item_uid(f"concern-{record.id}-{suffix}", rules.uid_domain),
        kind="concern_deadline",
        title=title.english(),
        description=description.english(),
        title_message=title,
        description_message=description,
        start_date=day_ending_at(due, rules.timezone),
        status=status,
        audiences=frozenset(audiences),
        confidential=True,
    )
