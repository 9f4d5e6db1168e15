"""Two Chair handovers rehearsed through the real workflows (scenarios/chair-handover.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest_asyncio

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "chair-handover.yaml"


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: Any) -> Year:
    out = tmp_path_factory.mktemp("chair-handover") / "out"
    summary = await rehearse_file(SCENARIO, out, Settings())
    return Year(summary, out)


def handover(year: Year, which: int) -> dict[str, Any]:
    return next(h for h in year.state["handovers"] if h["year"] == which)


def notices(year: Year, item: str) -> list[tuple[str, str, list[str]]]:
    return [
        (n["sent_at"], n["channel"], n["recipients"])
        for n in year.notifications
        if f":{item}:" in n["key"]
    ]


async def test_the_chair_moves_at_the_end_of_the_plenary_and_terms_follow(rehearsed: Year) -> None:
    first = handover(rehearsed, 2027)
    assert (first["outgoing"], first["incoming"]) == ("gov-norland", "gov-estavia")
    # 21 May ends at local midnight in Toronto (UTC-4 in May)
    assert first["completed_at"] == "2027-05-22T04:00:00Z"
    assert rehearsed.state["chair_terms"] == [
        {"member": "gov-norland", "starts": "2026-05-22T04:00:00Z", "ends": "2027-05-22T04:00:00Z"},
        # the 2028 plenary ended with nobody named: Estavia stayed until the late designation
        {"member": "gov-estavia", "starts": "2027-05-22T04:00:00Z", "ends": "2028-06-05T14:00:00Z"},
        {"member": "gov-estavia", "starts": "2028-06-05T14:00:00Z", "ends": "2029-06-06T04:00:00Z"},
    ]
    roles = {p["id"]: p["roles"] for p in rehearsed.state["people"]}
    assert roles["fp-norland"] == ["focal_point", "steering_committee"]
    assert roles["fp-estavia"] == ["chair", "focal_point"]
    assert [a["action"] for a in rehearsed.audit if a["action"] == "chair.handed_over"] == [
        "chair.handed_over",
        "chair.handed_over",
    ]


async def test_the_chairs_decision_on_an_open_application_passes_to_the_new_chair(
    rehearsed: Year,
) -> None:
    (app,) = rehearsed.state["applications"]
    assert app["state"] == "admitted"
    assert app["history"][-1] == {
        "state": "admitted",
        "at": "2027-05-25T15:00:00Z",
        "by": "fp-estavia",
    }
    refused = {r["index"]: r for r in rehearsed.state["refusals"]}
    assert refused[16]["do"] == "record_plenary_decision"
    assert "needs the role 'chair'" in refused[16]["reason"]
    welcome = next(n for n in rehearsed.notifications if n["key"].endswith(":vwelcome:fp-estavia"))
    assert welcome["sent_at"] == "2027-05-22T04:00:00Z"
    assert "Kestrel Minerals (awaiting the plenary's decision)" in welcome["text"]


async def test_chair_owned_steps_reach_whoever_is_chair_when_they_fall_due(rehearsed: Year) -> None:
    # before the handover to Norland's focal point, after it to Estavia's
    assert notices(rehearsed, "milestone-plenary-2027-chair-report") == [
        ("2027-04-13T04:00:00Z", "direct", ["fp-norland"]),
        ("2027-04-24T04:00:00Z", "direct", ["fp-norland"]),
    ]
    assert notices(rehearsed, "milestone-plenary-2027-chair-priorities")[:2] == [
        ("2027-05-25T04:00:00Z", "direct", ["fp-estavia"]),
        ("2027-06-05T04:00:00Z", "direct", ["fp-estavia"]),
    ]
    # the outgoing Chair's own checklist item, until the handover
    assert notices(rehearsed, "handover-2027-steering-committee-contacts")[0] == (
        "2027-04-20T04:00:00Z",
        "direct",
        ["fp-norland"],
    )


async def test_a_missing_incoming_chair_alerts_the_steering_committee(rehearsed: Year) -> None:
    alerts = [
        (n["sent_at"], n["text"])
        for n in rehearsed.notifications
        if n["channel"] == "steering_committee" and n["kind"] == "handover"
    ]
    assert [at for at, _ in alerts] == [
        "2027-03-20T04:00:00Z",  # end of T-60 (19 March 2027), nobody named
        "2028-03-18T04:00:00Z",  # end of T-60 (17 March 2028)
        "2028-05-20T04:00:00Z",  # the 2028 plenary ended with nobody named
    ]
    assert "remains Government Chair until one is" in alerts[-1][1]
    late = handover(rehearsed, 2028)
    assert (late["outgoing"], late["incoming"], late["completed_at"]) == (
        "gov-estavia",
        "gov-estavia",
        "2028-06-05T14:00:00Z",
    )


async def test_refusals_and_the_checklist(rehearsed: Year) -> None:
    refused = {
        r["index"]: (r["do"], [p["field"] for p in r["problems"]])
        for r in rehearsed.state["refusals"]
    }
    assert refused == {
        9: ("designate_incoming_chair", ["member"]),  # an Engaged government
        10: ("designate_incoming_chair", ["by"]),  # a company's focal point
        12: ("complete_handover_item", ["by"]),  # not the Secretariat
        16: ("record_plenary_decision", []),  # the former Chair
        21: ("designate_incoming_chair", ["member"]),  # a third consecutive term
        26: ("record_seat", ["member"]),  # an Engaged member
    }
    items = {i["key"]: i for i in handover(rehearsed, 2027)["items"]}
    assert items["briefing_pack"] == {
        "key": "briefing_pack",
        "title": "Briefing pack for the incoming Chair",
        "owner": "outgoing_chair",
        "due": "2027-04-18",
        "status": "completed",
        "completed_by": "fp-norland",
    }
    assert items["association_signatories"]["status"] == "overdue"
    upcoming = handover(rehearsed, 2029)
    assert (upcoming["outgoing"], upcoming["incoming"], upcoming["completed_at"]) == (
        "gov-estavia",
        "gov-norland",
        None,
    )
    assert {i["status"] for i in upcoming["items"]} == {"open"}


async def test_only_a_seat_not_renewed_is_reminded_before_it_ends(rehearsed: Year) -> None:
    assert rehearsed.state["steering_committee_seats"] == [
        {"member": "co-aurum", "pillar": "company", "starts": "2026-09-01", "ends": "2028-09-01"},
        {"member": "co-aurum", "pillar": "company", "starts": "2028-09-01", "ends": "2030-09-01"},
        {"member": "ngo-rights", "pillar": "ngo", "starts": "2026-09-01", "ends": "2028-09-01"},
    ]
    reminders = [n for n in rehearsed.notifications if ":seat-" in n["key"]]
    assert [(n["sent_at"], n["channel"]) for n in reminders] == [
        ("2028-07-03T04:00:00Z", "secretariat"),  # 60 days before 1 September
        ("2028-07-03T04:00:00Z", "steering_committee"),
    ]
    assert all("Rights Watch Collective (ngo pillar)" in n["text"] for n in reminders)
