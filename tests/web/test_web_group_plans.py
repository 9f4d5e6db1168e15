"""A group's plan and funding requests in the workspace (issue 23), against the real worker: the
coordinator starts the plan, adds a deliverable and budget lines (amounts in the reader's
locale, totals per currency) and asks for funds; the Secretariat checks the request and the
Steering Committee recommends from the same page; a refused form comes back with the error
beside the field; someone outside the group sees no funding request at all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from governance.groups.model import Exploration, Group, GroupStatus
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api, serving_api
from tests.today import today
from tests.web.html_checks import captioned, error_for, sign_in_async, text, unlabelled
from tests.web.test_web_actions import post_form

OUTSIDER = "fp-gov-lusmark"
PLAN = "/web/groups/web-ghana/plans/2027"


@pytest_asyncio.fixture(scope="module")
async def api(
    local_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Api]:
    async with serving_api(local_env, tmp_path_factory.mktemp("api"), today()) as served:
        with served.db.writing() as session:
            group_repo.save_group(
                session,
                Group(
                    id="web-ghana",
                    name="Ghana group",
                    country="GH",
                    timezone="Africa/Accra",
                    status=GroupStatus.ACTIVE,
                    exploration=Exploration(
                        demand="Asked.", support="Backed.", recorded_on=date(2026, 1, 5)
                    ),
                    coordinators=frozenset({FOCAL_POINT}),
                ),
            )
            served.tokens[OUTSIDER] = token_repo.issue(
                session, OUTSIDER, datetime.now(UTC), "web test"
            )
        yield served


async def web(api: Api, person: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=api.base_url, timeout=60)
    await sign_in_async(client, api.tokens[person])
    return client


async def test_the_coordinator_plans_and_asks_the_secretariat_and_committee_take_their_steps(
    api: Api,
) -> None:
    coordinator, secretariat, chair, outsider = [
        await web(api, p) for p in (FOCAL_POINT, SECRETARIAT, CHAIR, OUTSIDER)
    ]
    try:
        started = await post_form(
            coordinator, "/web/groups/web-ghana/plans", "plan-start", year="2027"
        )
        assert started.status_code == 303, started.text
        refused = await post_form(
            coordinator,
            PLAN,
            "plan-budget",
            id="venue",
            label="Venue",
            amount="2500.005",
            currency="GHS",
        )
        assert refused.status_code == 422
        assert error_for(refused.text, "plan-budget-amount") == (
            "GHS is counted to 2 decimal places; 2500.005 has more"
        )
        for line, amount, currency in (
            ("venue", "2500.10", "GHS"),
            ("trainers", "0.10", "USD"),
            ("travel", "0.20", "USD"),
        ):
            added = await post_form(
                coordinator,
                PLAN,
                "plan-budget",
                id=line,
                label=line.title(),
                amount=amount,
                currency=currency,
            )
            assert added.status_code == 303, added.text
        deliverable = await post_form(
            coordinator,
            PLAN,
            "plan-deliverable",
            id="survey",
            title="Baseline survey",
            owner=FOCAL_POINT,
            due="2027-11-30",
        )
        assert deliverable.status_code == 303, deliverable.text
        page = (await coordinator.get(PLAN)).text
        assert unlabelled(page) == []
        # written as the reader's locale writes money: English here
        assert "Total by currency: GHS2,500.10 and US$0.30" in text(page)
        asked = await post_form(
            coordinator,
            PLAN,
            "funding-request",
            id="web-fr-1",
            amount="5200.75",
            currency="USD",
            purpose="Two trainings.",
        )
        assert asked.status_code == 303, asked.text
        # an exponent is refused beside the amount (it once wrote out its billion digits)
        hostile = await post_form(
            coordinator,
            PLAN,
            "funding-request",
            id="web-fr-x",
            amount="1e-999999999",
            currency="USD",
            purpose="Nothing.",
        )
        assert hostile.status_code == 422
        assert error_for(hostile.text, "funding-request-amount") == (
            'write the amount in digits 0-9 with a point before any decimals, like "1250.50"'
        )
        # deliverables, budget and requests: each table named for a screen reader
        assert captioned((await coordinator.get(PLAN)).text) == [True, True, True]

        assert "Funding requests" not in text((await outsider.get(PLAN)).text)
        assert "funding-check" not in (await chair.get(PLAN)).text
        # the Secretariat finds the check in My work and records it there
        checked = await post_form(
            secretariat, "/web/my-work", "funding-check-web-fr-1", complete="on"
        )
        assert checked.status_code == 303, checked.text
        assert checked.headers["location"].startswith("/web/my-work")
        # the coordinator sits on the Steering Committee but stands aside from its own group's
        # request: no review step on the plan page nor in My work; it still reads the request
        assert "funding-recommend" not in (await coordinator.get(PLAN)).text
        work = (await coordinator.get("/web/my-work")).text
        assert "funding-recommend-web-fr-1" not in work
        assert "funding-recommend" in (await chair.get(PLAN)).text
        assert "funding-recommend-web-fr-1" in (await chair.get("/web/my-work")).text
        said = await post_form(
            chair,
            PLAN,
            "funding-recommend",
            request="web-fr-1",
            recommendation="support",
            comment="Clear.",
        )
        assert said.status_code == 303, said.text
        seen = text((await coordinator.get(PLAN)).text)
        assert "web-fr-1" in seen
        assert "US$5,200.75" in seen

        # a deliverable's owner (no coordinator) moves their own along; an outsider sees no form
        owned = await post_form(
            coordinator,
            PLAN,
            "plan-deliverable",
            id="venue-hunt",
            title="Find a venue",
            owner=CHAIR,
            due="2027-06-30",
        )
        assert owned.status_code == 303, owned.text
        owner_page = (await chair.get(PLAN)).text
        assert 'value="venue-hunt"' in owner_page
        assert 'value="survey"' not in owner_page
        assert "plan-status" not in (await outsider.get(PLAN)).text
        moved = await post_form(
            chair, PLAN, "plan-status", deliverable="venue-hunt", status="in_progress"
        )
        assert moved.status_code == 303, moved.text
        not_theirs = await post_form(
            chair, PLAN, "plan-status", deliverable="survey", status="dropped"
        )
        assert not_theirs.status_code == 403

        # a returned request is completed with everything the API takes: a new amount too
        second = await post_form(
            coordinator,
            PLAN,
            "funding-request",
            id="web-fr-2",
            amount="900",
            currency="USD",
            purpose="A field visit.",
        )
        assert second.status_code == 303, second.text
        returned = await post_form(
            secretariat, PLAN, "funding-check", request="web-fr-2", missing="The visit's budget."
        )
        assert returned.status_code == 303, returned.text
        half = await post_form(
            coordinator, PLAN, "funding-complete", request="web-fr-2", amount="950.505"
        )
        assert half.status_code == 422, half.text
        assert error_for(half.text, "funding-complete-currency") != ""
        wrong = await post_form(
            coordinator,
            PLAN,
            "funding-complete",
            request="web-fr-2",
            amount="950.505",
            currency="USD",
        )
        assert error_for(wrong.text, "funding-complete-amount") == (
            "USD is counted to 2 decimal places; 950.505 has more"
        )
        completed = await post_form(
            coordinator,
            PLAN,
            "funding-complete",
            request="web-fr-2",
            amount="950.50",
            currency="USD",
            purpose="A field visit to Tarkwa, with its budget.",
        )
        assert completed.status_code == 303, completed.text
    finally:
        for client in (coordinator, secretariat, chair, outsider):
            await client.aclose()
    with api.db.reading() as session:
        request = plan_repo.get_request(session, "web-fr-1")
    assert request is not None
    assert request.state.value == "under_review"
    assert [r.person for r in request.recommendations] == [CHAIR]
    with api.db.reading() as session:
        again = plan_repo.get_request(session, "web-fr-2")
        plan = plan_repo.get_plan(session, "web-ghana", 2027)
    assert again is not None
    assert plan is not None
    assert (again.state.value, str(again.amount.amount), again.missing) == (
        "submitted",
        "950.50",
        "",
    )
    assert again.purpose == "A field visit to Tarkwa, with its budget."
    assert {d.id: d.status.value for d in plan.plan.deliverables} == {
        "survey": "planned",
        "venue-hunt": "in_progress",
    }
