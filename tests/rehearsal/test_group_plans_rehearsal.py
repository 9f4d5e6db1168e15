"""Groups' plans and funding requests rehearsed (scenarios/group-plans-and-funding.yaml):
state.json's `groups` gains each group's `plans` (exact totals per currency, the deliverables
overdue at the end) and `funding_requests` (one approved by silence and reported on, one
returned, completed and declined); the notices went to the people the rules name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "group-plans-and-funding.yaml"


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> Year:
    out = tmp_path_factory.mktemp("group-plans") / "out"
    return Year(await rehearse_file(SCENARIO, out, Settings()), out)


def group(year: Year, group_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(g for g in year.state["groups"] if g["id"] == group_id)
    return found


def test_the_ghana_plan_keeps_exact_totals_and_ends_with_the_training_overdue(
    rehearsed: Year,
) -> None:
    [plan] = group(rehearsed, "ghana")["plans"]
    assert plan["year"] == 2027
    assert plan["totals"] == {"GHS": "2500.00", "USD": "5200.75"}
    assert [(b["id"], b["amount"], b["currency"]) for b in plan["budget"]] == [
        ("venue", "2500.00", "GHS"),
        ("trainers", "4000.50", "USD"),
        ("travel", "1200.25", "USD"),
    ]
    assert [(d["id"], d["status"]) for d in plan["deliverables"]] == [
        ("survey", "done"),
        ("training", "planned"),
    ]
    assert plan["overdue"] == ["training"]
    [peru_plan] = group(rehearsed, "peru")["plans"]
    assert (peru_plan["totals"], peru_plan["deliverables"]) == ({}, [])


def test_the_training_request_is_approved_by_silence_and_reported_on(rehearsed: Year) -> None:
    [request] = group(rehearsed, "ghana")["funding_requests"]
    assert (request["id"], request["state"], request["amount"]) == (
        "fr-ghana-training",
        "use_reported",
        {"currency": "USD", "amount": "5200.75"},
    )
    assert request["review_due_date"] == "2027-03-17"
    assert [
        (r["person"], r["recommendation"], r["silent"]) for r in request["recommendations"]
    ] == [
        ("sc-lea", "support", False),
        ("sc-omar", "abstain", True),
    ]
    # the review closed at the end of 17 March in Ottawa; the report was due 90 days later
    assert request["decided_at"] == "2027-03-18T04:00:00Z"
    assert request["report_due"] == "2027-06-16"
    assert request["use_report"]["spent"] == {"currency": "USD", "amount": "5100.00"}
    assert request["report_overdue"] is False


def test_the_peru_request_goes_round_once_and_is_declined_on_an_objection(
    rehearsed: Year,
) -> None:
    [request] = group(rehearsed, "peru")["funding_requests"]
    assert (request["state"], request["report_due"], request["missing"]) == (
        "declined",
        None,
        "",
    )
    assert request["purpose"].startswith("A delegation visit to Cusco: travel 9000")
    actions = [a["action"] for a in rehearsed.audit if a["item_id"] == "fr-peru-visit"]
    assert actions == [
        "icig_funding.requested",
        "icig_funding.returned",
        "icig_funding.completed",
        "icig_funding.review_started",
        "icig_funding.recommended",
    ]
    # sc-omar is of ngo-rights, a member of the Peru group: it stands aside from the review
    # (found by a review: the group's own people reviewed its request)
    assert [r["person"] for r in request["recommendations"]] == ["sc-lea"]


def test_owners_reviewers_and_the_secretariat_hear_what_the_rules_say(rehearsed: Year) -> None:
    keys = sorted(n["key"] for n in rehearsed.notifications if "icig-plan" in n["key"])
    assert keys == [
        "deadline_reminder:icig-plan:ghana-2027:vsurvey:2027-03-31:reminder-14:fp-kwame",
        "deadline_reminder:icig-plan:ghana-2027:vsurvey:2027-03-31:reminder-3:fp-kwame",
        "deadline_reminder:icig-plan:ghana-2027:vtraining:2027-06-30:reminder-14:fp-ravi",
        "deadline_reminder:icig-plan:ghana-2027:vtraining:2027-06-30:reminder-3:fp-ravi",
        "overdue:icig-plan:ghana-2027:voverdue-summary-2027-04-01:secretariat",
        "overdue:icig-plan:ghana-2027:voverdue-summary-2027-07-01:secretariat",
        "overdue:icig-plan:ghana-2027:vsurvey:2027-03-31:overdue:fp-kwame",
        "overdue:icig-plan:ghana-2027:vtraining:2027-06-30:overdue:fp-ravi",
    ]
    reminded = [
        (n["key"].split(":")[3], n["recipients"])
        for n in rehearsed.notifications
        if n["key"].startswith("deadline_reminder:icig-funding:fr-ghana-training")
    ]
    assert sorted(reminded) == [
        ("vreport-reminder-14", ["fp-ravi"]),
        ("vreview-reminder-14", ["sc-omar"]),
        ("vreview-reminder-3", ["sc-omar"]),
    ]
    # the review's first request is a request to act, which no opt-out stops
    asked = [
        (n["key"].split(":")[3], n["recipients"])
        for n in rehearsed.notifications
        if n["key"].startswith("request:icig-funding:fr-ghana-training")
    ]
    assert sorted(asked) == [
        ("vunder_review-2027-02-03T15", ["sc-lea"]),
        ("vunder_review-2027-02-03T15", ["sc-omar"]),
    ]
    # confidential: no funding notice went to a channel other than the Secretariat's
    channels = {n["channel"] for n in rehearsed.notifications if "icig-funding" in n["key"]}
    assert channels == {"direct", "secretariat"}


def test_the_refusals_name_their_fields(rehearsed: Year) -> None:
    refused = [
        (r["index"], r["do"], [p["field"] for p in r["problems"]])
        for r in rehearsed.state["refusals"]
    ]
    assert refused == [
        (12, "add_budget_line", ["amount"]),
        (13, "add_plan_deliverable", ["due"]),
        (16, "request_group_funding", ["by"]),
        (24, "recommend_group_funding", ["by"]),
    ]
