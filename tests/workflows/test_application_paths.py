"""Every path of an application, on the time-skipping server: months pass in seconds.

Each test rehearses a short scenario through the real workflows and activities and reads what a
Secretariat would see: the application's states, the member, the notices and the calendars.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rehearsal_helpers import run_scenario


def submit(
    app_id: str, at: str, organisation: str = "Government of Mozambique", pillar: str = "government"
) -> dict[str, Any]:
    return {
        "at": at,
        "do": "submit_application",
        "with": {
            "id": app_id,
            "organisation": organisation,
            "pillar": pillar,
            "country": "Mozambique",
            "contact_email": "vps@moz.example",
            "statement": "We apply to join.",
        },
    }


def act(at: str, do: str, **fields: Any) -> dict[str, Any]:
    return {"at": at, "do": do, "with": fields}


def states(history: list[dict[str, Any]]) -> list[str]:
    return [step["state"] for step in history]


def _objected_in_the_period() -> list[dict[str, Any]]:
    """Reviewed without objection (the period runs to 28 January); a Full member objects."""
    return [
        *REVIEWED,
        act(
            "2027-01-14T09:00",
            "recommend",
            application="app-moz",
            by="sc-1",
            recommendation="support",
        ),
        act(
            "2027-01-14T10:00",
            "recommend",
            application="app-moz",
            by="sc-2",
            recommendation="abstain",
        ),
        act(
            "2027-01-20T10:00",
            "object",
            application="app-moz",
            by="fp-estavia",
            reason="We want a discussion first.",
        ),
    ]


# Plenary decisions are only taken while a plenary sits (issue 17.8): 18 to 21 May 2027.
PLENARY_2027 = {
    "at": "2027-02-01",
    "do": "schedule_plenary",
    "with": {
        "year": 2027,
        "starts": "2027-05-18",
        "ends": "2027-05-21",
        "location": "Norland Harbour",
        "host": "gov-norland",
    },
}

REVIEWED = [
    submit("app-moz", "2027-01-11T09:00"),
    act("2027-01-12T09:00", "mark_complete", application="app-moz", by="sec"),
    act("2027-01-13T09:00", "start_review", application="app-moz", by="sec"),
]


async def test_an_unanswered_information_request_lapses_after_a_reminder(tmp_path: Path) -> None:
    events = [
        submit("app-q", "2027-01-11T09:00"),
        act(
            "2027-01-12T10:00",
            "request_information",
            application="app-q",
            by="sec",
            question="Please send your national roadmap.",
            respond_within_days=10,
        ),
    ]
    result = await run_scenario(tmp_path, "2027-01-04", "2027-03-01", events)
    application = result.application("app-q")
    assert states(application["history"]) == [
        "awaiting_completeness_check",
        "information_requested",
        "lapsed",
    ]
    assert application["outcome"] == "lapsed"
    # due on 22 January: the reminder a week before, the lapse when the day ends in Toronto
    assert application["decided_at"] == "2027-01-23T05:00:00Z"
    reminders = [
        n
        for n in result.notifications
        if n["kind"] == "deadline_reminder" and ":milestone-" not in n["key"]
    ]
    # the Secretariat, and since the applicant is told of the question, the applicant too
    assert sorted((n["sent_at"], n["channel"]) for n in reminders) == [
        ("2027-01-16T05:00:00Z", "applicant"),
        ("2027-01-16T05:00:00Z", "secretariat"),
    ]
    assert "app-q" in result.calendar("role-secretariat")
    assert "app-q" not in result.calendar("public")


async def test_a_review_without_objection_leads_to_provisional_admission_then_ratification(
    tmp_path: Path,
) -> None:
    events = [
        *REVIEWED,
        act(
            "2027-01-14T09:00",
            "recommend",
            application="app-moz",
            by="sc-1",
            recommendation="support",
            comment="A credible roadmap.",
        ),
        PLENARY_2027,
        act(
            "2027-05-19T15:00",
            "record_plenary_decision",
            application="app-moz",
            by="sc-1",
            decision="admit",
            note="Ratified.",
        ),
    ]
    result = await run_scenario(tmp_path, "2027-01-04", "2027-06-30", events)
    application = result.application("app-moz")
    assert states(application["history"]) == [
        "awaiting_completeness_check",
        "complete",
        "under_review",
        "no_objection_period",
        "provisionally_admitted",
        "admitted",
    ]
    # the review ran its 42 days: sc-2 never answered and counted as abstaining
    closed = next(e for e in result.audit if e["action"] == "application.review_closed")
    assert closed["at"] == "2027-02-25T05:00:00Z"
    assert closed["reason"] == "1 support, 1 abstain; no answer from sc-2"
    # each reviewer is asked once (a request no opt-out stops), then only the silent reminded
    asked = [n for n in result.notifications if n["kind"] == "request"]
    assert len(asked) == 2
    reminders = [
        n
        for n in result.notifications
        if n["kind"] == "deadline_reminder" and n["key"].split(":")[1].startswith("app")
    ]
    assert {tuple(n["recipients"]) for n in reminders} == {("sc-2",)}
    provisional = next(
        e for e in result.audit if e["action"] == "application.provisionally_admitted"
    )
    # 14 days of no objection from the review's last day, 24 February: to the end of 10 March
    assert provisional["at"] == "2027-03-11T05:00:00Z"
    member = result.member("gov-mozambique")
    assert member["status"] == "engaged"
    assert member["status_history"][0]["decision"].startswith("provisional admission")
    assert "ratification at plenary-2027" in member["status_history"][0]["decision"]
    assert any(e["action"] == "engaged_period.started" for e in result.audit)
    assert "Government of Mozambique: admission as an Engaged member ratified" in (
        result.calendar("public")
    )


async def test_an_objection_in_the_review_sends_the_application_to_the_plenary(
    tmp_path: Path,
) -> None:
    events = [
        *REVIEWED,
        act(
            "2027-01-14T09:00",
            "recommend",
            application="app-moz",
            by="sc-1",
            recommendation="object",
            comment="Open allegations.",
        ),
        act(
            "2027-01-15T09:00",
            "recommend",
            application="app-moz",
            by="sc-2",
            recommendation="support",
        ),
        PLENARY_2027,
        act(
            "2027-05-19T15:00",
            "record_plenary_decision",
            application="app-moz",
            by="sec",
            decision="reject",
            note="Not now.",
        ),
    ]
    result = await run_scenario(tmp_path, "2027-01-04", "2027-06-30", events)
    application = result.application("app-moz")
    assert states(application["history"])[-3:] == ["under_review", "awaiting_plenary", "rejected"]
    assert all(m["id"] != "gov-mozambique" for m in result.state["members"])
    rejection = [n for n in result.notifications if "rejected" in n["text"]]
    assert {n["channel"] for n in rejection} == {"secretariat", "steering_committee"}
    assert "Mozambique" not in result.calendar("public")


async def test_a_full_member_objecting_in_the_no_objection_period_sends_it_to_the_plenary(
    tmp_path: Path,
) -> None:
    events = [
        *_objected_in_the_period(),
        PLENARY_2027,
        act(
            "2027-05-19T15:00",
            "record_plenary_decision",
            application="app-moz",
            by="sec",
            decision="admit",
        ),
    ]
    result = await run_scenario(tmp_path, "2027-01-04", "2027-06-30", events)
    application = result.application("app-moz")
    assert states(application["history"])[-4:] == [
        "under_review",
        "no_objection_period",
        "awaiting_plenary",
        "admitted",
    ]
    announced = [n for n in result.notifications if "Any voting member may object" in n["text"]]
    assert sorted(tuple(n["recipients"]) for n in announced) == [
        ("fp-estavia",),
        ("sc-1",),
        ("sc-2",),
    ]
    assert "until 28 January 2027" in announced[0]["text"]
    assert result.member("gov-mozambique")["status"] == "engaged"
    # the period ended early (20 January): its cancellation has left the feeds by June
    assert "No-objection period" not in result.calendar("person-fp-estavia")


async def test_a_period_ended_early_stays_in_feeds_as_cancelled_for_the_retention_period(
    tmp_path: Path,
) -> None:
    events = _objected_in_the_period()
    result = await run_scenario(tmp_path, "2027-01-04", "2027-02-10", events)
    feed = result.calendar("person-fp-estavia")
    entry = feed.split("SUMMARY:No-objection period on Government of Mozambique ends")[1]
    entry = entry.split("END:VEVENT")[0]
    assert "STATUS:CANCELLED" in entry
    assert "SEQUENCE:1" in entry
    assert "No-objection period" not in result.calendar("role-focal_point")
    assert "No-objection period" not in result.calendar("public")


@pytest.mark.parametrize(
    ("steps", "state_before"),
    [
        (0, "awaiting_completeness_check"),
        (1, "information_requested"),
        (2, "complete"),
        (3, "under_review"),
        (4, "no_objection_period"),
        (5, "awaiting_plenary"),
        (6, "provisionally_admitted"),
    ],
)
async def test_an_application_can_be_withdrawn_at_every_open_step(
    tmp_path: Path, steps: int, state_before: str
) -> None:
    route_to_plenary = steps == 5
    path = [
        act(
            "2027-01-12T09:00",
            "request_information",
            application="app-moz",
            by="sec",
            question="Roadmap?",
            respond_within_days=20,
        ),
        act("2027-01-13T09:00", "provide_information", application="app-moz", answer="Here."),
        act("2027-01-14T09:00", "mark_complete", application="app-moz", by="sec"),
        act("2027-01-15T09:00", "start_review", application="app-moz", by="sec"),
        act(
            "2027-01-16T09:00",
            "recommend",
            application="app-moz",
            by="sc-1",
            recommendation="object" if route_to_plenary else "support",
        ),
        act(
            "2027-01-16T10:00",
            "recommend",
            application="app-moz",
            by="sc-2",
            recommendation="support",
        ),
    ]
    taken = {0: [], 1: path[:1], 2: path[:3], 3: path[:4], 4: path[:6], 5: path[:6], 6: path[:6]}[
        steps
    ]
    withdraw_at = "2027-02-20T09:00" if steps == 6 else "2027-01-17T09:00"
    events = [
        submit("app-moz", "2027-01-11T09:00"),
        *taken,
        act(
            withdraw_at,
            "withdraw_application",
            application="app-moz",
            by="sec",
            note="Withdrawn by letter.",
        ),
    ]
    result = await run_scenario(tmp_path, "2027-01-04", "2027-03-01", events)
    history = states(result.application("app-moz")["history"])
    assert history[-2:] == [state_before, "withdrawn"]
    assert result.application("app-moz")["outcome"] == "withdrawn"
    if steps == 6:
        member = result.member("gov-mozambique")
        assert [h["status"] for h in member["status_history"]] == ["engaged", "withdrawn"]


async def test_refusals_change_nothing_and_say_why(tmp_path: Path) -> None:
    events = [
        *REVIEWED,
        act("2027-01-14T09:00", "mark_complete", application="app-moz", by="sec"),
        act("2027-01-14T10:00", "start_review", application="app-moz", by="sc-1"),
        act(
            "2027-01-14T11:00",
            "recommend",
            application="app-moz",
            by="sc-1",
            recommendation="support",
        ),
        act(
            "2027-01-14T12:00",
            "recommend",
            application="app-moz",
            by="sc-1",
            recommendation="object",
        ),
        act(
            "2027-01-14T13:00",
            "recommend",
            application="app-moz",
            by="fp-estavia",
            recommendation="object",
        ),
        act("2027-01-14T14:00", "object", application="app-moz", by="fp-estavia", reason="No."),
        act("2027-01-14T15:00", "mark_complete", application="app-nope", by="sec"),
        act("2027-01-14T16:00", "mark_complete", application="app-moz", by="nobody"),
    ]
    result = await run_scenario(tmp_path, "2027-01-04", "2027-01-20", events)
    refusals = {r["index"]: r for r in result.state["refusals"]}
    assert sorted(refusals) == [3, 4, 6, 7, 8, 9, 10]
    assert refusals[3]["problems"] == [
        {
            "field": "state",
            "reason": "is under_review; mark it complete needs: awaiting_completeness_check",
        }
    ]
    assert refusals[4]["reason"] == "starting a review needs the role 'secretariat'"
    assert refusals[6]["problems"] == [{"field": "by", "reason": "sc-1 has already recommended"}]
    # a member's focal point may not know of an application under review: to it, whatever it
    # asks, the application does not exist (asked before the role and the state)
    assert refusals[7]["reason"] == "application 'app-moz' does not exist"
    assert refusals[8]["reason"] == "application 'app-moz' does not exist"
    assert refusals[9]["reason"] == "application 'app-nope' does not exist"
    assert refusals[10]["reason"] == "person 'nobody' does not exist"
    application = result.application("app-moz")
    assert states(application["history"]) == [
        "awaiting_completeness_check",
        "complete",
        "under_review",
    ]
    recommended = [e for e in result.audit if e["action"] == "application.recommended"]
    assert [(e["actor"], e["reason"]) for e in recommended] == [("sc-1", "support")]


async def test_an_engaged_period_that_runs_out_is_escalated_never_demoted(
    tmp_path: Path,
) -> None:
    registry = """
members:
  - {id: gov-norland, name: Government of Norland, pillar: government, country: Norland}
  - {id: ngo-civic, name: Civic Space Trust, pillar: ngo, country: Norland, joined: 2024-05-02,
     status: engaged}
people:
  - {id: sec, name: Amina Okafor, email: sec@example.org, roles: [secretariat]}
  - {id: sc-1, name: Lea Moreau, email: sc1@example.org, member: gov-norland,
     roles: [focal_point, steering_committee]}
  - {id: fp-civic, name: Hana Tanaka, email: hana@example.org, member: ngo-civic,
     roles: [focal_point]}
"""
    events = [
        act(
            "2027-09-01T10:00",
            "record_milestone",
            member="ngo-civic",
            kind="national_action_plan",
            by="fp-civic",
        ),
        act("2027-09-02T10:00", "request_full_membership", member="ngo-civic", by="fp-civic"),
    ]
    result = await run_scenario(tmp_path, "2027-06-01", "2028-03-01", events, registry)
    # due 31 December of the third calendar year after admission (2024 + 3)
    reminders = [n for n in result.notifications if n["kind"] == "deadline_reminder"]
    assert {(n["sent_at"], tuple(n["recipients"]) or n["channel"]) for n in reminders} == {
        ("2027-10-02T04:00:00Z", ("fp-civic",)),
        ("2027-10-02T04:00:00Z", "secretariat"),
        ("2027-12-01T05:00:00Z", ("fp-civic",)),
        ("2027-12-01T05:00:00Z", "secretariat"),
    }
    overdue = [n for n in result.notifications if n["kind"] == "overdue"]
    assert sorted({n["sent_at"] for n in overdue}) == [
        "2028-01-01T05:00:00Z",
        "2028-01-31T05:00:00Z",
        "2028-03-01T05:00:00Z",
    ]
    assert "31 December 2027" in overdue[0]["text"]
    assert result.member("ngo-civic")["status"] == "engaged"
    assert result.state["refusals"][0]["problems"] == [
        {"field": "kind", "reason": "a ngo shows implementation_evidence"}
    ]
    assert result.state["refusals"][1]["problems"] == [
        {"field": "member", "reason": "no implementation_evidence recorded yet"}
    ]


async def test_an_engaged_member_becomes_full_through_its_own_application(tmp_path: Path) -> None:
    registry = """
members:
  - {id: gov-norland, name: Government of Norland, pillar: government, country: Norland}
  - {id: co-lumen, name: Lumen Resources, pillar: company, country: Estavia, joined: 2026-05-01,
     status: engaged}
people:
  - {id: sec, name: Amina Okafor, email: sec@example.org, roles: [secretariat]}
  - {id: sc-1, name: Lea Moreau, email: sc1@example.org, member: gov-norland,
     roles: [focal_point, steering_committee, chair]}
  - {id: fp-lumen, name: Kwame Mensah, email: kwame@example.org, member: co-lumen,
     roles: [focal_point]}
"""
    events = [
        PLENARY_2027,
        act(
            "2027-02-01T10:00",
            "record_milestone",
            member="co-lumen",
            kind="implementation_evidence",
            by="fp-lumen",
            note="Site assessments.",
        ),
        act("2027-02-02T10:00", "request_full_membership", member="co-lumen", by="fp-lumen"),
        act("2027-02-03T10:00", "request_full_membership", member="co-lumen", by="fp-lumen"),
        act("2027-02-04T10:00", "start_review", application="full-co-lumen", by="sec"),
        act(
            "2027-02-05T10:00",
            "recommend",
            application="full-co-lumen",
            by="sc-1",
            recommendation="support",
        ),
        act(
            "2027-05-19T15:00",
            "record_plenary_decision",
            application="full-co-lumen",
            by="sc-1",
            decision="admit",
            note="Voted by consensus.",
        ),
        act(
            "2027-05-20T10:00",
            "record_milestone",
            member="co-lumen",
            kind="implementation_evidence",
            by="fp-lumen",
        ),
    ]
    result = await run_scenario(tmp_path, "2027-01-04", "2027-06-30", events, registry)
    assert states(result.application("full-co-lumen")["history"]) == [
        "complete",
        "under_review",
        "awaiting_plenary",
        "admitted",
    ]
    member = result.member("co-lumen")
    assert [h["status"] for h in member["status_history"]] == ["engaged", "full"]
    assert member["status_history"][1]["since"] == "2027-05-19T19:00:00Z"
    refused = {r["index"]: r["reason"] for r in result.state["refusals"]}
    assert refused == {
        3: "a request for Full membership is already open",
        7: "the Engaged period of co-lumen is over (full)",
    }
    assert any(e["action"] == "engaged_period.completed" for e in result.audit)
    assert "Lumen Resources becomes a Full member" in result.calendar("public")
