"""When things happen to an application without anyone acting: reminders, lapses, closures.

Every open application always has a next timed event: its deadline if it has one, and in any case
the decision target (12 months after its window closes, by default) followed by an escalation
every month until someone decides. Nothing can sit unnoticed.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from enum import StrEnum

from governance.applications.model import (
    ApplicationRecord,
    ApplicationRules,
    ApplicationState,
    Deadline,
    DeadlineKind,
)
from governance.kernel.model import Frozen
from governance.kernel.timekeeping import day_ending_at, end_of_day
from governance.rulebook.model import MonthDay

S = ApplicationState
_BEFORE_REVIEW = frozenset({S.AWAITING_CHECK, S.INFORMATION_REQUESTED, S.COMPLETE})


class TimedEventKind(StrEnum):
    WINDOW_DUE = "window_due"
    DECISION_WARNING = "decision_warning"
    DECISION_TARGET = "decision_target"
    ESCALATION = "escalation"
    INFORMATION_REMINDER = "information_reminder"
    INFORMATION_LAPSE = "information_lapse"
    REVIEW_REMINDER = "review_reminder"
    REVIEW_CLOSE = "review_close"
    NO_OBJECTION_CLOSE = "no_objection_close"


class TimedEvent(Frozen):
    at: datetime
    key: str
    kind: TimedEventKind
    days_before: int | None = None


def deadline_after(
    kind: DeadlineKind, at: datetime, days: int, tz: str, number: int = 1
) -> Deadline:
    """Due at the end of the local day `days` after the day of `at`; a step taken by a deadline's
    timer (at local midnight, the instant that day ends) counts from the day that deadline
    closed, as a step taken a moment before it would: a review closed by its deadline opens a
    no-objection period of `days` days, not one more."""
    due_date = day_ending_at(at, tz) + timedelta(days=days)
    return Deadline(
        kind=kind, due_date=due_date, due=end_of_day(due_date, tz), set_at=at, number=number
    )


def window_for(day: date, windows: list[MonthDay]) -> date:
    """The first window closing on or after `day`: an application made after a close rolls over."""
    candidates = [date(year, w.month, w.day) for year in (day.year, day.year + 1) for w in windows]
    return min(c for c in candidates if c >= day)


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def decision_marks(
    base: date, warning_months: int, target_months: int, tz: str
) -> tuple[datetime, datetime]:
    """The instants of the decision warning and the decision target, counted from `base`."""
    return (
        end_of_day(add_months(base, warning_months), tz),
        end_of_day(add_months(base, target_months), tz),
    )


def _deadline_events(record: ApplicationRecord, rules: ApplicationRules) -> list[TimedEvent]:
    deadline = record.deadline
    if deadline is None:
        return []
    if record.state is S.INFORMATION_REQUESTED:
        prefix, offsets = f"information-{deadline.number}", rules.information_reminder_days_before
        reminder, closing = TimedEventKind.INFORMATION_REMINDER, TimedEventKind.INFORMATION_LAPSE
    elif record.state is S.UNDER_REVIEW:
        prefix, offsets = "review", rules.review_reminder_days_before
        reminder, closing = TimedEventKind.REVIEW_REMINDER, TimedEventKind.REVIEW_CLOSE
    elif record.state is S.NO_OBJECTION_PERIOD:
        prefix, offsets = "no-objection", ()
        reminder, closing = TimedEventKind.REVIEW_REMINDER, TimedEventKind.NO_OBJECTION_CLOSE
    else:
        return []
    events = [
        TimedEvent(
            at=deadline.due - timedelta(days=days),
            key=f"{prefix}-reminder-{days}",
            kind=reminder,
            days_before=days,
        )
        for days in offsets
        # a reminder that would fall before the deadline was even set is pointless
        if deadline.due - timedelta(days=days) > deadline.set_at
    ]
    events.append(TimedEvent(at=deadline.due, key=f"{prefix}-close", kind=closing))
    return events


def pending_events(record: ApplicationRecord, rules: ApplicationRules) -> list[TimedEvent]:
    """The timed events still to come for the record, earliest first."""
    if record.final:
        return []
    events = _deadline_events(record, rules)
    if record.window_due is not None and record.state in _BEFORE_REVIEW:
        events.append(
            TimedEvent(at=record.window_due, key="window-due", kind=TimedEventKind.WINDOW_DUE)
        )
    events.append(
        TimedEvent(
            at=record.decision_warning_at,
            key="decision-warning",
            kind=TimedEventKind.DECISION_WARNING,
        )
    )
    events.append(
        TimedEvent(
            at=record.decision_target_at, key="decision-target", kind=TimedEventKind.DECISION_TARGET
        )
    )
    n = 1
    while f"escalation-{n}" in record.done:
        n += 1
    events.append(
        TimedEvent(
            at=record.decision_target_at + timedelta(days=n * rules.escalation_every_days),
            key=f"escalation-{n}",
            kind=TimedEventKind.ESCALATION,
        )
    )
    return sorted((e for e in events if e.key not in record.done), key=lambda e: (e.at, e.key))


def next_event(record: ApplicationRecord, rules: ApplicationRules) -> TimedEvent | None:
    events = pending_events(record, rules)
    return events[0] if events else None
