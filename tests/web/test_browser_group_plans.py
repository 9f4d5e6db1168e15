"""Issue 23 in headless Chromium: a group's coordinator keeps the plan's budget and asks for
funds from the plan's page, after a refusal shown beside the field; plans a series and a visit
and moves one meeting from the group's page, and completes a returned funding request from My
work; the pages read on a phone and pass the accessibility rules. Screenshots go to
test-artifacts/browser/."""

from __future__ import annotations

from datetime import timedelta

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


def test_a_coordinator_plans_and_moves_meetings_and_completes_a_request_from_my_work(
    stack: Stack,
    playwright: Playwright,
) -> None:
    """The coordinator's tasks of the group page and My work: a monthly series planned in plain
    words after a refusal beside the field, a delegation visit of four days, one meeting of
    the series moved; then, on a phone, the returned funding request waiting in My work is
    completed with a new amount. Desktop and 375 px screenshots, axe on every page."""
    now = today_now()
    year = now.year
    # A second Tuesday, a week or more ahead, at 09:00 on Accra's clock.
    day = now.date() + timedelta(days=7)
    while not (day.weekday() == 1 and 8 <= day.day <= 14):
        day += timedelta(days=1)
    group = "browser-meet-ghana"
    stack.post(
        SECRETARIAT,
        "/groups",
        {
            "id": group,
            "name": "Tarkwa meetings group",
            "country": "GH",
            "timezone": "Africa/Accra",
            "status": "active",
            "exploration": {"demand": "Asked.", "support": "Backed.", "recorded_on": "2026-01-05"},
            "coordinators": [FOCAL_POINT],
        },
    )
    stack.post(FOCAL_POINT, f"/groups/{group}/plans", {"year": year})
    stack.post(
        FOCAL_POINT,
        f"/groups/{group}/funding-requests",
        {
            "id": "browser-meet-fr",
            "year": year,
            "amount": {"amount": "1200.00", "currency": "USD"},
            "purpose": "Two trainings for police and private security in Tarkwa.",
        },
    )
    stack.post(
        SECRETARIAT,
        "/funding-requests/browser-meet-fr/check",
        {"complete": False, "missing": "The trainers' costs, line by line."},
    )
    with browser(playwright, viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.goto(f"{stack.base_url}/web/groups/{group}")
        expect(page.get_by_text("Times are the group's own clock in Africa/Accra")).to_be_visible()
        plan = page.locator("#group-meeting")
        plan.get_by_label("Short name").fill("browser-meet-monthly")
        plan.get_by_label("Title").fill("Monthly dialogue")
        plan.get_by_label("Starts").fill(f"{day}T09:00")
        plan.get_by_label("Ends").fill(f"{day}T08:00")
        plan.get_by_label("Repeats").select_option("monthly-weekday")
        plan.get_by_label("Or the number of meetings").fill("6")
        plan.get_by_role("button", name="Plan the meeting").click()
        expect(page.locator("#group-meeting-ends-error")).to_contain_text(
            "must end after it starts"
        )
        expect(page.locator("#group-meeting-title")).to_have_value("Monthly dialogue")
        shot(page, "group-meeting-refused-desktop")
        assert _axe_violations(page) == []
        plan = page.locator("#group-meeting")
        plan.get_by_label("Ends").fill(f"{day}T11:00")
        plan.get_by_role("button", name="Plan the meeting").click()
        expect(page.get_by_role("status")).to_contain_text("meeting planned")
        plan = page.locator("#group-meeting")
        plan.get_by_label("Short name").fill("browser-meet-visit")
        plan.get_by_label("Title").fill("Delegation visit to the mines")
        plan.get_by_label("Kind").select_option("delegation_visit")
        plan.get_by_label("Starts").fill(f"{day + timedelta(days=20)}T08:30")
        plan.get_by_label("Ends").fill(f"{day + timedelta(days=23)}T17:00")
        plan.get_by_label("Place").fill("Tarkwa")
        plan.get_by_role("button", name="Plan the meeting").click()
        expect(page.get_by_role("status")).to_contain_text("meeting planned")
        move = page.locator("#group-move")
        move.get_by_label("Meeting of a series").select_option(
            f"browser-meet-monthly|{day}T09:00:00"
        )
        move.get_by_label("New start").fill(f"{day + timedelta(days=1)}T14:00")
        move.get_by_label("New end").fill(f"{day + timedelta(days=1)}T16:00")
        move.get_by_label("New place").fill("Takoradi")
        move.get_by_role("button", name="Move this meeting").click()
        expect(page.get_by_role("status")).to_contain_text("meeting moved")
        coming = page.locator("section", has=page.get_by_role("heading", name="Coming meetings"))
        expect(coming).to_contain_text("(moved), Monthly dialogue · Takoradi")
        expect(coming).to_contain_text("Delegation visit to the mines · Tarkwa")
        shot(page, "group-meetings-desktop")
        assert _axe_violations(page) == []
    phone = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
    with browser(playwright, **phone) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        item = page.locator("li.card", has_text="returned funding request browser-meet-fr")
        expect(item).to_contain_text("Missing: The trainers' costs, line by line.")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "my-work-funding-phone")
        assert _axe_violations(page) == []
        form = page.locator("#funding-complete-browser-meet-fr")
        form.get_by_label("New amount", exact=True).fill("1350.00")
        form.get_by_role("button", name="Send it again").click()
        expect(page.locator("#funding-complete-browser-meet-fr-currency-error")).to_be_visible()
        form = page.locator("#funding-complete-browser-meet-fr")
        form.get_by_label("Currency of the new amount").fill("USD")
        form.get_by_role("button", name="Send it again").click()
        expect(page.get_by_role("status")).to_contain_text("request sent again")
        page.goto(f"{stack.base_url}/web/groups/{group}")
        expect(page.locator("#group-move")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "group-meetings-phone")
        assert _axe_violations(page) == []
        page.goto(f"{stack.base_url}/web/groups/{group}/plans/{year}")
        requests = page.get_by_role("region", name="Funding requests (table)")
        expect(requests).to_contain_text("browser-meet-fr")
        expect(requests).to_contain_text("US$1,350.00")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "group-plan-funding-phone")
        assert _axe_violations(page) == []
    with stack.api(FOCAL_POINT) as client:
        meetings = {m["id"]: m for m in client.get(f"/groups/{group}/meetings").json()}
        request = client.get("/funding-requests/browser-meet-fr").json()
    assert meetings["browser-meet-monthly"]["rule"] == "FREQ=MONTHLY;BYDAY=+2TU;COUNT=6"
    assert [m["recurrence_id"] for m in meetings["browser-meet-monthly"]["moved"]] == [
        f"{day}T09:00:00"
    ]
    assert meetings["browser-meet-visit"]["kind"] == "delegation_visit"
    assert (request["state"], request["amount"]) == (
        "submitted",
        {"amount": "1350.00", "currency": "USD"},
    )
