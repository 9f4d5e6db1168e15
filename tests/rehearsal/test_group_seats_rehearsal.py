"""A seat at the plenary rehearsed (scenarios/group-plenary-seats.yaml) on the real workflows:
the governance year sends the call to both active groups on the rulebook's day, the one
reminder to the group that missed the deadline and nothing more; state.json's `groups` holds
each group's nominee by plenary year; the refusals are those the scenario expects."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "group-plenary-seats.yaml"


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> Year:
    out = tmp_path_factory.mktemp("seats") / "out"
    return Year(await rehearse_file(SCENARIO, out, Settings()), out)


def test_the_call_and_the_one_reminder_go_out_on_the_rulebooks_days(rehearsed: Year) -> None:
    sent = [
        (n["sent_at"], n["key"], n["recipients"])
        for n in rehearsed.notifications
        if ":nominations-" in n["key"]
    ]
    # 18 January is 120 days before 18 May (midnight in Toronto); the reminder when 19 March
    # (60 days before) has ended, after the clocks went forward
    assert sent == [
        (
            "2027-01-18T05:00:00Z",
            "deadline_reminder:nominations-2027-colombia:vcall:fp-aurum",
            ["fp-aurum"],
        ),
        (
            "2027-01-18T05:00:00Z",
            "deadline_reminder:nominations-2027-drc-south-kivu:vcall:fp-rights",
            ["fp-rights"],
        ),
        (
            "2027-03-20T04:00:00Z",
            "deadline_reminder:nominations-2027-drc-south-kivu:vreminder:fp-rights",
            ["fp-rights"],
        ),
    ]
    [reminder] = [n for n in rehearsed.notifications if ":vreminder:" in n["key"]]
    assert reminder["text"] == (
        "Reminder: South Kivu group has not nominated a member to attend the VPI 2027 Annual "
        "Plenary; the deadline was 19 March 2027. A nomination is still accepted until the "
        "plenary begins on 18 May 2027."
    )


def test_each_groups_nominee_is_in_the_state_by_plenary_year(rehearsed: Year) -> None:
    seats = {g["id"]: g["nominations"] for g in rehearsed.state["groups"]}
    assert seats == {
        "colombia": {
            "2027": {
                "person": "fp-aurum",
                "name": "Ravi Iyer",
                "nominated_by": "fp-aurum",
                "nominated_at": "2027-03-01T15:00:00Z",
                "status": "confirmed",
                "travel_supported": True,
                "confirmed_by": "sec-amina",
                "confirmed_at": "2027-04-10T14:00:00Z",
                "replaced": ["lucia-mora"],
            }
        },
        "drc-south-kivu": {
            "2027": {
                "person": "fp-rights",
                "name": "Omar Haddad",
                "nominated_by": "fp-rights",
                "nominated_at": "2027-04-02T14:00:00Z",
                "status": "confirmed",
                "travel_supported": False,
                "confirmed_by": "sec-amina",
                "confirmed_at": "2027-04-10T15:00:00Z",
                "replaced": [],
            }
        },
    }
    replaced = [a for a in rehearsed.audit if a["action"] == "icig.nominee_replaced"]
    assert [(a["data"]["replaced"], a["data"]["person"]) for a in replaced] == [
        ("lucia-mora", "fp-aurum")
    ]


def test_the_refusals_are_the_second_nomination_and_the_late_replacement(rehearsed: Year) -> None:
    assert [(r.index, [p.path for p in r.problems]) for r in rehearsed.summary.refusals] == [
        (9, ["person"]),
        (11, ["replaces"]),
    ]
