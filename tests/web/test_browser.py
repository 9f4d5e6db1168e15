"""Each role signs in with headless Chromium and does one real task, against the embedded stack
as `make run` starts it. Screenshots go to test-artifacts/browser/ (git-ignored).

Chromium is Debian's headless build of it (`make browser-deps`); Playwright only drives it and
never downloads a browser. Without /usr/bin/chromium-headless-shell these tests fail, they do not
skip.
"""

from __future__ import annotations

import mailbox
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from tests.api.app_helpers import STEERING_COMMITTEE, application_body
from tests.today import now as today_now

# The stack and the people are defined beside the fixture that starts it; the other browser test
# files import them from here, as before the stack was shared.
from tests.web.browser_stack import CHAIR as CHAIR
from tests.web.browser_stack import CHROMIUM as CHROMIUM
from tests.web.browser_stack import FOCAL_POINT as FOCAL_POINT
from tests.web.browser_stack import REVIEWER as REVIEWER
from tests.web.browser_stack import SECRETARIAT as SECRETARIAT
from tests.web.browser_stack import Stack as Stack

pytestmark = pytest.mark.e2e

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def stack(browser_stack: Stack) -> Stack:
    """The embedded stack of this test process (tests/web/conftest.py), shared by the browser
    test files that import this fixture; started by the first of them."""
    return browser_stack


# One Chromium per driver (a test file's): launching one costs a core-second and more, and
# the tests open about fifty browsers; each person still gets a context of their own.
_CHROMIUMS: dict[int, Browser] = {}


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        try:
            yield driver
        finally:
            launched = _CHROMIUMS.pop(id(driver), None)
            if launched is not None:
                launched.close()


@contextmanager
def browser(playwright: Playwright, **options: Any) -> Iterator[BrowserContext]:
    """A fresh context each time, as a new private window: no cookie, storage or cache is
    shared between people."""
    chromium = _CHROMIUMS.get(id(playwright))
    if chromium is None:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        _CHROMIUMS[id(playwright)] = chromium
    context = chromium.new_context(**options)
    try:
        yield context
    finally:
        context.close()


def sign_in(page: Page, stack: Stack, person: str) -> None:
    page.goto(f"{stack.base_url}/web/my-work")
    expect(page).to_have_url(f"{stack.base_url}/web/sign-in?next=/web/my-work")
    page.get_by_label("Your token").fill(stack.tokens[person])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def test_the_secretariat_marks_an_application_complete(
    stack: Stack, playwright: Playwright
) -> None:
    app = "app-browser-intake"
    stack.post(SECRETARIAT, "/applications", application_body(app))
    with browser(playwright) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        shot(page, "secretariat-my-work")
        page.locator(f"#mark-complete-{app}").get_by_role("button", name="Mark complete").click()
        expect(page.get_by_role("status")).to_contain_text("marked complete")
        expect(page.locator(f"#start-review-{app}")).to_be_visible()
        shot(page, "secretariat-marked-complete")
    assert stack.application(app)["state"] == "complete"


def test_a_steering_committee_member_recommends(stack: Stack, playwright: Playwright) -> None:
    app = "app-browser-review"
    stack.post(SECRETARIAT, "/applications", application_body(app))
    stack.post(SECRETARIAT, f"/applications/{app}/mark-complete")
    stack.post(SECRETARIAT, f"/applications/{app}/start-review")
    with browser(playwright) as context:
        page = context.new_page()
        sign_in(page, stack, REVIEWER)
        form = page.locator(f"#recommend-{app}")
        form.get_by_label("Your recommendation").select_option("support")
        form.get_by_label("Comment (optional)").fill("Clear commitments and a credible plan.")
        form.get_by_role("button", name="Recommend").click()
        expect(page.get_by_role("status")).to_contain_text("recommendation recorded")
        page.goto(f"{stack.base_url}/web/applications/{app}")
        expect(
            page.get_by_role("cell", name="Clear commitments and a credible plan.")
        ).to_be_visible()
        shot(page, "steering-committee-recommended")
    recommendations = stack.application(app)["recommendations"]
    assert [(r["person"], r["recommendation"]) for r in recommendations] == [(REVIEWER, "support")]


def test_the_chair_completes_a_handover_item(stack: Stack, playwright: Playwright) -> None:
    with browser(playwright) as context:
        page = context.new_page()
        sign_in(page, stack, CHAIR)
        shot(page, "chair-my-work")
        # The demo (placed around today) always has the Chair's handover ahead, at the next
        # plenary: its checklist is on the Chair's work whatever day the suite runs.
        form = page.locator("form[id^='handover-']").first
        expect(form).to_be_visible()
        form_id = form.get_attribute("id")
        assert form_id is not None
        form.get_by_role("button", name="Mark done").click()
        expect(page.get_by_role("status")).to_contain_text("completed")
        expect(page.locator(f"#{form_id}")).to_have_count(0)
        shot(page, "chair-item-done")
    assert _completed_by(stack, form_id) == CHAIR


def _completed_by(stack: Stack, form_id: str) -> str:
    with stack.api() as client:
        if form_id.startswith("handover-"):
            year, key = form_id.removeprefix("handover-").split("-", 1)
            items = client.get(f"/handovers/{year}").json()["items"]
        else:
            found = re.fullmatch(r"milestone-(plenary-\d{4})-(\w+)", form_id)
            assert found, form_id
            plenary, key = found.groups()
            items = client.get(f"/plenaries/{plenary}/milestones").json()
    done: str = next(i for i in items if i["key"] == key)["completed_by"]
    return done


def test_a_focal_point_objects_on_a_phone(stack: Stack, playwright: Playwright) -> None:
    app = "app-browser-objection"
    stack.post(SECRETARIAT, "/applications", application_body(app))
    stack.post(SECRETARIAT, f"/applications/{app}/mark-complete")
    stack.post(SECRETARIAT, f"/applications/{app}/start-review")
    for person in STEERING_COMMITTEE:
        stack.post(person, f"/applications/{app}/recommend", {"recommendation": "support"})
    assert stack.application(app)["state"] == "no_objection_period"
    phone = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
    with browser(playwright, **phone) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        # Nothing is wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "focal-point-my-work-phone")
        form = page.locator(f"#object-{app}")
        form.get_by_label("Why your member objects").fill("Unresolved grievances in Pelagonia.")
        form.get_by_role("button", name="Object").click()
        expect(page.get_by_role("status")).to_contain_text("objection recorded")
        shot(page, "focal-point-objected-phone")
    assert stack.application(app)["state"] == "awaiting_plenary"


def test_keyboard_users_reach_the_content_and_see_focus(
    stack: Stack, playwright: Playwright
) -> None:
    with browser(playwright) as context:
        page = context.new_page()
        page.goto(f"{stack.base_url}/web/sign-in")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == "Skip to the content"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"


def _emailed_link(stack: Stack, address: str) -> str:
    """The sign-in link in the newest email to `address` in the stack's mail sink."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [
            message
            for message in mailbox.Maildir(stack.mail, create=False)
            if address in str(message["To"]) and "sign-in link" in str(message["Subject"])
        ]
        if found:
            parsed = message_from_bytes(found[-1].as_bytes(), policy=policy.default)
            body = parsed.get_body(preferencelist=("plain",))
            assert body is not None
            links: list[str] = re.findall(r"http\S+/web/sign-in/link/\S+", body.get_content())
            return links[-1]
        time.sleep(0.2)
    raise AssertionError(f"no email to {address} in {stack.mail}")


def test_a_one_time_link_from_the_secretariat_goes_by_email_and_signs_in_once(
    stack: Stack, playwright: Playwright
) -> None:
    with browser(playwright) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        page.get_by_role("link", name="Sign-in links").click()
        page.get_by_label("Person").select_option(FOCAL_POINT)
        page.get_by_role("button", name="Email a one-time link").click()
        expect(page.get_by_role("status")).to_contain_text("A sign-in link was emailed to")
        assert "/web/sign-in/link/" not in page.content()  # the Secretariat never sees it
        shot(page, "secretariat-sign-in-link")
        page.get_by_role("link", name="Outbox").click()
        page.get_by_role("link", name="One line per email").click()
        page.get_by_label("Kind").select_option("sign_in")
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_role("table")).to_contain_text("Your sign-in link")
        expect(page.get_by_role("table")).to_contain_text("kwame.okafor@gov-lusmark.example")
        shot(page, "secretariat-email-outbox")
    link = _emailed_link(stack, "kwame.okafor@gov-lusmark.example")
    assert link.startswith(f"{stack.base_url}/web/sign-in/link/")
    with browser(playwright) as context:
        page = context.new_page()
        page.goto(link)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My work")
        expect(page.locator(".who")).to_contain_text("Focal point")
    with browser(playwright) as context:
        page = context.new_page()
        page.goto(link)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text("already used or has expired")


OBSERVER = "fp-obs-organisation-for-economic-dialogue"  # an observer's focal point in the demo


def test_an_observer_reads_subscribes_files_a_concern_and_is_refused_the_rest(
    stack: Stack, playwright: Playwright
) -> None:
    """Observers attend without a vote: they read the agenda and the roster, subscribe to the
    calendar and may file a concern like any participant, but never see an application in its
    no-objection period (only voting members object) nor the Secretariat's pages."""
    app = "app-browser-observer"
    stack.post(SECRETARIAT, "/applications", application_body(app))
    stack.post(SECRETARIAT, f"/applications/{app}/mark-complete")
    stack.post(SECRETARIAT, f"/applications/{app}/start-review")
    for person in STEERING_COMMITTEE:
        stack.post(person, f"/applications/{app}/recommend", {"recommendation": "support"})
    assert stack.application(app)["state"] == "no_objection_period"
    _issue_token(stack, OBSERVER)
    summary = "Guards at the Basalt quarry stopped an observer mission from meeting the village."
    with browser(playwright) as context:
        page = context.new_page()
        sign_in(page, stack, OBSERVER)
        expect(page.locator(".who")).to_contain_text("Focal point")
        expect(page.locator(f"#object-{app}")).to_have_count(0)
        nav = page.get_by_role("navigation", name="Main")
        for absent in ("Sign-in links", "Outbox"):
            expect(nav.get_by_role("link", name=absent)).to_have_count(0)

        nav.get_by_role("link", name="The plenary").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("The plenary")
        expect(page.get_by_role("button", name="Add to the agenda")).to_have_count(0)
        expect(page.get_by_role("heading", name="Working copy")).to_have_count(0)
        shot(page, "observer-plenary")
        nav.get_by_role("link", name="Roster").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("roster", re.I))
        shot(page, "observer-roster")

        nav.get_by_role("link", name="Calendars").click()
        page.get_by_label("Which feed").select_option("person")
        page.get_by_role("button", name="Get a new feed link").click()
        expect(page.get_by_role("status")).to_contain_text("It is shown only now")
        feed = httpx.get(page.get_by_label("Feed link", exact=True).input_value(), timeout=30)
        assert feed.status_code == 200
        assert "BEGIN:VCALENDAR" in feed.text
        shot(page, "observer-calendars")

        nav.get_by_role("link", name="Concerns", exact=True).click()
        form = page.locator("#file-concern")
        form.get_by_label("The member the concern is about").select_option("co-basalt-mining")
        form.get_by_label("What happened").fill(summary)
        form.get_by_role("button", name="File the concern").click()
        expect(page.get_by_role("status")).to_contain_text("concern filed")
        expect(page.locator("main")).to_contain_text(summary)
        shot(page, "observer-concern-filed")

        # refused: the application is not there for an observer (the same answer as an id
        # nobody used), and the Secretariat's pages say who may use them
        page.goto(f"{stack.base_url}/web/applications/{app}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Not possible")
        expect(page.locator("main")).to_contain_text("does not exist")
        shot(page, "observer-application-refused")
        for path in ("/web/outbox", "/web/sign-in-links"):
            response = page.goto(f"{stack.base_url}{path}")
            assert response is not None
            assert response.status == 403, path
            expect(page.locator("main")).to_contain_text("Secretariat")
        shot(page, "observer-outbox-refused")
    assert stack.application(app)["objections"] == []
    with stack.api(OBSERVER) as client:
        cases = client.get("/concerns").json()
    assert [c["summary"] for c in cases if c["summary"] == summary] == [summary]


def _issue_token(stack: Stack, person: str) -> None:
    db = Database.from_url(stack.database_url)
    try:
        with db.writing() as session:
            stack.tokens[person] = token_repo.issue(session, person, datetime.now(UTC), "browser")
    finally:
        db.dispose()


PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


# The year page's timeline title in each language (its picture's words come through the
# catalog too, and its months are the locale's).
TIMELINE_TITLES = {
    "fr": "L'année sur une frise chronologique",
    "es": "El año en una línea de tiempo",
    "zh-Hans": "年度时间轴",
}


def _set_language(stack: Stack, person: str, language: str) -> None:
    with stack.api(person) as http:
        path = f"/people/{person}/notification-preferences"
        current = http.get(path).json()
        answer = http.put(path, json={"opt_out": current["opt_out"], "language": language})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("person", "language", "heading", "plenary", "sign_out"),
    [
        (FOCAL_POINT, "fr", "Mon travail", "La plénière", "Se déconnecter"),
        (REVIEWER, "es", "Mi trabajo", "La plenaria", "Cerrar sesión"),
        (CHAIR, "zh-Hans", "我的工作", "全体会议", "退出登录"),
    ],
    ids=["french", "spanish", "chinese"],
)
def test_a_focal_point_reads_the_workspace_in_their_language(
    stack: Stack,
    playwright: Playwright,
    person: str,
    language: str,
    heading: str,
    plenary: str,
    sign_out: str,
) -> None:
    """Issue 20: the person's own language, chosen through the API, on a desktop and a phone;
    Chinese drawn with a real CJK font (Debian's fonts-noto-cjk, `make browser-deps`)."""
    if language == "zh-Hans":
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
        assert fonts.stdout.strip(), "no CJK font: run `make browser-deps` (fonts-noto-cjk)"
    _set_language(stack, person, language)
    try:
        for device, options in (("desktop", {}), ("phone", PHONE)):
            with browser(playwright, **options) as context:
                page = context.new_page()
                page.goto(f"{stack.base_url}/web/my-work")
                page.get_by_label("Your token").fill(stack.tokens[person])
                page.get_by_role("button", name="Sign in").click()
                expect(page.get_by_role("heading", level=1)).to_have_text(heading)
                expect(page.locator("html")).to_have_attribute("lang", language)
                expect(page.locator("header nav")).to_contain_text(plenary)
                expect(page.locator("header")).to_contain_text(sign_out)
                if device == "phone":
                    assert page.evaluate("document.documentElement.scrollWidth") <= 375
                shot(page, f"language-{language}-my-work-{device}")
                page.goto(f"{stack.base_url}/web/notifications")
                expect(page.locator(f"#language-{language}")).to_be_checked()
                shot(page, f"language-{language}-notifications-{device}")
                page.goto(f"{stack.base_url}/web/year")
                figure = page.locator("figure.picture").first
                expect(figure.locator("figcaption")).to_contain_text(TIMELINE_TITLES[language])
                figure.screenshot(
                    path=str(ARTEFACTS / f"language-{language}-timeline-{device}.png")
                )
    finally:
        _set_language(stack, person, "default")


AXE = Axe()


def axe_violations(page: Page, options: dict[str, Any]) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands, run with `options`. Only the violations
    cross back from the browser: axe's full results (every passed and inapplicable rule with
    its nodes), which no test reads, cost more to carry to Python than the rules take to run."""
    page.evaluate(AXE.axe_script)
    violations: list[dict[str, Any]] = page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)", options
    )
    return violations


def _axe_violations(page: Page) -> list[str]:
    """The group page is reached only once a group exists, which the accessibility crawl's
    stack has not: it is checked here with the crawl's rules (WCAG 2.1/2.2 AA, best practice)."""
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    return [v["id"] for v in axe_violations(page, {"runOnly": {"type": "tag", "values": tags}})]


def test_a_group_coordinator_records_attendance_and_reads_the_group_on_a_phone(
    stack: Stack, playwright: Playwright
) -> None:
    """Issue 23: a weekly series in Bogotá began three weeks ago; its coordinator records who
    came to the first meeting (counts only), after a refusal shown beside the form."""
    first = (today_now() - timedelta(days=21)).date()
    stack.post(
        SECRETARIAT,
        "/groups",
        {
            "id": "browser-colombia",
            "name": "Mining and Energy Committee",
            "country": "CO",
            "timezone": "America/Bogota",
            "coordinators": [FOCAL_POINT],
        },
    )
    stack.post(
        FOCAL_POINT,
        "/groups/browser-colombia/meetings",
        {
            "id": "browser-weekly",
            "title": "Weekly dialogue",
            "location": "Bogotá",
            "starts": f"{first.isoformat()}T09:00:00",
            "ends": f"{first.isoformat()}T11:00:00",
            "rule": "FREQ=WEEKLY;COUNT=10",
        },
    )
    with browser(playwright, viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
        page.get_by_role("link", name="Mining and Energy Committee").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mining and Energy Committee")
        shot(page, "group-coordinator-desktop")
        assert _axe_violations(page) == []
        form = page.locator("#group-attendance")
        form.get_by_label("Meeting").select_option(f"browser-weekly|{first.isoformat()}T09:00:00")
        form.get_by_label("People who attended").fill("14")
        form.get_by_label("Of whom women").fill("20")
        form.get_by_role("button", name="Record attendance").click()
        expect(page.locator("#group-attendance")).to_contain_text("more than the 14 who attended")
        shot(page, "group-attendance-refused-desktop")
        form = page.locator("#group-attendance")
        form.get_by_label("Of whom women").fill("6")
        form.get_by_label("Of whom men").fill("7")
        form.get_by_role("button", name="Record attendance").click()
        expect(page.get_by_role("status")).to_contain_text("attendance recorded")
        shot(page, "group-attendance-recorded-desktop")
    with stack.api(FOCAL_POINT) as client:
        recorded = client.get("/group-meetings/browser-weekly/attendance").json()
    assert [(r["recurrence_id"], r["total"]) for r in recorded] == [
        (f"{first.isoformat()}T09:00:00", 14)
    ]
    phone = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
    with browser(playwright, **phone) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.goto(f"{stack.base_url}/web/groups/browser-colombia")
        expect(page.get_by_role("heading", level=2, name="Coming meetings")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        # the attendance table is not clipped: its region needs no sideways scrolling either,
        # and each count says which column it is
        held = page.get_by_role("region", name="Meetings held (table)")
        assert held.evaluate("e => e.scrollWidth <= e.clientWidth")
        expect(held.get_by_role("cell", name="Women: 6")).to_be_visible()
        assert _axe_violations(page) == []
        shot(page, "group-coordinator-phone")


def test_the_secretariat_records_a_group_from_the_registry_forms(
    stack: Stack, playwright: Playwright
) -> None:
    """Issue 23: the Secretariat records a group being explored (a zone refused beside its
    field first, nothing recorded), then what exploring found, and makes it active; the list and
    the group's page with its registry forms pass axe on a desktop and on a phone."""
    with browser(playwright, viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        page.goto(f"{stack.base_url}/web/groups")
        assert _axe_violations(page) == []
        form = page.locator("#group-create")
        form.get_by_label("Short id").fill("browser-ghana")
        form.get_by_label("Name").fill("Ghana group")
        form.get_by_label("Country code").fill("GH")
        form.get_by_label("Time zone").fill("Accra")
        form.get_by_role("button", name="Record the group").click()
        refused = page.locator("#group-create")
        expect(refused.locator("#group-create-timezone-error")).to_contain_text("IANA time zone")
        expect(refused.get_by_label("Name")).to_have_value("Ghana group")
        shot(page, "group-create-refused-desktop")
        with stack.api(SECRETARIAT) as client:
            assert client.get("/groups/browser-ghana").status_code == 404
        refused.get_by_label("Time zone").fill("Africa/Accra")
        refused.get_by_role("button", name="Record the group").click()
        expect(page.get_by_role("status")).to_contain_text("group recorded")
        page.get_by_role("link", name="Ghana group").click()
        expect(page.get_by_role("heading", level=2, name="Registry of the group")).to_be_visible()
        assert _axe_violations(page) == []
        found = page.locator("#group-exploration")
        found.get_by_label("Demand found").fill("Companies and NGOs in Tarkwa asked for it.")
        found.get_by_label("Support found").fill("The embassy backs it.")
        found.get_by_label("Recorded on").fill("2026-11-02")
        found.get_by_role("button", name="Record the findings").click()
        expect(page.get_by_role("status")).to_contain_text("findings recorded")
        page.locator("#group-status").get_by_label("New status").select_option("active")
        page.locator("#group-status").get_by_role("button", name="Change the status").click()
        expect(page.get_by_role("status")).to_contain_text("status changed")
        shot(page, "group-registry-desktop")
    with stack.api(SECRETARIAT) as client:
        kept = client.get("/groups/browser-ghana").json()
    assert (kept["status"], kept["exploration"]["recorded_on"]) == ("active", "2026-11-02")
    phone = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
    with browser(playwright, **phone) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        page.goto(f"{stack.base_url}/web/groups/browser-ghana")
        expect(page.get_by_role("heading", level=2, name="Registry of the group")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert _axe_violations(page) == []
        shot(page, "group-registry-phone")
