"""A cycle whose deadlines fall before it opens (issue 19): a plenary early in January has its
reports due in November and its reviews in December, before the cycle opens on 2 January
(DEFAULT). Only reminders are dropped then (nobody can act before the opening); the overdue
step, the reviewers' assignment, the late-review list and the close run at the opening, in
their order, so the reports that come in afterwards get their reviewers on arrival. Before the
fix the cycle dropped every step before its opening, and such a cycle never got reviewers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.kernel.timekeeping import end_of_day, start_of_day
from governance.reports.cycle import (
    CycleStep,
    StepKind,
    cycle_dates,
    cycle_steps,
    due_steps,
)
from governance.reports.cycle_log import CycleLog
from governance.rulebook.model import Rulebook, load_rulebook
from tests.governance.plenaries import annual

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
ORDER = list(StepKind)
ONCE = (StepKind.OPEN, StepKind.OVERDUE, StepKind.ASSIGN, StepKind.REVIEWS_LATE, StepKind.CLOSE)


def _one(steps: list[CycleStep], kind: StepKind) -> CycleStep:
    (step,) = [s for s in steps if s.kind is kind]
    return step


def test_a_plenary_on_5_january_gets_its_assignment_at_the_opening() -> None:
    dates = cycle_dates(annual(date(2027, 1, 5), days=3), RULEBOOK)
    assert (dates.opens, dates.due, dates.review_due) == (
        date(2027, 1, 2),
        date(2026, 11, 21),
        date(2026, 12, 21),
    )
    opening = datetime(2027, 1, 2, 5, tzinfo=UTC)  # midnight in Toronto (EST)
    steps = [(s.kind, s.at, s.name) for s in cycle_steps(dates, RULEBOOK)]
    assert steps == [
        (StepKind.OPEN, opening, "open-2027-01-02"),
        # named after the dates they belong to, as ever: the markers stored keep matching
        (StepKind.OVERDUE, opening, "overdue-2026-11-21"),
        (StepKind.ASSIGN, opening, "assign-2026-11-21"),
        (StepKind.REVIEWS_LATE, opening, "reviews-late-2026-12-21"),
        (StepKind.CLOSE, datetime(2027, 1, 8, 5, tzinfo=UTC), "close"),
    ]


def test_a_plenary_on_10_february_of_a_leap_year_keeps_its_review_reminders() -> None:
    dates = cycle_dates(annual(date(2028, 2, 10), days=3), RULEBOOK)
    assert (dates.due, dates.review_due) == (date(2027, 12, 27), date(2028, 1, 26))
    opening = datetime(2028, 1, 2, 5, tzinfo=UTC)
    steps = [(s.kind, s.at) for s in cycle_steps(dates, RULEBOOK)]
    assert steps == [
        (StepKind.OPEN, opening),
        (StepKind.OVERDUE, opening),
        (StepKind.ASSIGN, opening),
        (StepKind.REVIEW_REMINDER, datetime(2028, 1, 19, 5, tzinfo=UTC)),
        (StepKind.REVIEW_REMINDER, datetime(2028, 1, 24, 5, tzinfo=UTC)),
        (StepKind.REVIEWS_LATE, datetime(2028, 1, 27, 5, tzinfo=UTC)),
        (StepKind.CLOSE, datetime(2028, 2, 13, 5, tzinfo=UTC)),
    ]


def test_a_plenary_on_1_january_opens_assigns_and_closes_in_that_order() -> None:
    dates = cycle_dates(annual(date(2027, 1, 1), days=1), RULEBOOK)
    opening = datetime(2027, 1, 2, 5, tzinfo=UTC)
    assert [(s.kind, s.at) for s in cycle_steps(dates, RULEBOOK)] == [
        (kind, opening) for kind in ONCE
    ]


@pytest.mark.parametrize("year", [2027, 2028, 2100])  # a common year, a leap year, 2100 is not
def test_every_plenary_of_the_year_gets_each_step_once_never_before_the_opening(
    year: int,
) -> None:
    day = date(year, 1, 1)
    while day.year == year:
        dates = cycle_dates(annual(day, days=3), RULEBOOK)
        opening = start_of_day(date(year, 1, 2), TZ)
        steps = cycle_steps(dates, RULEBOOK)
        for kind in ONCE:
            assert len([s for s in steps if s.kind is kind]) == 1, (day, kind)
        assert all(s.at >= opening for s in steps), day
        assert [ORDER.index(s.kind) for s in steps] == sorted(ORDER.index(s.kind) for s in steps)
        assert steps == sorted(steps, key=lambda s: s.at)
        # at the end of the due day, or at the opening when that day came before it
        due_end = end_of_day(dates.due, TZ)
        expected = due_end if due_end > opening else opening
        assert _one(steps, StepKind.ASSIGN).at == expected, day
        assert _one(steps, StepKind.OVERDUE).at == expected, day
        # the reminders kept are exactly those on or after the opening
        reminders = [s for s in steps if s.kind is StepKind.REPORT_REMINDER]
        wanted = [d for d in (30, 14, 7, 1) if dates.due - timedelta(days=d) >= date(year, 1, 2)]
        assert [s.at for s in reminders] == [
            start_of_day(dates.due - timedelta(days=d), TZ) for d in wanted
        ], day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    "starts", [date(2027, 1, 1), date(2027, 1, 5), date(2027, 1, 10), date(2028, 1, 3)]
)
def test_the_assignment_is_due_once_the_cycle_opens_and_then_marks_it_assigned(
    starts: date,
) -> None:
    dates = cycle_dates(annual(starts, days=3), RULEBOOK)
    steps = cycle_steps(dates, RULEBOOK)
    opening = start_of_day(date(starts.year, 1, 2), TZ)
    assert due_steps(steps, opening - timedelta(seconds=1), ()) == []
    due = due_steps(steps, opening, ())
    assert [s.kind for s in due][:3] == [StepKind.OPEN, StepKind.OVERDUE, StepKind.ASSIGN]
    log = CycleLog.of(s.name for s in due)
    # late reports are assigned on arrival from then on (activities.reports: `log.assigned`)
    assert log.assigned
    assert all(log.step(s.name, dates, RULEBOOK) == s for s in due)


def test_an_opening_later_in_the_year_moves_the_steps_it_would_precede() -> None:
    spring = load_rulebook({"reporting": {"opens": {"month": 3, "day": 1}}})
    dates = cycle_dates(annual(date(2027, 4, 1), days=3), spring)  # reports due 15 February
    opening = datetime(2027, 3, 1, 5, tzinfo=UTC)
    steps = cycle_steps(dates, spring)
    assert [(s.kind, s.at) for s in steps][:3] == [
        (StepKind.OPEN, opening),
        (StepKind.OVERDUE, opening),
        (StepKind.ASSIGN, opening),
    ]
    assert StepKind.REPORT_REMINDER not in {s.kind for s in steps}
