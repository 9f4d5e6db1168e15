"""A roster's draw is never stamped before its plenary had its dates (issue 17).

Over generated plenaries and instants (any hour of the day, across daylight-saving changes,
scheduled months ahead or days before, moved before the draw or after it), the plan's call for
presenters is the rulebook's (local midnight, 90 days before) when that is still ahead, and
otherwise the very instant the plenary was scheduled or moved, never the start of that day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.model import Plenary
from governance.kernel.timekeeping import local_date, start_of_day
from governance.roster.contracts import PlanRoster
from governance.roster.plan import plan_for
from governance.rulebook.model import Rulebook

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
CALL = timedelta(days=RULEBOOK.roster.call_days_before_plenary)
WINDOW = timedelta(days=RULEBOOK.roster.deferral_window_days)


@st.composite
def plenaries(draw: st.DrawFn) -> Plenary:
    starts = draw(st.dates(min_value=date(2027, 1, 1), max_value=date(2031, 12, 31)))
    return Plenary(
        id=f"plenary-{starts.year}",
        year=starts.year,
        starts=starts,
        ends=starts + timedelta(days=draw(st.integers(0, 4))),
        location="Geneva",
    )


def instants_before(day: date, most_days: int) -> st.SearchStrategy[datetime]:
    first = datetime.combine(day - timedelta(days=most_days), datetime.min.time(), UTC)
    last = datetime.combine(day - timedelta(days=1), datetime.min.time(), UTC)
    return st.datetimes(
        min_value=first.replace(tzinfo=None), max_value=last.replace(tzinfo=None)
    ).map(lambda moment: moment.replace(tzinfo=UTC))


@given(plenaries(), st.data())
def test_the_call_is_the_rulebooks_or_the_instant_the_plenary_got_its_dates(
    plenary: Plenary, data: st.DataObject
) -> None:
    scheduled = data.draw(instants_before(plenary.starts, 400))
    moved = data.draw(st.one_of(st.none(), instants_before(plenary.starts, 200)))
    if moved is not None and moved < scheduled:
        scheduled, moved = moved, scheduled
    plan = plan_for(
        plenary,
        "seed",
        PlanRoster(plenary_id=plenary.id, scheduled_at=scheduled, moved_at=moved),
        RULEBOOK,
    )
    known = moved or scheduled
    rulebook_call = start_of_day(plenary.starts - CALL, TZ)
    assert plan.call_at >= known  # never before the plenary had these dates
    assert plan.call_at >= rulebook_call  # never before the rulebook's call
    assert plan.call_at == max(rulebook_call, known)
    assert local_date(plan.call_at, TZ) == plan.draw_on  # drawn on the day it says
    assert plan.deferral_last_day == min(plan.draw_on + WINDOW, plenary.starts - timedelta(days=1))
    assert plan.plenary_begins_at == start_of_day(plenary.starts, TZ)


@given(plenaries(), st.data())
def test_a_drawn_roster_keeps_its_draw_day_and_window_whatever_moves(
    plenary: Plenary, data: st.DataObject
) -> None:
    scheduled = data.draw(instants_before(plenary.starts, 400))
    drawn_on = local_date(scheduled, TZ) + timedelta(days=data.draw(st.integers(0, 30)))
    plan = plan_for(
        plenary,
        "seed",
        PlanRoster(plenary_id=plenary.id, scheduled_at=scheduled, drawn_on=drawn_on),
        RULEBOOK,
    )
    assert plan.draw_on == drawn_on
    assert plan.deferral_last_day == min(drawn_on + WINDOW, plenary.starts - timedelta(days=1))
