"""The pictures in the browser (issue 19): every page with a picture, on a desktop and on a
375 px phone, against the embedded stack as `make run` starts it. Screenshots go to
test-artifacts/browser/pictures-*.png and were looked at (legible, nothing overflowing).

Chromium is Debian's, driven by Playwright as in test_browser.py (whose fixtures these are).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, Playwright, expect

from governance.reports.cycle import Review
from governance.roster.document import publish
from governance.roster.rule import LedgerEntry, PresentationOutcome, RosterRules
from governance.rulebook.model import load_rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.repos import roster as roster_repo
from tests.api.app_helpers import STEERING_COMMITTEE, application_body
from tests.web.test_browser import (  # noqa: F401 - fixtures
    ARTEFACTS,
    CHAIR,
    FOCAL_POINT,
    REVIEWER,
    SECRETARIAT,
    Stack,
    browser,
    playwright,
    shot,
    sign_in,
    stack,
)

pytestmark = pytest.mark.e2e

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
}
# each page with a picture, and how many pictures it shows the Secretariat in this stack
PAGES = {
    "applications": ("/web/applications", 1),
    "year": ("/web/year?plenary=plenary-2027", 1),
    "roster": ("/web/roster?year=2026", 2),
    # the reporting grid, and the reviewer load once reviews are assigned
    "reports": ("/web/reports?year=2026", 1),
    "concerns": ("/web/concerns/overview", 1),
    # issue 22: per pillar with indicators in the DEFAULT set, year on year and per country
    "indicators": ("/web/indicators?year=2026", 6),
}
# Indicator values the Secretariat enters for members of each pillar (issue 22).
GOVERNMENTS = ["gov-norland", "gov-estavia", "gov-korvania", "gov-pelagonia", "gov-sarnova"]
COMPANIES = ["co-aurum-mining", "co-basalt-mining", "co-cobalt-ridge-mining", "co-ember-mining"]
NGOS = ["ngo-rights-watch-collective", "ngo-justice-without-borders", "ngo-fund-for-accountability"]


def _seed(running: Stack) -> None:
    """Applications at several steps, a concern in dialogue, a late report."""
    steps = {
        "app-pictures-new": [],
        "app-pictures-asked": ["request-information"],
        "app-pictures-complete": ["mark-complete"],
        "app-pictures-review": ["mark-complete", "start-review"],
        "app-pictures-no-objection": ["mark-complete", "start-review", "recommend"],
    }
    for app, path in steps.items():
        running.post(SECRETARIAT, "/applications", application_body(app))
        for step in path:
            if step == "recommend":
                for person in STEERING_COMMITTEE:
                    running.post(
                        person, f"/applications/{app}/recommend", {"recommendation": "support"}
                    )
            elif step == "request-information":
                body = {"question": "Which sites does the commitment cover?"}
                running.post(SECRETARIAT, f"/applications/{app}/{step}", body)
            else:
                running.post(SECRETARIAT, f"/applications/{app}/{step}")
    filing = {
        "id": "c-pictures",
        "about": "co-basalt-mining",
        "summary": "Private guards at the Basalt site threatened villagers.",
        "anonymous": True,
    }
    case = running.post(FOCAL_POINT, "/concerns", filing)["id"]
    running.post(SECRETARIAT, f"/concerns/{case}/acknowledgement")
    # Norland's, by its focal point: Lusmark's report is the plenary browser test's to submit
    # on the same stack (tests/web/browser_stack.py)
    with running.api(CHAIR) as client:
        cycle = client.get("/reports/2026").json()
    kind = next(r["kind"] for r in cycle["reports"] if r["member"] == "gov-norland")
    report = {"member": "gov-norland", "kind": kind, "url": "https://example.org/report.pdf"}
    running.post(CHAIR, "/reports/2026", report)
    _indicators(running)
    _publish_roster(running)


def _indicators(running: Stack) -> None:
    plans = ["adopted", "in preparation", "none", "adopted", "under revision"]
    for i, member in enumerate(GOVERNMENTS):
        values = {"national_action_plan": plans[i], "host_government_outreach": i + 1}
        running.post(SECRETARIAT, f"/reports/2026/{member}/indicators", values)
    for i, member in enumerate(COMPANIES):
        values = {
            "risk_assessments": 3 + i,
            "sites_arrangements_reviewed": 40 + 10 * i,
            "security_grievances_received": i,
            "community_dialogue_on_security": i % 2 == 0,
        }
        running.post(SECRETARIAT, f"/reports/2026/{member}/indicators", values)
    for i, member in enumerate(NGOS):
        values = {"field_engagements": 5 + i, "incidents_monitored": 2 * i}
        running.post(SECRETARIAT, f"/reports/2026/{member}/indicators", values)


def _publish_roster(running: Stack) -> None:
    """A 2026 roster, published as the roster's workflow would on its call day, over a ledger
    with presentations in the years before: the demo has none (its call day is ahead)."""
    rulebook = load_rulebook({})
    at = datetime(2025, 12, 16, 12, tzinfo=UTC)
    db = Database.from_url(running.database_url)
    try:
        with db.writing() as session:
            members = roster_repo.roster_members(session, rulebook.initiative.timezone)
            for index, member in enumerate(sorted(members, key=lambda m: m.id)[::3]):
                entry = LedgerEntry(
                    year=2023 + index % 3,
                    member=member.id,
                    outcome=PresentationOutcome.PRESENTED,
                )
                roster_repo.add_entry(session, entry, at, SECRETARIAT)
            roster_repo.announce(session, "plenary-2026", 2026, "pictures", at.date())
            document = publish(
                2026,
                "plenary-2026",
                "pictures",
                at.date(),
                at,
                tuple(members),
                tuple(roster_repo.ledger(session, before_year=2026)),
                RosterRules.of(rulebook),
            )
            roster_repo.save_document(session, "plenary-2026", document, at)
    finally:
        db.dispose()


def _reviews(running: Stack, year: int) -> int:
    with running.api() as client:
        return len(client.get(f"/reports/{year}").json()["reviews"])


def _check(page: Page, name: str, device: str, pictures: int, width: int) -> None:
    figures = page.locator("figure.picture")
    expect(figures).to_have_count(pictures)
    wide, narrow = page.locator(".chart-wide svg"), page.locator(".chart-narrow svg")
    shown, hidden = (narrow, wide) if width < 640 else (wide, narrow)
    for index in range(pictures):
        figures.nth(index).screenshot(
            path=str(ARTEFACTS / f"pictures-{name}-{device}-{index + 1}.png")
        )
        expect(shown.nth(index)).to_be_visible()
        expect(hidden.nth(index)).to_be_hidden()
        box = shown.nth(index).bounding_box()
        assert box is not None
        assert box["width"] <= width, (name, box)
        # the same facts as a table, one click away
        figures.nth(index).locator("summary").click()
        expect(figures.nth(index).locator("table")).to_be_visible()
    # nothing is wider than the window: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


def test_every_picture_on_a_desktop_and_on_a_phone(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    _seed(stack)
    for device, options in (("desktop", DESKTOP), ("phone", PHONE)):
        width = options["viewport"]["width"]
        with browser(playwright, **options) as context:
            page = context.new_page()
            sign_in(page, stack, SECRETARIAT)
            for name, (path, pictures) in PAGES.items():
                page.goto(f"{stack.base_url}{path}")
                if name == "reports" and _reviews(stack, 2026):
                    pictures += 1
                _check(page, name, device, pictures, options["viewport"]["width"])
                shot(page, f"pictures-{name}-{device}")
            # a year nobody reported indicator values for yet: each picture's place says so
            page.goto(f"{stack.base_url}/web/indicators?year=2031")
            expect(page.locator("figure.no-values")).to_have_count(6)
            expect(page.locator("figure.no-values").first).to_contain_text(
                "No values reported for 2031 yet."
            )
            expect(page.locator("svg")).to_have_count(0)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            shot(page, f"pictures-indicators-no-values-{device}")


def test_a_focal_point_has_no_concerns_overview(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    with browser(playwright, **PHONE) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        # their cases are one click away; the overview is not offered
        page.get_by_role("link", name="Concerns").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Participant concerns")
        expect(page.locator('a[href="/web/concerns/overview"]')).to_have_count(0)
        response = page.goto(f"{stack.base_url}/web/concerns/overview")
        assert response is not None
        assert response.status == 403
        expect(page.locator("figure.picture")).to_have_count(0)


def _assign_reviewer(running: Stack, report_of: str, reviewer: str) -> None:
    db = Database.from_url(running.database_url)
    try:
        with db.writing() as session:
            assigned = {
                r.reviewer for r in report_repo.reviews(session, 2026) if r.report_of == report_of
            }
            if reviewer not in assigned:
                at = datetime(2026, 4, 1, tzinfo=UTC)
                review = Review(
                    year=2026,
                    report_of=report_of,
                    reviewer=reviewer,
                    reason="browser test",
                    assigned_at=at,
                )
                report_repo.add_reviews(session, [review])
    finally:
        db.dispose()


def test_the_indicator_form_and_the_reviewers_view(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    """A member's form refused beside a field, then saved; its reviewer reads the values beside
    the report and comments on one (issue 22)."""
    _assign_reviewer(stack, "gov-lusmark", "gov-estavia")
    form = "#indicators-2026-gov-lusmark"
    for device, options in (("desktop", DESKTOP), ("phone", PHONE)):
        width = options["viewport"]["width"]
        with browser(playwright, **options) as context:
            page = context.new_page()
            sign_in(page, stack, FOCAL_POINT)
            page.goto(f"{stack.base_url}/web/reports/2026/report?member=gov-lusmark")
            # the browser asks for required values itself; the server refuses the range
            page.locator(form).get_by_label("National action plan").first.select_option("none")
            page.locator(form).get_by_label("Host governments").first.fill("-2")
            page.locator(form).get_by_role("button", name="Save the indicators").click()
            error = page.locator(f"{form} p.error").filter(has_text="below the minimum")
            expect(error).to_be_visible()
            shot(page, f"indicators-form-refused-{device}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.locator(form).get_by_label("Host governments").first.fill("2")
            page.locator(form).get_by_label("National action plan").first.select_option("adopted")
            page.locator(form).get_by_role("button", name="Save the indicators").click()
            expect(page.locator("#indicators table")).to_contain_text("adopted")
            shot(page, f"indicators-form-saved-{device}")
        with browser(playwright, **options) as context:
            page = context.new_page()
            sign_in(page, stack, REVIEWER)
            page.goto(f"{stack.base_url}/web/reports/2026/reviews/gov-lusmark?reviewer=gov-estavia")
            expect(page.locator("#indicators table")).to_contain_text("adopted")
            comments = page.locator("#indicator-comment-2026-gov-lusmark")
            comments.get_by_label("Indicator").select_option("host_government_outreach")
            comments.get_by_label("Comment").fill(f"Which host governments? ({device})")
            comments.get_by_role("button", name="Send the comment with the review").click()
            expect(page.locator("#indicators table")).to_contain_text(f"({device})")
            shot(page, f"indicators-reviewer-{device}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
