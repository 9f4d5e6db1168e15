"""In headless Chromium: a focal point gets a feed link and sees a button per calendar app,
on a desktop and on a phone. Screenshots go to test-artifacts/browser/ (git-ignored)."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Playwright, expect

from tests.web.test_browser import FOCAL_POINT, Stack, browser, shot, sign_in

# the embedded stack and the driver, as the other browser tests start them (fixtures)
from tests.web.test_browser import playwright as playwright
from tests.web.test_browser import stack as stack

pytestmark = pytest.mark.e2e

APPS = ["Google Calendar", "Apple Calendar", "Outlook (work or school)", "Outlook.com"]


def test_a_focal_point_subscribes_from_the_calendars_page(
    stack: Stack, playwright: Playwright
) -> None:
    with browser(playwright) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.get_by_role("navigation").get_by_role("link", name="Calendars").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Calendars")
        page.get_by_label("Which feed").select_option("person")
        page.get_by_role("button", name="Get a new feed link").click()
        expect(page.get_by_role("status")).to_contain_text("It is shown only now")
        feed_url = page.get_by_label("Feed link", exact=True).input_value()
        token = re.fullmatch(rf"{re.escape(stack.base_url)}/calendars/([\w-]+)\.ics", feed_url)
        assert token is not None
        group = page.get_by_role("group", name="Add this feed to your calendar app:")
        assert group.get_by_role("link").all_inner_texts() == APPS
        webcal = "webcal://" + feed_url.partition("://")[2]
        expect(group.get_by_role("link", name="Apple Calendar")).to_have_attribute("href", webcal)
        google = group.get_by_role("link", name="Google Calendar").get_attribute("href")
        assert google == (
            "https://calendar.google.com/calendar/render?cid="
            + httpx.URL("", params={"x": webcal}).query.decode().removeprefix("x=")
        )
        # the feed behind the buttons answers, with the plenary's timed, busy sessions
        body = httpx.get(feed_url, timeout=30).text
        assert "BEGIN:VTIMEZONE" in body
        assert "TRANSP:OPAQUE" in body
        shot(page, "calendars-subscribe-desktop")
        page.get_by_role("link", name="your notification preferences").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")

    phone = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
    with browser(playwright, **phone) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.goto(f"{stack.base_url}/web/calendars")
        public = page.get_by_role("group", name="Add the public feed to your calendar app:")
        assert public.get_by_role("link").all_inner_texts() == APPS
        # Nothing is wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "calendars-subscribe-phone")
