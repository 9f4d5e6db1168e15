"""Recording what happened at a plenary's verification presentations, in the ledger."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from governance.kernel.errors import Conflict, InvalidInput, Problem
from governance.kernel.messages import say
from governance.kernel.model import Frozen, OneLine, Slug
from governance.kernel.wording import day_text
from governance.roster.rule import LedgerEntry, PresentationOutcome


class RecordPresentation(Frozen):
    """An outcome for the ledger: for a plenary's roster, or from before govsched (history)."""

    action: Literal["record_presentation"] = "record_presentation"
    year: Annotated[int, Field(ge=1990, le=2200)]
    member: Slug
    outcome: PresentationOutcome
    note: Annotated[OneLine, Field(max_length=500)] = ""


class LedgerFacts(Frozen):
    """What the registry knows that bears on recording an outcome."""

    today: date  # the initiative's local date of the command
    member_exists: bool
    already: PresentationOutcome | None = None
    # whether the member is a presenter of the year's published roster (None: govsched drew
    # no roster that year). Asked of the store for this member alone: reading the whole list
    # inside each outcome's write transaction made recording them grow with its square.
    on_roster: bool | None = None
    plenary_starts: date | None = None


def check(cmd: RecordPresentation, facts: LedgerFacts) -> LedgerEntry:
    """The ledger entry the command adds, or why not.

    One outcome per member and year, once the plenary has begun; for a year with a published
    roster, only its presenters, and never `deferred` (a deferral is asked and decided, and
    the process records it). A year without a roster is history from before govsched.
    """
    if not facts.member_exists:
        raise InvalidInput(
            say("no such member"),
            [Problem("member", say("no member %(member)r", member=cmd.member))],
        )
    if facts.already is not None:
        raise Conflict(
            say(
                "%(member)s's %(year)s outcome is already recorded",
                member=cmd.member,
                year=cmd.year,
            ),
            [Problem("member", say("recorded as %(already)s", already=facts.already.value))],
        )
    if facts.plenary_starts is not None and facts.today < facts.plenary_starts:
        raise Conflict(
            say("the %(year)s plenary has not begun", year=cmd.year),
            [
                Problem(
                    "year",
                    say(
                        "outcomes are recorded from %(plenary_starts)s",
                        plenary_starts=day_text(facts.plenary_starts),
                    ),
                )
            ],
        )
    if facts.plenary_starts is None and cmd.year > facts.today.year:
        # no plenary that year: the outcome is history from before govsched, and a year to
        # come has none (recorded now, it would refuse the real outcome as already recorded)
        raise InvalidInput(
            say("%(year)s has no plenary yet", year=cmd.year),
            [
                Problem(
                    "year",
                    say(
                        "outcomes of years without a plenary are history: %(year)s or earlier",
                        year=facts.today.year,
                    ),
                )
            ],
        )
    if facts.on_roster is None:
        return LedgerEntry(year=cmd.year, member=cmd.member, outcome=cmd.outcome)
    if not facts.on_roster:
        raise Conflict(
            say("%(member)s is not on the %(year)s roster", member=cmd.member, year=cmd.year),
            [Problem("member", say("not a presenter that year"))],
        )
    if cmd.outcome is PresentationOutcome.DEFERRED:
        raise Conflict(
            say("a deferral is asked for and decided before the plenary, not recorded after it"),
            [Problem("outcome", say("use presented, excused or absent"))],
        )
    return LedgerEntry(year=cmd.year, member=cmd.member, outcome=cmd.outcome)
