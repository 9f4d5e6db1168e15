"""Which plenary, if any, is sitting: the only one at which a plenary decision can be recorded.

A plenary sits from its first to its last local day; its decisions may still be recorded for the
rulebook's grace days after it (the minutes are written up after the meeting). A decision on an
application belongs to a plenary that met after the application existed: a plenary that ended
before the submission cannot have decided it, however recently it ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from governance.kernel.errors import Conflict, Problem
from governance.kernel.messages import say
from governance.kernel.model import Plenary
from governance.kernel.wording import date_range_text, day_text


def records_decisions_on(plenary: Plenary, day: date, grace_days: int) -> bool:
    """Whether `day` lies within the plenary's days or the grace for recording after them."""
    return plenary.starts <= day <= plenary.ends + timedelta(days=grace_days)


def sitting_plenary(
    plenaries: Sequence[Plenary], day: date, existed_from: date, grace_days: int
) -> Plenary:
    """The plenary at which a decision taken on `day`, about something that exists since
    `existed_from`, is recorded; Conflict naming the next plenary if there is none.

    Of several that qualify (an extraordinary plenary inside another's grace), the latest to
    begin: it is the one in the room.
    """
    candidates = [
        p for p in plenaries if records_decisions_on(p, day, grace_days) and p.ends >= existed_from
    ]
    if candidates:
        return max(candidates, key=lambda p: (p.starts, p.id))
    upcoming = _next_text(plenaries, day)
    raise Conflict(
        say(
            "a plenary decision is recorded only while a plenary is in session (its "
            "days and %(grace_days)s days after): %(plenaries)s; %(upcoming)s",
            grace_days=grace_days,
            plenaries=_why_not(plenaries, day, existed_from, grace_days),
            upcoming=upcoming,
        ),
        [
            Problem(
                "plenary",
                say(
                    "none in session on %(day)s; %(upcoming)s",
                    day=day,
                    upcoming=upcoming,
                ),
            )
        ],
    )


def next_plenary(plenaries: Sequence[Plenary], day: date) -> Plenary | None:
    """The first plenary to begin after `day`."""
    ahead = [p for p in plenaries if p.starts > day]
    return min(ahead, key=lambda p: (p.starts, p.id)) if ahead else None


def _why_not(plenaries: Sequence[Plenary], day: date, existed_from: date, grace: int) -> str:
    held_before = [p for p in plenaries if records_decisions_on(p, day, grace)]
    if held_before:
        latest = max(held_before, key=lambda p: p.starts)
        return (
            f"{latest.id} ended on {day_text(latest.ends)}, before the application was "
            f"submitted on {day_text(existed_from)}"
        )
    return f"none sits on {day_text(day)}"


def _next_text(plenaries: Sequence[Plenary], day: date) -> str:
    upcoming = next_plenary(plenaries, day)
    if upcoming is None:
        return "no later plenary is scheduled"
    return f"the next plenary is {upcoming.id}, {date_range_text(upcoming.starts, upcoming.ends)}"
