"""An annual plenary that would end before its year's reports open is refused, scheduled or
moved there: its reporting cycle would open and close at once, every report missed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.model import Plenary, PlenaryKind, plenary_id
from governance.registry.changes import (
    MovePlenary,
    PlenaryFacts,
    SchedulePlenary,
    move_plenary,
    schedule_plenary,
)
from governance.reports.cycle import StepKind, cycle_dates, cycle_steps
from governance.rulebook.model import Rulebook, load_rulebook

AT = datetime(2026, 6, 1, 12, tzinfo=UTC)
REFUSAL = (
    "the plenary would end before the {year} reports open on {opens}: hold it later, or open "
    "reports earlier (the rulebook's reporting.opens)"
)
# the default opening (2 January), one a Secretariat might choose, and the last day of February
RULEBOOKS = {
    "default": Rulebook(),
    "1 March": load_rulebook({"reporting": {"opens": {"month": 3, "day": 1}}}),
    "28 February": load_rulebook({"reporting": {"opens": {"month": 2, "day": 28}}}),
}


def _schedule(year: int, starts: date, ends: date, kind: PlenaryKind, rulebook: Rulebook) -> None:
    cmd = SchedulePlenary(year=year, starts=starts, ends=ends, location="Aldmoor", kind=kind)
    schedule_plenary(cmd, AT, frozenset(), None, rulebook)


def _days(year: int) -> list[date]:
    """Every day to a week past the latest opening above, then one a month and the last."""
    first = date(year, 1, 1)
    early = [first + timedelta(days=d) for d in range((date(year, 3, 8) - first).days)]
    return [*early, *(date(year, month, 15) for month in range(3, 13)), date(year, 12, 31)]


@pytest.mark.parametrize("name", RULEBOOKS)
@pytest.mark.parametrize("year", [2027, 2028])  # 2028 has a 29 February
@pytest.mark.parametrize("length", [1, 4])
def test_an_annual_plenary_is_refused_exactly_when_its_cycle_would_close_before_it_opens(
    name: str, year: int, length: int
) -> None:
    rulebook = RULEBOOKS[name]
    for starts in _days(year):
        ends = starts + timedelta(days=length - 1)
        opens = cycle_dates(_plenary(year, starts, ends), rulebook).opens
        if ends < opens:
            with pytest.raises(InvalidInput) as caught:
                _schedule(year, starts, ends, PlenaryKind.ANNUAL, rulebook)
            assert caught.value.problems == [
                Problem("ends", REFUSAL.format(year=year, opens=_day(opens)))
            ], starts
            continue
        _schedule(year, starts, ends, PlenaryKind.ANNUAL, rulebook)
        steps = cycle_steps(cycle_dates(_plenary(year, starts, ends), rulebook), rulebook)
        opening = next(s.at for s in steps if s.kind is StepKind.OPEN)
        close = next(s.at for s in steps if s.kind is StepKind.CLOSE)
        assert close > opening, starts
        # an extraordinary plenary has no reporting cycle: any day of its year will do
        _schedule(year, starts, ends, PlenaryKind.EXTRAORDINARY, rulebook)


def test_a_plenary_on_1_january_is_refused_with_the_other_problems() -> None:
    cmd = SchedulePlenary(
        year=2027, starts=date(2027, 1, 1), ends=date(2027, 1, 1), location="A", host="gov-nobody"
    )
    with pytest.raises(InvalidInput) as caught:
        schedule_plenary(cmd, AT, frozenset(), None, Rulebook())
    assert caught.value.problems == [
        Problem("ends", REFUSAL.format(year=2027, opens="2 January 2027")),
        Problem("host", "no member 'gov-nobody'"),
    ]


def test_the_opening_day_itself_is_accepted() -> None:
    _schedule(2027, date(2027, 1, 2), date(2027, 1, 2), PlenaryKind.ANNUAL, Rulebook())
    _schedule(2027, date(2027, 1, 1), date(2027, 1, 2), PlenaryKind.ANNUAL, Rulebook())


def _facts(plenary: Plenary, today: date) -> PlenaryFacts:
    return PlenaryFacts(plenary=plenary, milestones=(), host=None, chairs=(), today=today)


def test_a_plenary_cannot_move_to_before_its_reports_open() -> None:
    rulebook = RULEBOOKS["1 March"]
    before = _plenary(2027, date(2027, 5, 18), date(2027, 5, 21))
    facts = _facts(before, date(2027, 1, 10))
    cmd = MovePlenary(year=2027, starts=date(2027, 2, 23), ends=date(2027, 2, 26))
    with pytest.raises(InvalidInput) as caught:
        move_plenary(cmd, AT, facts, rulebook)
    assert caught.value.problems == [
        Problem("ends", REFUSAL.format(year=2027, opens="1 March 2027"))
    ]
    # ending on the opening day is allowed
    cmd = MovePlenary(year=2027, starts=date(2027, 2, 26), ends=date(2027, 3, 1))
    assert move_plenary(cmd, AT, facts, rulebook).plenary is not None


def test_an_extraordinary_plenary_moves_to_any_day() -> None:
    before = _plenary(2027, date(2027, 5, 18), date(2027, 5, 18), PlenaryKind.EXTRAORDINARY)
    cmd = MovePlenary(plenary=before.id, year=2027, starts=date(2027, 1, 1), ends=date(2027, 1, 1))
    moved = move_plenary(cmd, AT, _facts(before, date(2026, 12, 1)), Rulebook())
    assert moved.plenary is not None
    assert moved.plenary.starts == date(2027, 1, 1)


def _plenary(
    year: int, starts: date, ends: date, kind: PlenaryKind = PlenaryKind.ANNUAL
) -> Plenary:
    return Plenary(
        id=plenary_id(year, kind, 1), year=year, kind=kind, starts=starts, ends=ends, location="A"
    )


def _day(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"
