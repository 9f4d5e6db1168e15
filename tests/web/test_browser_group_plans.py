"""Issue 23 in headless Chromium: a group's coordinator keeps the plan's budget and asks for
funds from the plan's page, after a refusal shown beside the field; the page reads on a phone
and passes the accessibility rules. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Playwright, expect

from tests.today import now as today_now
from tests.web.test_browser import (
    FOCAL_POINT,
    SECRETARIAT,
    Stack,
    _axe_violations,
    browser,
    shot,
    sign_in,
)
from tests.web.test_browser import playwright as playwright
from tests.web.test_browser import stack as stack

pytestmark = pytest.mark.e2e


def test_a_coordinator_keeps_the_budget_and_asks_for_funds(
    stack: Stack,
    playwright: Playwright,
) -> None:
    year = today_now().year
    stack.post(
        SECRETARIAT,
        "/groups",
        {
            "id": "browser-plans-ghana",
            "name": "Ghana planning group",
            "country": "GH",
            "timezone": "Africa/Accra",
            "status": "active",
            "exploration": {"demand": "Asked.", "support": "Backed.", "recorded_on": "2026-01-05"},
            "coordinators": [FOCAL_POINT],
        },
    )
    with browser(playwright, viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.goto(f"{stack.base_url}/web/groups/browser-plans-ghana")
        page.get_by_role("link", name="Annual plans, budgets and funding requests").click()
        start = page.locator("#plan-start")
        start.get_by_label("Year").fill(str(year))
        start.get_by_role("button", name="Start the plan").click()
        expect(page.get_by_role("status")).to_contain_text("plan started")
        page.get_by_role("link", name=f"Plan for {year}").click()
        budget = page.locator("#plan-budget")
        budget.get_by_label("Short name").fill("trainers")
        budget.get_by_label("What it pays for").fill("Two trainers")
        budget.get_by_label("Amount").fill("4000.505")
        budget.get_by_label("Currency").fill("USD")
        budget.get_by_role("button", name="Add the line").click()
        expect(page.locator("#plan-budget")).to_contain_text("USD is counted to 2 decimal places")
        shot(page, "group-plan-budget-refused-desktop")
        page.locator("#plan-budget").get_by_label("Amount").fill("4000.50")
        page.locator("#plan-budget").get_by_role("button", name="Add the line").click()
        expect(page.get_by_role("status")).to_contain_text("item added")
        ask = page.locator("#funding-request")
        ask.get_by_label("Short name").fill("browser-fr")
        ask.get_by_label("Amount").fill("4000.50")
        ask.get_by_label("Currency").fill("USD")
        ask.get_by_label("What the funds are for").fill("Two trainings in Tarkwa.")
        ask.get_by_role("button", name="Send the request").click()
        expect(page.get_by_role("status")).to_contain_text("funds requested")
        expect(page.get_by_role("region", name="Funding requests (table)")).to_contain_text(
            "browser-fr"
        )
        shot(page, "group-plan-requested-desktop")
        assert _axe_violations(page) == []
    phone = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
    with browser(playwright, **phone) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.goto(f"{stack.base_url}/web/groups/browser-plans-ghana/plans/{year}")
        expect(page.get_by_role("heading", level=2, name="Budget", exact=True)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert _axe_violations(page) == []
        shot(page, "group-plan-phone")
    with stack.api(FOCAL_POINT) as client:
        plan = client.get(f"/groups/browser-plans-ghana/plans/{year}").json()
        requests = client.get("/groups/browser-plans-ghana/funding-requests").json()
    assert plan["budget_totals"] == {"USD": "4000.50"}
    assert [(r["id"], r["state"]) for r in requests] == [("browser-fr", "submitted")]
