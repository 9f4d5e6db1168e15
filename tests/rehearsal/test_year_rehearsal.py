"""Two governance years rehearsed through the real workflows (scenarios/governance-year.yaml)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

GOVERNANCE_YEAR = Path(__file__).resolve().parents[2] / "scenarios" / "governance-year.yaml"


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> Year:
    root = tmp_path_factory.mktemp("governance-year")
    out = root / "out"
    summary = await rehearse_file(GOVERNANCE_YEAR, out, Settings(), histories=root / "histories")
    return Year(summary, out)


def milestones(year: Year, plenary: str) -> dict[str, dict[str, Any]]:
    return {m["key"]: m for m in year.state["milestones"] if m["plenary"] == plenary}


def sent(year: Year, kind: str, contains: str) -> list[dict[str, Any]]:
    return [n for n in year.notifications if n["kind"] == kind and contains in n["text"]]


async def test_milestones_follow_the_move_and_completed_ones_stay_done(rehearsed: Year) -> None:
    year = milestones(rehearsed, "plenary-2027")
    # Planned from 18 May, moved on 10 February to 8 June: open ones moved by 21 days.
    assert year["save_the_date"]["due"] == "2027-01-18"
    assert year["save_the_date"]["status"] == "completed"
    assert year["call_for_agenda_and_presenters"]["due"] == "2027-03-10"
    assert year["strategy_review"] == {
        "year": 2027,
        "key": "strategy_review",
        "title": "Yearly strategy review",
        "due": "2027-04-09",
        "owner_role": "steering_committee",
        "status": "completed",
        "plenary": "plenary-2027",
    }
    assert year["draft_agenda"]["status"] == "overdue"
    assert milestones(rehearsed, "plenary-2028")["steering_committee_retreat"]["status"] == "open"
    assert sorted(milestones(rehearsed, "plenary-2027-x1")) == [
        "draft_agenda",
        "final_papers",
        "outcome_note",
    ]


async def test_refusals_name_the_field(rehearsed: Year) -> None:
    refused = {r["index"]: r for r in rehearsed.state["refusals"]}
    assert sorted(refused) == [2, 10]
    assert refused[2]["problems"][0]["field"] == "by"
    assert refused[10]["problems"][0] == {
        "field": "year",
        "reason": "the plenary has begun; it can no longer be moved",
    }


async def test_owners_are_reminded_until_done_and_the_rest_hear_nothing(rehearsed: Year) -> None:
    save = sent(rehearsed, "deadline_reminder", "Save-the-date for the VPI 2027")
    assert [(n["sent_at"], n["channel"]) for n in save] == [
        ("2027-01-04T05:00:00Z", "secretariat"),
        ("2027-01-15T05:00:00Z", "secretariat"),
    ]
    # Completed on its due day: never reported overdue.
    assert sent(rehearsed, "overdue", "Save-the-date for the VPI 2027") == []
    # The strategy review was reminded on its moved dates only (14 and 3 days before 9 April).
    review = sent(rehearsed, "deadline_reminder", "Yearly strategy review for the VPI 2027")
    assert [n["sent_at"] for n in review] == ["2027-03-26T04:00:00Z", "2027-04-06T04:00:00Z"]
    assert all(n["channel"] == "steering_committee" for n in review)
    # Overdue: weekly, three times, then the owner is left alone.
    late = sent(rehearsed, "overdue", "Draft agenda circulated for the VPI 2027 Annual")
    assert [n["sent_at"] for n in late] == [
        "2027-05-10T04:00:00Z",
        "2027-05-17T04:00:00Z",
        "2027-05-24T04:00:00Z",
    ]


async def test_a_move_before_the_draw_replans_the_roster(rehearsed: Year) -> None:
    announced = [
        n
        for n in rehearsed.notifications
        if n["kind"] == "roster" and n["channel"] == "all_members"
    ]
    # Drawn 90 days before the moved plenary (8 June), not the original one (18 May).
    assert announced[0]["sent_at"] == "2027-03-10T05:00:00Z"
    outcomes = sent(rehearsed, "deadline_reminder", "The 2027 plenary has ended")
    assert [n["sent_at"] for n in outcomes] == ["2027-06-12T04:00:00Z"]


async def test_a_move_after_the_draw_tells_presenters_and_moves_their_events(
    rehearsed: Year,
) -> None:
    moved = sent(rehearsed, "change_notice", "verification presentation with it")
    assert sorted(tuple(n["recipients"]) for n in moved) == [("fp-aurum",), ("fp-norland",)]
    assert all(
        "Before: from 16 to 19 May 2028. Now: from 30 May to 2 June 2028." in n["text"]
        for n in moved
    )
    feed = rehearsed.calendar("person-fp-norland")
    event = feed.split("UID:roster-2028-gov-norland@vpi.govsched")[0].rsplit("BEGIN:VEVENT", 1)[1]
    event += feed.split("UID:roster-2028-gov-norland@vpi.govsched")[1].split("END:VEVENT")[0]
    assert "SEQUENCE:1" in event
    assert "DTSTART;VALUE=DATE:20280530" in event
    # Nobody else hears of the move directly: members and owners read it in their channels,
    # except those who still owe a report, whom the reporting cycle tells their new due day.
    direct = [
        n
        for n in rehearsed.notifications
        if n["kind"] == "change_notice" and n["channel"] == "direct"
    ]
    roster = [n for n in direct if ":report-" not in n["key"]]
    assert {r for n in roster for r in n["recipients"]} == {"fp-aurum", "fp-norland"}
    reports = [n for n in direct if ":report-2028-" in n["key"]]
    assert all("your annual report is now due on" in n["text"] for n in reports)


async def test_milestone_events_keep_their_uid_with_a_higher_sequence(rehearsed: Year) -> None:
    feed = rehearsed.calendar("role-secretariat")
    chunk = feed.split("UID:milestone-plenary-2027-draft-agenda@vpi.govsched")
    event = chunk[0].rsplit("BEGIN:VEVENT", 1)[1] + chunk[1].split("END:VEVENT")[0]
    assert "SEQUENCE:1" in event
    assert "DTSTART;VALUE=DATE:20270509" in event
    public = rehearsed.calendar("public")
    assert "milestone-plenary-2027-save-the-date@" in public
    assert "milestone-plenary-2027-draft-agenda@" not in public


async def test_the_year_continues_as_new_after_each_annual_plenary(rehearsed: Year) -> None:
    history = json.loads((rehearsed.out.parent / "histories" / "governance-year.json").read_text())
    started = history["events"][0]["workflowExecutionStartedEventAttributes"]
    # The run after the 2028 plenary (ended 2 June) is the 2029 governance year, continued from
    # the 2028 run, itself continued from 2027's.
    assert started.get("continuedExecutionRunId")
    first = started["input"]["payloads"][0]
    assert json.loads(base64.b64decode(first["data"]))["year"] == 2029
