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
from governance.kernel.messages import Message, Period, say, term
from governance.kernel.model import Plenary, PlenaryKind


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
    raise _not_in_session(
        plenaries, day, grace_days, _why_not(plenaries, day, existed_from, grace_days)
    )


def _not_in_session(
    plenaries: Sequence[Plenary], day: date, grace_days: int, why: Message
) -> Conflict:
    upcoming = term(_next_text(plenaries, day))
    return Conflict(
        say(
            "a plenary decision is recorded only while a plenary is in session (its "
            "days and %(grace_days)s days after): %(plenaries)s; %(upcoming)s",
            grace_days=grace_days,
            plenaries=term(why),
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


def check_sitting(
    plenary: Plenary, day: date, grace_days: int, plenaries: Sequence[Plenary]
) -> None:
    """`plenary` records decisions on `day`; else the refusal names the next of `plenaries`
    (all that are scheduled: a later one may be the one to wait for)."""
    if records_decisions_on(plenary, day, grace_days):
        return
    why = say(
        "%(plenary)s sits %(dates)s",
        plenary=term(_named(plenary)),
        dates=Period(starts=plenary.starts, ends=plenary.ends),
    )
    raise _not_in_session([*plenaries, plenary], day, grace_days, why)


def next_plenary(plenaries: Sequence[Plenary], day: date) -> Plenary | None:
    """The first plenary to begin after `day`."""
    ahead = [p for p in plenaries if p.starts > day]
    return min(ahead, key=lambda p: (p.starts, p.id)) if ahead else None


def _named(plenary: Plenary) -> Message:
    """A plenary as readers know it: its kind, year and place (its id is the store's)."""
    if plenary.kind is PlenaryKind.ANNUAL:
        return say(
            "the %(year)s plenary in %(location)s",
            year=str(plenary.year),
            location=plenary.location,
        )
    return say("the extraordinary plenary in %(location)s", location=plenary.location)


def _why_not(plenaries: Sequence[Plenary], day: date, existed_from: date, grace: int) -> Message:
    held_before = [p for p in plenaries if records_decisions_on(p, day, grace)]
    if held_before:
        latest = max(held_before, key=lambda p: p.starts)
        return say(
            "%(plenary)s ended on %(ended)s, before the application was submitted on %(submitted)s",
            plenary=term(_named(latest)),
            ended=latest.ends,
            submitted=existed_from,
        )
    return say("none sits on %(day)s", day=day)


def _next_text(plenaries: Sequence[Plenary], day: date) -> Message:
    upcoming = next_plenary(plenaries, day)
    if upcoming is None:
        return say("no later plenary is scheduled")
    return say(
        "the next plenary is %(plenary)s, %(dates)s",
        plenary=term(_named(upcoming)),
        dates=Period(starts=upcoming.starts, ends=upcoming.ends),
    )
