"""A plenary decision belongs to the plenary in session, never to one held before (issue 17.8)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.errors import Conflict
from governance.kernel.model import Plenary, PlenaryKind
from governance.kernel.wording import date_range_text
from governance.year.plenary_sessions import next_plenary, records_decisions_on, sitting_plenary

FIRST = date(2025, 1, 1)


def plenary(starts: date, days: int, number: int) -> Plenary:
    kind = PlenaryKind.ANNUAL if number == 0 else PlenaryKind.EXTRAORDINARY
    suffix = "" if number == 0 else f"-x{number}"
    return Plenary(
        id=f"plenary-{starts.year}{suffix}",
        year=starts.year,
        kind=kind,
        starts=starts,
        ends=starts + timedelta(days=days - 1),
        location="Norland Harbour",
    )


@st.composite
def calendars(draw: st.DrawFn) -> list[Plenary]:
    """An annual plenary in some years, and extraordinary ones anywhere (even overlapping)."""
    plenaries = []
    for year in range(2025, 2030):
        if draw(st.booleans()):
            starts = date(year, 1, 1) + timedelta(days=draw(st.integers(0, 300)))
            plenaries.append(plenary(starts, draw(st.integers(1, 5)), 0))
        for number in range(1, draw(st.integers(0, 2)) + 1):
            starts = date(year, 1, 1) + timedelta(days=draw(st.integers(0, 360)))
            plenaries.append(plenary(starts, draw(st.integers(1, 3)), number))
    return plenaries


days = st.integers(0, 5 * 365).map(lambda n: FIRST + timedelta(days=n))


@settings(max_examples=400, deadline=None)
@given(calendars(), days, st.integers(0, 400), st.integers(0, 14))
def test_a_decision_is_recorded_at_a_plenary_in_session_that_met_after_the_submission(
    plenaries: list[Plenary], day: date, age: int, grace: int
) -> None:
    submitted = day - timedelta(days=age)
    qualifying = [
        p
        for p in plenaries
        if p.starts <= day <= p.ends + timedelta(days=grace) and p.ends >= submitted
    ]
    if not qualifying:
        with pytest.raises(Conflict) as refused:
            sitting_plenary(plenaries, day, submitted, grace)
        refusal = refused.value
        assert [p.path for p in refusal.problems] == ["plenary"]
        upcoming = [p for p in plenaries if p.starts > day]
        if upcoming:
            first = min(upcoming, key=lambda p: (p.starts, p.id))
            # named as readers know it: its year (an annual one), place and dates
            named = f"the next plenary is the {first.year} plenary in {first.location}, "
            if first.kind is PlenaryKind.EXTRAORDINARY:
                named = f"the next plenary is the extraordinary plenary in {first.location}, "
            told = named + date_range_text(first.starts, first.ends)
            assert told in refusal.message
            assert told in refusal.problems[0].reason
        else:
            assert "no later plenary is scheduled" in refusal.message
        return
    chosen = sitting_plenary(plenaries, day, submitted, grace)
    assert chosen in qualifying
    assert chosen.starts <= day <= chosen.ends + timedelta(days=grace)
    # never a plenary held before the application existed
    assert chosen.ends >= submitted
    assert chosen.starts == max(p.starts for p in qualifying)


def test_the_reported_case_a_december_decision_is_not_stored_at_the_march_plenary() -> None:
    march = plenary(date(2026, 3, 17), 4, 0)
    next_year = plenary(date(2027, 3, 16), 4, 0)
    with pytest.raises(Conflict) as refused:
        sitting_plenary([march, next_year], date(2026, 12, 6), date(2026, 11, 20), 7)
    assert (
        "none sits on 6 December 2026; the next plenary is the 2027 plenary in Norland Harbour, "
        "from 16 to 19 March 2027" in refused.value.message
    )
    assert "plenary-20" not in refused.value.message  # named as readers know it, not by id
    assert refused.value.problems[0].reason.startswith("none in session on 6 December 2026; ")


def test_the_grace_allows_recording_after_the_last_day_and_no_later() -> None:
    march = plenary(date(2027, 3, 16), 4, 0)
    assert sitting_plenary([march], date(2027, 3, 16), date(2026, 11, 1), 7) == march
    assert sitting_plenary([march], date(2027, 3, 26), date(2026, 11, 1), 7) == march
    assert not records_decisions_on(march, date(2027, 3, 27), 7)
    with pytest.raises(Conflict):
        sitting_plenary([march], date(2027, 3, 27), date(2026, 11, 1), 7)


def test_an_application_submitted_after_the_plenary_ended_waits_for_the_next() -> None:
    march = plenary(date(2027, 3, 16), 4, 0)
    later = plenary(date(2028, 3, 14), 4, 0)
    with pytest.raises(Conflict) as refused:
        sitting_plenary([march, later], date(2027, 3, 22), date(2027, 3, 21), 7)
    assert (
        "the 2027 plenary in Norland Harbour ended on 19 March 2027, before the application "
        "was submitted on 21 March 2027" in refused.value.message
    )
    assert next_plenary([march, later], date(2027, 3, 22)) == later
