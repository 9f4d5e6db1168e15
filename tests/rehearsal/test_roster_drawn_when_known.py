"""Rosters whose call for presenters passed before their plenary had its dates (issue 17).

Rehearsed through the real workflows on the time-skipping server
(scenarios/roster-drawn-when-known.yaml): a plenary scheduled later than T-90 is drawn at the
instant it is scheduled, just after its seed is announced; one moved so that its call has passed
is drawn at the instant of the move; a move after the draw leaves the draw and its deferral
window where they were.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "roster-drawn-when-known.yaml"
SCHEDULED_2027 = "2027-03-01T15:00:00Z"  # 10:00 in Toronto
MOVED_2028 = "2027-11-10T15:00:00Z"


class Rehearsed(Year):
    def __init__(self, year: Year, histories: Path) -> None:
        self.__dict__.update(year.__dict__)
        self.histories = histories

    def audit_of(self, item_kind: str, item_id: str) -> list[tuple[str, str]]:
        return [
            (a["action"], a["at"])
            for a in self.audit
            if a["item_kind"] == item_kind and a["item_id"] == item_id
        ]

    def history(self, workflow_id: str) -> list[dict[str, Any]]:
        text = (self.histories / f"{workflow_id}.json").read_text(encoding="utf-8")
        events: list[dict[str, Any]] = json.loads(text)["events"]
        return events


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> Rehearsed:
    out = tmp_path_factory.mktemp("drawn-when-known") / "out"
    histories = out.parent / "histories"
    summary = await rehearse_file(SCENARIO, out, Settings(), histories)
    return Rehearsed(Year(summary, out), histories)


async def test_a_plenary_scheduled_after_its_call_is_drawn_at_the_instant_it_is_scheduled(
    rehearsed: Rehearsed,
) -> None:
    assert rehearsed.audit_of("roster", "2027") == [
        # entries of one instant are listed by key; the seed went out first (below)
        ("roster.published", SCHEDULED_2027),
        ("roster.seed_published", SCHEDULED_2027),
    ]
    assert ("plenary.scheduled", SCHEDULED_2027) in rehearsed.audit_of("plenary", "plenary-2027")
    roster = [n for n in rehearsed.notifications if n["key"].startswith("roster:roster-2027:")]
    assert roster
    assert {n["sent_at"] for n in roster} == {SCHEDULED_2027}
    seed = [
        n for n in rehearsed.notifications if n["key"].endswith("roster-2027:vseed:all_members")
    ]
    assert [n["sent_at"] for n in seed] == [SCHEDULED_2027]


def _activities_in_order(events: list[dict[str, Any]]) -> list[str]:
    return [
        e["activityTaskScheduledEventAttributes"]["activityType"]["name"]
        for e in events
        if "activityTaskScheduledEventAttributes" in e
    ]


async def test_the_seed_is_announced_before_the_draw_uses_it(rehearsed: Rehearsed) -> None:
    order = _activities_in_order(rehearsed.history("roster-plenary-2027"))
    assert order[:3] == ["plan-roster", "deliver-notification", "draw-stored-roster"]


async def test_a_plenary_moved_past_its_call_is_drawn_at_the_instant_of_the_move(
    rehearsed: Rehearsed,
) -> None:
    assert ("plenary.moved", MOVED_2028) in rehearsed.audit_of("plenary", "plenary-2028")
    published = [
        at for action, at in rehearsed.audit_of("roster", "2028") if action == "roster.published"
    ]
    # not at the start of 27 October, 90 days before the new date, when the plenary was in May
    assert published == [MOVED_2028]
    announced = [
        n for n in rehearsed.notifications if n["key"] == "roster:roster-2028:v1:all_members"
    ]
    assert [n["sent_at"] for n in announced] == [MOVED_2028]


async def test_a_move_after_the_draw_keeps_the_draw_and_its_deferral_window(
    rehearsed: Rehearsed,
) -> None:
    # drawn on 10 November: deferrals until 1 December, whatever the second move did
    assert [(r["do"], r["reason"], r["problems"]) for r in rehearsed.state["refusals"]] == [
        (
            "request_deferral",
            "the deferral window has closed",
            [{"field": "at", "reason": "deferrals could be asked until 1 December 2027"}],
        )
    ]
    assert [m for m, _ in rehearsed.roster(2028)] == ["gov-estavia", "co-tellus", "ngo-fund"]
