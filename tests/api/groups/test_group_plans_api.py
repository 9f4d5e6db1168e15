"""Groups' plans and funding requests over HTTP (issue 23): a coordinator keeps the plan and
asks for funds; the Secretariat checks the request and the Steering Committee reviews it;
amounts are decimal text with a currency and every refusal names its field; a funding request
does not exist for anyone outside the group, the Secretariat and the Committee; a step repeated
with its Idempotency-Key answers as the first time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import group_plans as plan_repo
from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api

# A focal point with no role, of a member outside the group.
OUTSIDER = "fp-gov-lusmark"
GROUP = {
    "id": "api-plans-ghana",
    "name": "Ghana group",
    "country": "GH",
    "timezone": "Africa/Accra",
    "status": "active",
    "exploration": {"demand": "Asked.", "support": "Backed.", "recorded_on": "2026-01-05"},
    "coordinators": [FOCAL_POINT],
}
PLANS = "/groups/api-plans-ghana/plans"


def _fields(body: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in body["problems"]]


def _outsider_token(api: Api) -> str:
    with api.db.writing() as session:
        return token_repo.issue(session, OUTSIDER, datetime.now(UTC), "test")


async def test_a_coordinator_keeps_the_plan_with_exact_budget_totals(api: Api) -> None:
    async with api.client(SECRETARIAT) as secretariat, api.client(FOCAL_POINT) as coordinator:
        assert (await secretariat.post("/groups", json=GROUP)).status_code == 201
        async with api.client(CHAIR) as chair:
            refused = await chair.post(PLANS, json={"year": 2027})
            assert refused.status_code == 403
        started = await coordinator.post(PLANS, json={"year": 2027})
        assert started.status_code == 201, started.text
        assert (await coordinator.post(PLANS, json={"year": 2027})).status_code == 409
        deliverable = {"id": "survey", "title": "Survey", "owner": FOCAL_POINT, "due": "2027-05-31"}
        added = await coordinator.post(f"{PLANS}/2027/deliverables", json=deliverable)
        assert added.json()["deliverables"][0]["status"] == "planned"
        late = await coordinator.post(
            f"{PLANS}/2027/deliverables", json={**deliverable, "id": "late", "due": "2028-02-01"}
        )
        assert (late.status_code, _fields(late.json())) == (409, ["due"])
        # the owner (no coordinator) moves their own deliverable along; nobody else outside
        owned = {"id": "venue-hunt", "title": "Find a venue", "owner": CHAIR, "due": "2027-04-30"}
        assert (await coordinator.post(f"{PLANS}/2027/deliverables", json=owned)).is_success
        status = f"{PLANS}/2027/deliverables/venue-hunt/status"
        async with api.client(CHAIR) as owner:
            moved = await owner.put(status, json={"status": "in_progress"})
            assert moved.status_code == 200, moved.text
            assert moved.json()["deliverables"][1]["status"] == "in_progress"
            not_theirs = await owner.put(
                f"{PLANS}/2027/deliverables/survey/status", json={"status": "dropped"}
            )
            assert not_theirs.status_code == 403
        outsider = api.client()
        outsider.headers["Authorization"] = f"Bearer {_outsider_token(api)}"
        async with outsider:
            assert (await outsider.put(status, json={"status": "done"})).status_code == 403
        for line in (
            {"id": "venue", "label": "Venue", "amount": "2500.10", "currency": "GHS"},
            {"id": "trainers", "label": "Trainers", "amount": "0.10", "currency": "USD"},
            {"id": "travel", "label": "Travel", "amount": "0.20", "currency": "USD"},
        ):
            answer = await coordinator.post(f"{PLANS}/2027/budget-lines", json=line)
            assert answer.status_code == 200, answer.text
        assert answer.json()["budget_totals"] == {"GHS": "2500.10", "USD": "0.30"}
        wrongs: list[tuple[dict[str, object], str]] = [
            ({"amount": "1.005", "currency": "USD"}, "body.amount"),
            ({"amount": 1.5, "currency": "USD"}, "body.amount"),
            ({"amount": "15", "currency": "DOLLARS"}, "body.currency"),
        ]
        for wrong, field in wrongs:
            bad: dict[str, object] = {"id": "bad", "label": "Bad", **wrong}
            refused = await coordinator.post(f"{PLANS}/2027/budget-lines", json=bad)
            assert (refused.status_code, _fields(refused.json())) == (422, [field])
        done = await coordinator.put(
            f"{PLANS}/2027/deliverables/survey/status", json={"status": "done"}
        )
        assert done.json()["deliverables"][0]["status"] == "done"
        final = await coordinator.put(
            f"{PLANS}/2027/deliverables/survey/status", json={"status": "planned"}
        )
        assert (final.status_code, _fields(final.json())) == (409, ["status"])
        read = await secretariat.get(f"{PLANS}/2027")
        assert [b["amount"] for b in read.json()["budget"]] == ["2500.10", "0.10", "0.20"]


async def test_a_funding_request_is_checked_reviewed_and_kept_confidential(api: Api) -> None:
    funding = "/groups/api-plans-ghana/funding-requests"
    ask = {
        "id": "api-fr-1",
        "year": 2027,
        "amount": {"amount": "5200.75", "currency": "USD"},
        "purpose": "Two trainings.",
    }
    outsider = api.client()
    outsider.headers["Authorization"] = f"Bearer {_outsider_token(api)}"
    async with (
        api.client(SECRETARIAT) as secretariat,
        api.client(FOCAL_POINT) as coordinator,
        api.client(CHAIR) as chair,
        outsider,
    ):
        if (await secretariat.get("/groups/api-plans-ghana")).status_code == 404:
            assert (await secretariat.post("/groups", json=GROUP)).status_code == 201
        if (await coordinator.get(f"{PLANS}/2027")).status_code == 404:
            assert (await coordinator.post(PLANS, json={"year": 2027})).status_code == 201
        by_sec = await secretariat.post(funding, json=ask)
        assert (by_sec.status_code, _fields(by_sec.json())) == (403, ["by"])
        floated = await coordinator.post(
            funding, json={**ask, "amount": {"amount": 5200.75, "currency": "USD"}}
        )
        assert (floated.status_code, _fields(floated.json())) == (422, ["body.amount.amount"])
        # each wrong amount is refused beside its field with its reason, and nothing recorded;
        # 1e-999999999 once held a worker writing out its billion digits in the refusal; text
        # other than plain digits (an exponent, "1_000", other scripts' digits) is refused
        digits = "digits 0-9"
        wrongs: list[tuple[dict[str, object], str, str]] = [
            ({"amount": "-5", "currency": "USD"}, "body.amount.amount", "must be more than zero"),
            ({"amount": "five", "currency": "USD"}, "body.amount.amount", digits),
            ({"amount": "5.123", "currency": "USD"}, "body.amount.amount", "2 decimal places"),
            ({"amount": "10000000000000", "currency": "USD"}, "body.amount.amount", "at most"),
            ({"amount": "1e13", "currency": "USD"}, "body.amount.amount", digits),
            ({"amount": "1e-999999999", "currency": "USD"}, "body.amount.amount", digits),
            ({"amount": "1_000", "currency": "USD"}, "body.amount.amount", digits),
            ({"amount": "\u0663", "currency": "USD"}, "body.amount.amount", digits),
            ({"amount": "5", "currency": "usd"}, "body.amount.currency", "ISO 4217"),
            ({"amount": "5", "currency": "ZZZ"}, "body.amount.currency", "ISO 4217"),
        ]
        for amount, field, why in wrongs:
            refused = await coordinator.post(funding, json={**ask, "amount": amount})
            assert (refused.status_code, _fields(refused.json())) == (422, [field]), amount
            assert why in refused.json()["problems"][0]["reason"]
            assert refused.json()["message"].startswith(f"the request is invalid: {field}: ")
        assert (await secretariat.get("/funding-requests/api-fr-1")).status_code == 404
        headers = {"Idempotency-Key": "api-plans-ask-1"}
        asked = await coordinator.post(funding, json=ask, headers=headers)
        assert asked.status_code == 201, asked.text
        again = await coordinator.post(funding, json=ask, headers=headers)
        assert (again.status_code, again.json()) == (201, asked.json())
        assert asked.json()["state"] == "submitted"
        assert asked.json()["amount"] == {"currency": "USD", "amount": "5200.75"}

        # Outside the group, the Secretariat and the Committee, the request does not exist.
        hidden = await outsider.get("/funding-requests/api-fr-1")
        never = await outsider.get("/funding-requests/api-fr-nobody")
        unknown = never.json()
        unknown["message"] = unknown["message"].replace("api-fr-nobody", "api-fr-1")
        assert (hidden.status_code, hidden.json()) == (404, unknown)
        assert (await outsider.get(funding)).json() == []
        blind = await outsider.post("/funding-requests/api-fr-1/check", json={"complete": True})
        assert blind.status_code == 404

        returned = await secretariat.post(
            "/funding-requests/api-fr-1/check", json={"complete": False}
        )
        assert (returned.status_code, _fields(returned.json())) == (422, ["missing"])
        not_yours = await coordinator.post(
            "/funding-requests/api-fr-1/check", json={"complete": True}
        )
        assert not_yours.status_code == 403
        reviewed = await secretariat.post(
            "/funding-requests/api-fr-1/check", json={"complete": True}
        )
        assert reviewed.json()["state"] == "under_review"
        assert CHAIR in reviewed.json()["reviewers"]
        said = await chair.post(
            "/funding-requests/api-fr-1/recommendations",
            json={"recommendation": "support", "comment": "Clear."},
        )
        assert said.status_code == 200, said.text
        assert said.json()["recommendations"][0]["person"] == CHAIR
        # the coordinator (fp-co-aurum-mining) sits on the Committee: a party to its group's
        # request, it stands aside from the review (found by a review: it supported it)
        assert FOCAL_POINT not in reviewed.json()["reviewers"]
        own = await coordinator.post(
            "/funding-requests/api-fr-1/recommendations", json={"recommendation": "support"}
        )
        assert (own.status_code, _fields(own.json())) == (409, ["by"])
        assert own.json()["problems"][0]["reason"] == (
            f"{FOCAL_POINT} coordinates api-plans-ghana, which asks for the funds: "
            "the other reviewers decide"
        )
        read = await chair.get("/funding-requests/api-fr-1")
        assert read.json()["use_report_overdue"] is False
        early = await coordinator.post(
            "/funding-requests/api-fr-1/use-report",
            json={"spent": {"amount": "10.00", "currency": "USD"}, "report": "Not yet."},
        )
        assert (early.status_code, _fields(early.json())) == (409, ["state"])
    with api.db.reading() as session:
        stored = plan_repo.get_request(session, "api-fr-1")
    assert stored is not None
    assert stored.state.value == "under_review"


async def test_an_id_that_is_no_slug_in_the_path_is_a_422_naming_it(api: Api) -> None:
    async with api.client(SECRETARIAT) as client:
        plan = await client.post("/groups/%C3%BDM/plans", json={"year": 2027})
        check = await client.post("/funding-requests/%C3%BDM/check", json={"complete": True})
    assert (plan.status_code, _fields(plan.json())) == (422, ["group"])
    assert (check.status_code, _fields(check.json())) == (422, ["request"])
