"""The cycle's markers read as typed steps: the stored strings keep their format, and every step
the status hands the workflow resolves to the step it stands for (issue 18)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.model import Plenary
from governance.reports.cycle import cycle_dates, cycle_steps, due_steps, set_aside_marker
from governance.reports.cycle_log import CycleLog, MovedDates, ToldDates, step_names
from governance.rulebook.model import Rulebook

RULEBOOK = Rulebook()
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 12, 31))


def plenary(starts: date) -> Plenary:
    return Plenary(
        id=f"plenary-{starts.year}",
        year=starts.year,
        starts=starts,
        ends=starts + timedelta(days=3),
        location="Norland Harbour",
    )


@given(days, days)
def test_told_dates_keep_the_stored_marker_and_read_back(due: date, review_due: date) -> None:
    told = ToldDates(due, review_due)
    assert told.marker == f"dates-{due}-{review_due}"
    assert ToldDates.parse(told.marker) == told


@given(st.text(max_size=40))
def test_anything_else_is_not_a_dates_marker(text: str) -> None:
    parsed = ToldDates.parse(text)
    assert parsed is None or parsed.marker == text


@given(st.dates(min_value=date(2001, 3, 1), max_value=date(2190, 12, 1)), st.integers(-60, 60))
def test_a_move_is_told_only_when_the_plenary_moved_since(starts: date, shift: int) -> None:
    before = cycle_dates(plenary(starts), RULEBOOK)
    after = cycle_dates(plenary(starts + timedelta(days=shift)), RULEBOOK)
    log = CycleLog.of(["open-x", ToldDates.of(before).marker, "report-reminder-x"])
    moved = log.moved(after)
    if ToldDates.of(before) == ToldDates.of(after):
        assert moved is None
    else:
        assert moved == MovedDates(was=ToldDates.of(before), now=ToldDates.of(after))
        assert moved.name == f"moved-1-{after.due}-{after.review_due}"
        assert log.step(moved.name, after, RULEBOOK) == moved
    assert CycleLog.of([]).moved(after) is None  # nothing was told: nothing moved


@given(
    st.dates(min_value=date(2001, 3, 1), max_value=date(2190, 12, 1)),
    st.integers(min_value=0, max_value=500),
)
def test_every_step_the_status_names_resolves_to_the_step_it_stands_for(
    starts: date, days_in: int
) -> None:
    dates = cycle_dates(plenary(starts), RULEBOOK)
    steps = cycle_steps(dates, RULEBOOK)
    now = datetime(starts.year - 1, 10, 1, tzinfo=UTC) + timedelta(days=days_in)
    log = CycleLog.of([])
    due = due_steps(steps, now, log.done)
    names = step_names(log.moved(dates), due)
    assert [log.step(name, dates, RULEBOOK) for name in names] == due
    # a step renamed by a moved plenary is no longer a step
    assert log.step("overdue-1999-01-01", dates, RULEBOOK) is None


def test_the_log_reads_closing_assignment_and_set_aside_reports() -> None:
    dates = cycle_dates(plenary(date(2027, 5, 18)), RULEBOOK)
    done = ["open-2027-01-15", f"assign-{dates.due}", set_aside_marker("gov-a", RULEBOOK)]
    log = CycleLog.of(done)
    assert log.assigned
    assert not log.closed
    assert log.set_aside(RULEBOOK) == {"gov-a"}
    assert log.has_run("open-2027-01-15")
    assert CycleLog.of([*done, "close"]).closed
    assert not CycleLog.of(["reassign-x"]).assigned
