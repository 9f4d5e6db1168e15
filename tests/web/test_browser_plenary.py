"""The plenary and the reports in headless Chromium, against the embedded stack as `make run`
starts it: the Secretariat builds and publishes the agenda, the Chair publishes a second
version, a focal point reads what changed on a phone; a focal point submits its annual report
on its own page after a refusal, and the Secretariat reads the grid. Screenshots at desktop
and 375 px go to test-artifacts/browser/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, Playwright, expect

from governance.kernel.model import Plenary, PlenaryKind
from govsched.persistence.db import Database
from govsched.persistence.repos import plenary_agenda as agenda_repo
from govsched.persistence.repos import registry as registry_repo
from tests.today import today as injected_today
from tests.web.test_browser import (  # noqa: F401 - fixtures
    ARTEFACTS,
    CHAIR,
    FOCAL_POINT,
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


def _no_sideways_scrolling(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _add(page: Page, title: str) -> None:
    page.get_by_label("Title of the new item").fill(title)
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_role("status")).to_contain_text("item added")


def _item(page: Page, title: str) -> Any:
    return page.locator("ol.working > li").filter(has_text=title)


def test_the_agenda_is_built_published_and_read_with_its_changes(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="The plenary").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("The plenary")
        _add(page, "Opening and adoption of the agenda")
        _add(page, "Verification framework")
        framework = _item(page, "Verification framework")
        framework.locator("summary").click()
        framework.get_by_label("Document title").fill("Draft framework")
        framework.get_by_label("Link to the document").fill("ftp://example.org/framework.pdf")
        framework.get_by_role("button", name="Attach the document").click()
        # The server's refusal, beside the field, with what was typed kept.
        refused = _item(page, "Verification framework")
        expect(refused.locator("p.error[id$='-url-error']")).to_be_visible()
        expect(refused.get_by_label("Link to the document")).to_have_value(
            "ftp://example.org/framework.pdf"
        )
        shot(page, "plenary-document-refused-desktop")
        refused.get_by_label("Link to the document").fill("https://example.org/framework.pdf")
        refused.get_by_role("button", name="Attach the document").click()
        expect(page.get_by_role("status")).to_contain_text("document attached")
        _item(page, "Verification framework").get_by_role(
            "button", name="Move up: Verification framework"
        ).click()
        expect(page.locator("ol.working > li").first).to_contain_text("Verification framework")
        page.get_by_role("button", name="Publish version 1 to all members").click()
        expect(page.get_by_role("status")).to_contain_text("agenda published")
        expect(page.get_by_role("heading", name="Agenda, version 1")).to_be_visible()
        shot(page, "plenary-secretariat-published-desktop")

    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, CHAIR)
        page.goto(f"{stack.base_url}/web/plenary")
        _add(page, "Chair handover")
        page.get_by_role("button", name="Publish version 2 to all members").click()
        expect(page.get_by_role("heading", name="Agenda, version 2")).to_be_visible()
        shot(page, "plenary-chair-version-2-desktop")

    with browser(playwright, **PHONE) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.goto(f"{stack.base_url}/web/plenary")
        expect(page.get_by_role("heading", name="Agenda, version 2")).to_be_visible()
        expect(page.get_by_text("Added item 3: Chair handover")).to_be_visible()
        expect(page.get_by_role("link", name="Draft framework")).to_be_visible()
        expect(page.get_by_role("heading", name="Working copy")).to_have_count(0)
        agenda = page.locator("ol.agenda > li")
        expect(agenda).to_have_count(3)
        expect(agenda.first).to_contain_text("Verification framework")
        _no_sideways_scrolling(page, 375)
        shot(page, "plenary-member-version-2-phone")
        page.get_by_role("link", name="Version 1", exact=True).click()
        expect(page.get_by_role("heading", name="Agenda, version 1")).to_be_visible()
        expect(page.locator("ol.agenda > li")).to_have_count(2)
        shot(page, "plenary-member-version-1-phone")
        plenary = page.locator("#choose-plenary").input_value()
    with stack.api(FOCAL_POINT) as client:
        versions = client.get(f"/plenaries/{plenary}/agenda/versions").json()
    assert [v["version"]["number"] for v in versions] == [1, 2]


def test_a_focal_point_submits_its_report_and_the_secretariat_reads_the_grid(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    with browser(playwright, **PHONE) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.goto(f"{stack.base_url}/web/reports")
        expect(page.get_by_role("heading", name="Your member's tasks")).to_be_visible()
        shot(page, "reports-focal-point-phone")
        page.get_by_role("link", name="Submit your report").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Annual report")
        form = page.locator("form[id^='report-']")
        form.get_by_label("Link to the report").fill("ftp://example.org/report.pdf")
        form.get_by_role("button", name="Submit the report").click()
        expect(page.locator("p.error[id$='-url-error']")).to_be_visible()
        expect(form.get_by_label("Link to the report")).to_have_value(
            "ftp://example.org/report.pdf"
        )
        _no_sideways_scrolling(page, 375)
        shot(page, "report-form-refused-phone")
        form.get_by_label("Link to the report").fill("https://example.org/lusmark-report.pdf")
        form.get_by_role("button", name="Submit the report").click()
        expect(page.get_by_role("status")).to_contain_text("report submitted")
        expect(page.get_by_role("link", name="the report")).to_have_attribute(
            "href", "https://example.org/lusmark-report.pdf"
        )
        expect(page.locator("form[id^='report-']")).to_have_count(0)
        shot(page, "report-submitted-phone")
        year = page.url.split("/web/reports/")[1].split("/")[0]
    with stack.api(FOCAL_POINT) as client:
        cycle = client.get(f"/reports/{year}").json()
    line = next(r for r in cycle["reports"] if r["member"] == "gov-lusmark")
    assert line["url"] == "https://example.org/lusmark-report.pdf"

    for device, options in (("desktop", DESKTOP), ("phone", PHONE)):
        with browser(playwright, **options) as context:
            page = context.new_page()
            sign_in(page, stack, SECRETARIAT)
            page.goto(f"{stack.base_url}/web/reports?year={year}")
            grid = page.locator("table.grid")
            row = grid.locator("tr").filter(has_text="Lusmark")
            expect(row).to_have_count(1)
            expect(row.get_by_role("link", name="report of")).to_have_attribute(
                "href", "https://example.org/lusmark-report.pdf"
            )
            expect(page.locator("form[method='post'][class='action']")).to_have_count(0)
            _no_sideways_scrolling(page, options["viewport"]["width"])
            shot(page, f"reports-grid-{device}")
            # what a person sees first, without scrolling
            page.locator("#grid-heading").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTEFACTS / f"reports-grid-{device}-first-screen.png"))


SITTING = "plenary-browser-sitting"


def _a_plenary_sitting_today(stack: Stack) -> None:  # noqa: F811
    """An extraordinary plenary that sits on the stack's today (the injected one the stack and
    the tests share): the annual ones of the demo sit months away whatever the day."""
    today = injected_today()
    db = Database.from_url(stack.database_url)
    try:
        with db.writing() as session:
            registry_repo.save_plenary(
                session,
                Plenary(
                    id=SITTING,
                    year=today.year,
                    kind=PlenaryKind.EXTRAORDINARY,
                    starts=today - timedelta(days=1),
                    ends=today + timedelta(days=1),
                    location="Geneva",
                ),
            )
    finally:
        db.dispose()


@pytest.mark.dates
def test_the_chair_records_a_decision_from_the_plenary_page_while_it_sits(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    _a_plenary_sitting_today(stack)
    statement = "Statement on private security in host communities"
    decision = "Adopted by consensus, with the Norland amendment."
    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, CHAIR)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="The plenary").click()
        page.get_by_label("Plenary", exact=True).select_option(SITTING)
        page.get_by_role("button", name="Show").click()
        expect(page.locator("main")).to_contain_text("In session")
        _add(page, statement)
        page.get_by_role("button", name="Publish version 1 to all members").click()
        expect(page.get_by_role("status")).to_contain_text("agenda published")
        form = page.locator("form[id^='agenda-decision-']")
        expect(form).to_have_count(1)
        # blanks only: the browser lets it through, the server refuses it beside the field
        form.get_by_label("The plenary's decision").fill("   ")
        form.get_by_role("button", name="Record the decision").click()
        refused = page.locator("form[id^='agenda-decision-']")
        expect(refused.locator("p.error[id$='-text-error']")).to_be_visible()
        shot(page, "plenary-decision-refused-desktop")
        assert _decisions(stack) == []
        refused.get_by_label("The plenary's decision").fill(decision)
        refused.get_by_role("button", name="Record the decision").click()
        expect(page.get_by_role("status")).to_contain_text("decision recorded")
        expect(page.locator("p.decision")).to_contain_text(decision)
        expect(page.locator("form[id^='agenda-decision-']")).to_have_count(0)
        shot(page, "plenary-decision-recorded-desktop")
    assert _decisions(stack) == [(statement, decision, CHAIR)]

    with browser(playwright, **PHONE) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.goto(f"{stack.base_url}/web/plenary?plenary={SITTING}")
        expect(page.locator("p.decision")).to_contain_text(decision)
        expect(page.locator("form[id^='agenda-decision-']")).to_have_count(0)
        _no_sideways_scrolling(page, 375)
        shot(page, "plenary-decision-member-phone")


def _decisions(stack: Stack) -> list[tuple[str, str, str]]:  # noqa: F811
    db = Database.from_url(stack.database_url)
    try:
        with db.reading() as session:
            items = agenda_repo.items(session, SITTING)
    finally:
        db.dispose()
    return [(i.title, i.decision.text, i.decision.by) for i in items if i.decision is not None]
