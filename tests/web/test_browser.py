"""Each role signs in with headless Chromium and does one real task, against the embedded stack
as `make run` starts it. Screenshots go to test-artifacts/browser/ (git-ignored).

Chromium is Debian's (`make browser-deps`); Playwright only drives it and never downloads a
browser. Without /usr/bin/chromium these tests fail, they do not skip.
"""

from __future__ import annotations

import mailbox
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, Playwright, expect, sync_playwright

from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from tests.api.app_helpers import STEERING_COMMITTEE, application_body
from tests.e2e.stack_process import RunningStack, StackEnv
from tests.today import now as today_now

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
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
SECRETARIAT = "sec-amina-okafor"
CHAIR = "fp-gov-norland"
REVIEWER = "fp-gov-estavia"
FOCAL_POINT = "fp-gov-lusmark"


@dataclass
class Stack:
    base_url: str
    tokens: dict[str, str]
    # the Maildir of the stack's local mail sink (govsched/services/mail_sink.py): everyone's
    # mailbox
    mail: Path
    database_url: str = ""

    def api(self, person: str = SECRETARIAT) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[person]}"}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60)

    def post(self, person: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.api(person) as client:
            response = client.post(path, json=body or {})
        assert response.status_code in (200, 201), response.text
        answer: dict[str, Any] = response.json()
        return answer

    def application(self, application_id: str) -> dict[str, Any]:
        with self.api() as client:
            answer: dict[str, Any] = client.get(f"/applications/{application_id}").json()
        return answer


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    env = StackEnv(var_dir=tmp_path_factory.mktemp("browser") / "var")
    running = RunningStack(env)
    try:
        running.wait_ready()
        database_url = env.environ()["GOVSCHED_DATABASE_URL"]
        db = Database.from_url(database_url)
        people = {SECRETARIAT, CHAIR, REVIEWER, FOCAL_POINT, *STEERING_COMMITTEE}
        with db.writing() as session:
            now = datetime.now(UTC)
            tokens = {p: token_repo.issue(session, p, now, "browser test") for p in people}
        db.dispose()
        yield Stack(env.base_url, tokens, env.var_dir / "mail-sink", database_url)
    finally:
        code = running.interrupt()
    assert code == 0, "\n".join(running.lines)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        yield driver


@contextmanager
def browser(playwright: Playwright, **options: Any) -> Iterator[BrowserContext]:
    """A fresh profile each time: no cookie or cache is shared between people."""
    with tempfile.TemporaryDirectory(prefix="govsched-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, **options
        )
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


def _axe_violations(page: Page) -> list[str]:
    """The group page is reached only once a group exists, which the accessibility crawl's
    stack has not: it is checked here with the crawl's rules (WCAG 2.1/2.2 AA, best practice)."""
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    return [v["id"] for v in results.response["violations"]]


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
        assert _axe_violations(page) == []
        shot(page, "group-coordinator-phone")
