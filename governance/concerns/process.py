"""The concern process end to end, still pure: a command to a transition, a transition to what
it publishes, and the timed events that fell due.

The service layer and the concern activity call these inside one write transaction each, so a
step, its audit entry, its calendar entries and its notices are recorded together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from governance.concerns.contracts import (
    AcknowledgeConcern,
    ConcernCommand,
    DecideConcern,
    ExtendDialogue,
    FileConcern,
    RecommendOnConcern,
    RecordDialogue,
    ReferConcern,
    WithdrawConcern,
)
from governance.concerns.effects import (
    Parties,
    audit_entry,
    calendar_items,
    timed_audit_entry,
    timed_notices,
    transition_notices,
)
from governance.concerns.model import ConcernRecord, ConcernRules, ConcernState
from governance.concerns.rules import (
    Transition,
    acknowledge,
    decide,
    extend_dialogue,
    file_concern,
    mark_done,
    recommend,
    record_dialogue,
    refer_to_review,
    withdraw,
)
from governance.concerns.timeline import TimedKind, pending_events
from governance.kernel.actor import Actor
from governance.kernel.audit import AuditEntry
from governance.kernel.calendar import CalendarItem


@dataclass(frozen=True, slots=True)
class NextPlenary:
    """The plenary that will decide (its id and first instant), if one is scheduled."""

    id: str
    starts: datetime


@dataclass(frozen=True, slots=True)
class Applied:
    record: ConcernRecord
    audit: tuple[AuditEntry, ...] = ()
    calendar: tuple[CalendarItem, ...] = ()


def transition_for(
    record: ConcernRecord | None,
    command: ConcernCommand,
    actor: Actor,
    at: datetime,
    rules: ConcernRules,
    plenary: NextPlenary | None = None,
    case: str | None = None,
) -> Transition:
    """Run the rule the command names; `record` is None only for a filing, and `case` is the
    id the server made for a filing (None: the filer's id names the case)."""
    if isinstance(command, FileConcern):
        return file_concern(command.filing, actor, at, rules, case)
    assert record is not None
    match command:
        case AcknowledgeConcern():
            return acknowledge(record, actor, at, rules)
        case RecordDialogue():
            return record_dialogue(record, actor, at, command.note, rules, command.held_on)
        case ExtendDialogue():
            return extend_dialogue(record, actor, at, command.reason, rules)
        case ReferConcern():
            return refer_to_review(record, actor, at, rules)
        case RecommendOnConcern():
            target = plenary.starts if plenary else None
            plenary_id = plenary.id if plenary else None
            return recommend(record, actor, at, command.recommendation, target, plenary_id)
        case DecideConcern():
            follow_ups = tuple(command.follow_ups)
            return decide(record, actor, at, command.outcome, command.note, rules, follow_ups)
        case WithdrawConcern():
            return withdraw(record, actor, at, command.note)
    raise AssertionError(f"unknown command {command!r}")


def publish(
    before: ConcernRecord | None,
    transition: Transition,
    at: datetime,
    rules: ConcernRules,
    parties: Parties,
) -> Applied:
    """The transition's record with its notices in the outbox, its audit entry, its calendar."""
    notices = transition_notices(transition, at, rules, parties)
    record = transition.record.model_copy(update={"outbox": (*transition.record.outbox, *notices)})
    items = calendar_items(before, record, at, rules, parties)
    return Applied(record, (audit_entry(transition, at),), tuple(items))


def run_due(
    record: ConcernRecord, now: datetime, rules: ConcernRules, parties: Parties
) -> Applied | None:
    """Carry out every timed event due by `now`, each at the instant it meant; None if none."""
    audit: list[AuditEntry] = []
    calendar: list[CalendarItem] = []
    changed = False
    while True:
        due = [e for e in pending_events(record, rules) if e.at <= now]
        if not due:
            break
        event, changed = due[0], True
        notices = timed_notices(record, event, rules, parties)
        if event.kind is TimedKind.DIALOGUE_CLOSE and record.state is ConcernState.DIALOGUE:
            applied = publish(
                record, refer_to_review(record, None, event.at, rules), event.at, rules, parties
            )
            audit += applied.audit
            calendar += applied.calendar
            record = applied.record
        else:
            audit.append(timed_audit_entry(record, event))
        record = mark_done(record, event.key).model_copy(
            update={"outbox": (*record.outbox, *notices)}
        )
    if not changed:
        return None
    return Applied(record, tuple(audit), tuple(calendar))
