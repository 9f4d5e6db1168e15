"""The Engaged period: evidence towards Full membership, checkpoints, and the deadline.

An Engaged member has until a date set by the rulebook (VPI default: 31 December of the third
calendar year after admission) to become Full. Reminders go out yearly and shortly before the
deadline; when it passes, the Steering Committee is asked to extend it or decide, every month
until it does. Nothing here ever demotes a member.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime

from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.messages import Message, say, term, word
from governance.kernel.model import Frozen, Pillar, Role
from governance.kernel.timekeeping import end_of_day, start_of_day
from governance.rulebook.model import EngagedPeriod, EvidenceKind

ESCALATION_EVERY_DAYS = 30


class PeriodState(StrEnum):
    ENGAGED = "engaged"
    FULL = "full"
    ENDED = "ended"


class Evidence(Frozen):
    kind: EvidenceKind
    at: AwareDatetime
    by: str
    note: str = ""


class Checkpoint(Frozen):
    key: str
    at: AwareDatetime
    label: str


class Extension(Frozen):
    due_date: date
    at: AwareDatetime
    by: str
    reason: str


class EngagedRecord(Frozen):
    member: str
    name: str
    pillar: Pillar
    admitted_on: date
    due_date: date
    due: AwareDatetime
    # when govsched began tracking the period (later than admission for an existing member)
    tracking_since: AwareDatetime
    required_evidence: EvidenceKind | None
    checkpoints: tuple[Checkpoint, ...]
    evidence: tuple[Evidence, ...] = ()
    extensions: tuple[Extension, ...] = ()
    requests: tuple[str, ...] = ()
    open_request: str | None = None
    state: PeriodState = PeriodState.ENGAGED
    done: frozenset[str] = frozenset()
    version: int = 1


def full_membership_due(admitted_on: date, rules: EngagedPeriod, tz: str) -> tuple[date, datetime]:
    year = admitted_on.year + rules.calendar_years_after_admission
    due_date = date(year, rules.due.month, rules.due.day)
    return due_date, end_of_day(due_date, tz)


def checkpoints(
    admitted_on: date, due_date: date, rules: EngagedPeriod, tz: str
) -> tuple[Checkpoint, ...]:
    """Yearly anniversaries of admission, and the rulebook's days before the deadline."""
    marks: list[Checkpoint] = []
    if rules.yearly_checkpoints:
        year = admitted_on.year + 1
        while (anniversary := _same_day(admitted_on, year)) < due_date:
            marks.append(
                Checkpoint(
                    key=f"anniversary-{year}",
                    at=start_of_day(anniversary, tz),
                    label=f"{year - admitted_on.year} year(s) since admission",
                )
            )
            year += 1
    for days in rules.checkpoint_days_before:
        day = due_date - timedelta(days=days)
        if day > admitted_on:
            marks.append(
                Checkpoint(
                    # keyed by the deadline too: an extension's reminders are new reminders
                    key=f"due-in-{days}-days-{due_date.isoformat()}",
                    at=start_of_day(day, tz),
                    label=f"{days} days before the deadline",
                )
            )
    return tuple(sorted(marks, key=lambda c: (c.at, c.key)))


def _same_day(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a common year
        return day.replace(year=year, day=28)


def new_record(
    member: str,
    name: str,
    pillar: Pillar,
    admitted_on: date,
    rules: EngagedPeriod,
    tz: str,
    tracking_since: datetime,
) -> EngagedRecord:
    due_date, due = full_membership_due(admitted_on, rules, tz)
    return EngagedRecord(
        member=member,
        name=name,
        pillar=pillar,
        admitted_on=admitted_on,
        due_date=due_date,
        due=due,
        tracking_since=tracking_since,
        required_evidence=rules.evidence.get(pillar),
        checkpoints=checkpoints(admitted_on, due_date, rules, tz),
    )


def _own_or_secretariat(
    member: str, actor_roles: frozenset[Role], actor_member: str | None, action: str
) -> None:
    own = Role.FOCAL_POINT in actor_roles and actor_member == member
    if not own and Role.SECRETARIAT not in actor_roles:
        raise Forbidden(
            Role.SECRETARIAT.value,
            say("%(action)s (or the member's own focal point)", action=action),
        )


# Who may act depends on the member and the actor only, so the service asks before it looks
# the Engaged period up: the answer must not depend on whether its process has started yet.
def may_record_evidence(member: str, roles: frozenset[Role], actor_member: str | None) -> None:
    _own_or_secretariat(member, roles, actor_member, "recording evidence")


def may_request_full(member: str, roles: frozenset[Role], actor_member: str | None) -> None:
    _own_or_secretariat(member, roles, actor_member, "requesting Full membership")


def may_extend(roles: frozenset[Role]) -> None:
    if not roles & {Role.STEERING_COMMITTEE, Role.SECRETARIAT}:
        raise Forbidden(Role.STEERING_COMMITTEE.value, say("extending an Engaged period"))


def _require_engaged(record: EngagedRecord, action: Message) -> None:
    if record.state is not PeriodState.ENGAGED:
        raise Conflict(
            say(
                "cannot %(action)s: the member is %(state)s",
                action=term(action),
                state=word(record.state),
            ),
            [Problem("state", say("is %(state)s", state=word(record.state)))],
        )


def record_evidence(
    record: EngagedRecord,
    kind: EvidenceKind,
    at: datetime,
    by: str,
    roles: frozenset[Role],
    member: str | None,
    note: str = "",
) -> EngagedRecord:
    may_record_evidence(record.member, roles, member)
    _require_engaged(record, say("record evidence"))
    if record.required_evidence is not None and kind is not record.required_evidence:
        raise InvalidInput(
            say("this is not the evidence the rulebook asks of this pillar"),
            [
                Problem(
                    "kind",
                    say(
                        "a %(pillar)s shows %(required_evidence)s",
                        pillar=record.pillar.value,
                        required_evidence=record.required_evidence.value,
                    ),
                )
            ],
        )
    entry = Evidence(kind=kind, at=at, by=by, note=note)
    return record.model_copy(
        update={"evidence": (*record.evidence, entry), "version": record.version + 1}
    )


def next_request_id(record: EngagedRecord) -> str:
    n = len(record.requests) + 1
    return f"full-{record.member}" if n == 1 else f"full-{record.member}-{n}"


def request_full(record: EngagedRecord, roles: frozenset[Role], member: str | None) -> str:
    """The id the Full-membership application gets, if the member may ask now."""
    may_request_full(record.member, roles, member)
    _require_engaged(record, say("request Full membership"))
    if record.open_request is not None:
        raise Conflict(
            say("a request for Full membership is already open"),
            [
                Problem(
                    "member",
                    say(
                        "%(open_request)s is still being decided", open_request=record.open_request
                    ),
                )
            ],
        )
    if record.required_evidence is not None and not any(
        e.kind is record.required_evidence for e in record.evidence
    ):
        raise Conflict(
            say("record the evidence first"),
            [
                Problem(
                    "member",
                    say(
                        "no %(required_evidence)s recorded yet",
                        required_evidence=record.required_evidence.value,
                    ),
                )
            ],
        )
    return next_request_id(record)


def extend(
    record: EngagedRecord,
    due_date: date,
    due: datetime,
    at: datetime,
    by: str,
    roles: frozenset[Role],
    reason: str,
    new_checkpoints: tuple[Checkpoint, ...] = (),
) -> EngagedRecord:
    """Move the deadline later; the reminders become those of the new deadline still ahead.

    Deadline and escalation keys carry the deadline's date, so the new deadline is announced
    and escalated afresh.
    """
    may_extend(roles)
    _require_engaged(record, say("extend the Engaged period"))
    if due_date <= record.due_date:
        raise InvalidInput(
            say("an extension must move the deadline later"),
            [Problem("until", say("must be after %(due_date)s", due_date=record.due_date))],
        )
    extension = Extension(due_date=due_date, at=at, by=by, reason=reason)
    return record.model_copy(
        update={
            "due_date": due_date,
            "due": due,
            "extensions": (*record.extensions, extension),
            "checkpoints": tuple(c for c in new_checkpoints if c.at > at),
            "version": record.version + 1,
        }
    )


class PeriodEvent(Frozen):
    at: AwareDatetime
    key: str
    label: str
    overdue: bool = False


def pending_events(record: EngagedRecord) -> list[PeriodEvent]:
    """Checkpoints still ahead, the deadline, and the next escalation after it.

    Nothing is sent for what happened before tracking began: a deadline that had already passed
    is reported once when tracking begins, and escalations count from then.
    """
    if record.state is not PeriodState.ENGAGED:
        return []
    since = record.tracking_since
    events = [
        PeriodEvent(at=c.at, key=c.key, label=c.label)
        for c in record.checkpoints
        if since <= c.at < record.due
    ]
    due_key = record.due_date.isoformat()
    start = max(record.due, since)
    events.append(
        PeriodEvent(at=start, key=f"deadline-{due_key}", label="the deadline passed", overdue=True)
    )
    n = 1
    while f"overdue-{due_key}-{n}" in record.done:
        n += 1
    events.append(
        PeriodEvent(
            at=start + timedelta(days=n * ESCALATION_EVERY_DAYS),
            key=f"overdue-{due_key}-{n}",
            label="the deadline passed and nothing was decided",
            overdue=True,
        )
    )
    return sorted((e for e in events if e.key not in record.done), key=lambda e: (e.at, e.key))
