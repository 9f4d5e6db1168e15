"""The first start asks the demo's deferral once the roster's process knows its draw.

The roster process stores the drawn slots, then hears that its draw is done; a first start on
a loaded machine asked for the deferral in between, was refused ("the roster is not drawn yet")
and the whole stack stopped (seen at today = 2031-06-02, the draw day). That refusal is now
waited out; any other refusal still stops the start.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import workflows.verification_roster
from governance.kernel.errors import Conflict, Problem
from governance.kernel.messages import say
from governance.roster.requests import RequestDeferral
from govsched.config import Settings
from govsched.rehearsal import demo_activity

ASKED = RequestDeferral(year=2031, member="co-aurum-mining", by="fp-co-aurum-mining", reason="x")


class Rosters:
    """Refuses with each of `refusals` in turn, then accepts."""

    def __init__(self, *refusals: Conflict) -> None:
        self.refusals = list(refusals)
        self.asked: list[str | None] = []

    async def request_deferral(self, request: RequestDeferral, at: Any, key: str | None) -> None:
        self.asked.append(key)
        if self.refusals:
            raise self.refusals.pop(0)


def not_drawn() -> Conflict:
    return Conflict(say("the roster is not drawn yet"), [Problem("year", say("not drawn yet"))])


def test_the_refusal_waited_out_is_the_one_the_roster_process_makes() -> None:
    source = inspect.getsource(workflows.verification_roster)
    assert f'say("{demo_activity.NOT_DRAWN}")' in source
    assert not_drawn().message == demo_activity.NOT_DRAWN


async def test_a_deferral_refused_before_the_draw_is_known_is_asked_again() -> None:
    rosters = Rosters(not_drawn(), not_drawn())
    await demo_activity._ask_deferral(rosters, ASKED, Settings(), key="demo-deferral-2031")  # type: ignore[arg-type]
    assert rosters.asked == ["demo-deferral-2031"] * 3


async def test_any_other_refusal_stops_the_start() -> None:
    closed = Conflict(say("the deferral window has closed"))
    rosters = Rosters(not_drawn(), closed)
    with pytest.raises(Conflict, match="the deferral window has closed"):
        await demo_activity._ask_deferral(rosters, ASKED, Settings(), key="k")  # type: ignore[arg-type]
    assert rosters.asked == ["k", "k"]
