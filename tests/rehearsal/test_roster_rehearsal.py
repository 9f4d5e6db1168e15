"""Two roster years rehearsed through the real workflows (scenarios/roster-years.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from govsched.config import Settings
from govsched.rehearsal.driver import RehearsalSummary, rehearse_file

ROSTER_YEARS = Path(__file__).resolve().parents[2] / "scenarios" / "roster-years.yaml"


class Year:
    def __init__(self, summary: RehearsalSummary, out: Path) -> None:
        self.summary = summary
        self.out = out
        self.state: dict[str, Any] = json.loads((out / "state.json").read_text("utf-8"))
        self.notifications = [
            json.loads(line)
            for line in (out / "notifications.jsonl").read_text("utf-8").splitlines()
        ]
        self.audit = [
            json.loads(line) for line in (out / "audit.jsonl").read_text("utf-8").splitlines()
        ]

    def roster(self, year: int) -> list[tuple[str, str]]:
        return [(s["member"], s["reason"]) for s in self.state["rosters"][str(year)]]

    def calendar(self, name: str) -> str:
        raw = (self.out / "calendars" / f"{name}.ics").read_bytes().decode("utf-8")
        return raw.replace("\r\n ", "").replace("\r\n", "\n")


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> Year:
    out = tmp_path_factory.mktemp("roster-years") / "out"
    return Year(await rehearse_file(ROSTER_YEARS, out, Settings()), out)


async def test_the_2027_roster_as_it_stands_after_its_deferral(rehearsed: Year) -> None:
    # Eight, not one cycle's share of seven: the minutes left eight members past their cycle.
    assert rehearsed.roster(2027) == [
        (
            "gov-lunaria",
            "due: never presented (eligible since 2020), 3 plenaries since, cycle of 3",
        ),
        ("gov-norland", "due: last presented 2024, 2 plenaries since, cycle of 3"),
        ("co-aurum", "due: last presented 2024, 2 plenaries since, cycle of 3"),
        ("co-granite", "replaces co-tellus: longest since last presentation (2025)"),
        ("co-meridian", "due: last presented 2024, 2 plenaries since, cycle of 3"),
        ("ngo-land", "due: never presented (eligible since 2022), 3 plenaries since, cycle of 3"),
        ("ngo-rights", "due: last presented 2024, 2 plenaries since, cycle of 3"),
        ("ngo-earth", "due: last presented 2024, 2 plenaries since, cycle of 3"),
    ]
    pillars = [s["pillar"] for s in rehearsed.state["rosters"]["2027"]]
    assert pillars == ["government"] * 2 + ["company"] * 3 + ["ngo"] * 3


async def test_the_2028_roster_carries_over_the_deferred_and_absent_and_the_due(
    rehearsed: Year,
) -> None:
    assert rehearsed.roster(2028) == [
        ("gov-estavia", "due: last presented 2025, 2 plenaries since, cycle of 3"),
        ("gov-valdora", "longest since last presentation (2026)"),
        ("co-tellus", "deferred from 2027"),
        # excused in 2027, and past its cycle: drawn whatever its priority
        ("co-meridian", "due: last presented 2024, 3 plenaries since, cycle of 3"),
        ("co-solace", "due: last presented 2025, 2 plenaries since, cycle of 3"),
        ("co-ironvale", "due: last presented 2025, 2 plenaries since, cycle of 3"),
        ("ngo-land", "absent in 2027: presents at the next plenary"),
        # no outcome was recorded for Rights Watch in 2027: it is drawn again
        ("ngo-rights", "due: last presented 2024, 3 plenaries since, cycle of 3"),
        ("ngo-fund", "due: last presented 2025, 2 plenaries since, cycle of 3"),
    ]
    # Boreal Copper, Full since January 2027, is past its grace year only in 2028 and is
    # not yet due: it joined the end of the rotation.
    assert "co-boreal" not in {m for m, _ in rehearsed.roster(2027) + rehearsed.roster(2028)}


async def test_the_ledger_holds_history_outcomes_and_the_deferral(rehearsed: Year) -> None:
    latest = [e for e in rehearsed.state["presentation_ledger"] if e["year"] == 2027]
    assert latest == [
        {"year": 2027, "member": "co-aurum", "outcome": "presented"},
        {"year": 2027, "member": "co-granite", "outcome": "presented"},
        {"year": 2027, "member": "co-meridian", "outcome": "excused"},
        {"year": 2027, "member": "co-tellus", "outcome": "deferred"},
        {"year": 2027, "member": "gov-lunaria", "outcome": "presented"},
        {"year": 2027, "member": "gov-norland", "outcome": "presented"},
        {"year": 2027, "member": "ngo-earth", "outcome": "presented"},
        {"year": 2027, "member": "ngo-land", "outcome": "absent"},
    ]
    assert len(rehearsed.state["presentation_ledger"]) == 18 + len(latest)


async def test_every_refusal_is_reported_with_its_reason(rehearsed: Year) -> None:
    refusals = [(r["do"], r["reason"], r["problems"]) for r in rehearsed.state["refusals"]]
    assert refusals == [
        (
            "request_deferral",
            "asking to defer gov-norland's presentation needs the role "
            "'focal_point for gov-norland'",
            [],
        ),
        ("decide_deferral", "deciding on a deferral needs the role 'chair or secretariat'", []),
        (
            "request_deferral",
            "the deferral window has closed",
            [{"field": "at", "reason": "deferrals could be asked until 10 March 2027"}],
        ),
        (
            "record_presentation",
            "the 2027 plenary has not begun",
            [{"field": "year", "reason": "outcomes are recorded from 18 May 2027"}],
        ),
        (
            "record_presentation",
            "co-tellus's 2027 outcome is already recorded",
            [{"field": "member", "reason": "recorded as deferred"}],
        ),
    ]
    assert not rehearsed.summary.ok


async def test_a_deferral_is_told_only_to_the_two_members_whose_slot_moved(
    rehearsed: Year,
) -> None:
    moved = [n for n in rehearsed.notifications if ":vdeferral-" in n["key"]]
    assert sorted(r for n in moved for r in n["recipients"]) == ["fp-granite", "fp-tellus"]
    assert all(n["sent_at"] == "2027-02-22T15:00:00Z" for n in moved)
    texts = {n["recipients"][0]: n["text"] for n in moved}
    assert texts["fp-tellus"].startswith("The 2027 verification presentation of Tellus Metals")
    assert "Before: not presenting in 2027. Now: presenting" in texts["fp-granite"]


async def test_the_secretariat_is_reminded_of_the_unrecorded_outcome(rehearsed: Year) -> None:
    reminders = [n for n in rehearsed.notifications if n["key"].endswith(":voutcomes:secretariat")]
    assert [(n["sent_at"], n["channel"]) for n in reminders] == [
        ("2027-05-22T04:00:00Z", "secretariat")
    ]
    assert "of: Rights Watch Collective." in reminders[0]["text"]


async def test_the_audit_log_tells_the_roster_story(rehearsed: Year) -> None:
    actions = [(a["action"], a["actor"]) for a in rehearsed.audit if a["item_kind"] == "roster"]
    assert actions == [
        ("roster.seed_published", "system"),
        ("roster.published", "system"),
        ("roster.deferral_requested", "fp-tellus"),
        ("roster.deferred", "fp-norland"),
        ("roster.deferral_requested", "fp-land"),
        ("roster.deferral_refused", "sec-amina"),
        ("roster.deferral_requested", "fp-lunaria"),
        ("roster.deferral_lapsed", "system"),
        ("roster.seed_published", "system"),
        ("roster.published", "system"),
    ]


async def test_presenters_see_their_slot_on_their_own_calendar(rehearsed: Year) -> None:
    granite = rehearsed.calendar("person-fp-granite")
    assert "SUMMARY:Verification presentation: Granite Peak Resources" in granite
    assert "replaces co-tellus" in granite
    tellus = rehearsed.calendar("person-fp-tellus")
    assert "UID:roster-2028-co-tellus@" in tellus
    # the 2027 slot was cancelled in February and has left the feed after its retention
    assert "UID:roster-2027-co-tellus@" not in tellus
    assert "Verification presentation" not in rehearsed.calendar("public")
