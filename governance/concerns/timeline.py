"""When things happen to a concern without anyone acting: escalations, the end of the
dialogue, the decision target and the follow-ups of a remedial plan."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from governance.concerns.model import ConcernRecord, ConcernRules, ConcernState, Outcome
from governance.kernel.model import Frozen
from governance.kernel.timekeeping import start_of_day

S = ConcernState


class TimedKind(StrEnum):
    ACKNOWLEDGE_LATE = "acknowledge_late"
    DIALOGUE_CLOSE = "dialogue_close"
    REVIEW_LATE = "review_late"
    DECISION_DUE = "decision_due"
    FOLLOW_UP = "follow_up"


class TimedEvent(Frozen):
    at: datetime
    key: str
    kind: TimedKind


def _events(record: ConcernRecord, rules: ConcernRules) -> list[TimedEvent]:
    if record.state is S.FILED:
        late = TimedKind.ACKNOWLEDGE_LATE
        return [TimedEvent(at=record.acknowledge_due, key="acknowledge-late", kind=late)]
    if record.state is S.DIALOGUE and record.dialogue_due is not None:
        # numbered by extensions, so an extended dialogue gets a fresh close
        key = f"dialogue-close-{len(record.extensions)}"
        return [TimedEvent(at=record.dialogue_due, key=key, kind=TimedKind.DIALOGUE_CLOSE)]
    if record.state is S.REVIEW and record.review_due is not None:
        return [TimedEvent(at=record.review_due, key="review-late", kind=TimedKind.REVIEW_LATE)]
    if record.state is S.AWAITING_DECISION and record.decision_target is not None:
        return [
            TimedEvent(at=record.decision_target, key="decision-due", kind=TimedKind.DECISION_DUE)
        ]
    decision = record.decision
    if decision is not None and decision.outcome is Outcome.REMEDIAL_PLAN:
        return [
            TimedEvent(
                at=start_of_day(day, rules.timezone),
                key=f"follow-up-{day.isoformat()}",
                kind=TimedKind.FOLLOW_UP,
            )
            for day in decision.follow_ups
        ]
    return []


def pending_events(record: ConcernRecord, rules: ConcernRules) -> list[TimedEvent]:
    """The timed events still to come, earliest first; none once nothing is left to happen."""
    events = (e for e in _events(record, rules) if e.key not in record.done)
    return sorted(events, key=lambda e: (e.at, e.key))


def next_event(record: ConcernRecord, rules: ConcernRules) -> TimedEvent | None:
    events = pending_events(record, rules)
    return events[0] if events else None
