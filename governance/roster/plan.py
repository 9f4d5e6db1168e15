"""When a plenary's roster is drawn, how long deferrals may be asked, and when it ends.

Pure: the `plan-roster` activity reads the plenary and the seed and calls `plan_for`. Days are
local (the rulebook's time zone); the workflow compares the UTC instants it gets.
"""

from __future__ import annotations

from datetime import timedelta

from governance.kernel.model import Plenary
from governance.kernel.timekeeping import end_of_day, local_date, start_of_day
from governance.roster.contracts import PlanRoster, RosterPlan
from governance.rulebook.model import Rulebook


def plan_for(plenary: Plenary, seed: str, request: PlanRoster, rulebook: Rulebook) -> RosterPlan:
    """The call for presenters `call_days_before_plenary` before the plenary, at local
    midnight; deferrals until `deferral_window_days` later (inclusive), at most the eve of the
    plenary.

    A plenary scheduled, or moved before its draw, later than its call is drawn at the instant
    it got those dates, after its seed was announced: never at the start of that day, when the
    plenary (or its new dates) did not exist yet. A roster already drawn keeps its draw's day.
    """
    roster, tz = rulebook.roster, rulebook.initiative.timezone
    known = max(request.scheduled_at, request.moved_at or request.scheduled_at)
    draw_on = request.drawn_on or max(
        plenary.starts - timedelta(days=roster.call_days_before_plenary),
        local_date(known, tz),
    )
    last_day = min(
        draw_on + timedelta(days=roster.deferral_window_days),
        plenary.starts - timedelta(days=1),
    )
    return RosterPlan(
        plenary_id=plenary.id,
        year=plenary.year,
        seed=seed,
        draw_on=draw_on,
        call_at=max(start_of_day(draw_on, tz), known),
        deferral_closes=end_of_day(last_day, tz),
        deferral_last_day=last_day,
        plenary_starts=plenary.starts,
        plenary_ends=plenary.ends,
        plenary_begins_at=start_of_day(plenary.starts, tz),
        outcomes_due_at=end_of_day(plenary.ends, tz),
    )
