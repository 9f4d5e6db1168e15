"""A participant concern in the browser (issue 19): an anonymous filer and the Secretariat carry
one case from filing to its decision through the pages, against the embedded stack as `make
run` starts it; the filer follows it through the private link, signed in nowhere. A refused
form shows the refusal beside its field and records nothing. Screenshots, desktop and 375 px:
test-artifacts/browser/concerns-*.png (looked at).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, Playwright, expect

from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import concerns as concern_repo
from govsched.persistence.repos import registry as registry_repo
from tests.web.test_browser import (  # noqa: F401 - fixtures
    SECRETARIAT,
    Stack,
    browser,
    playwright,
    shot,
    sign_in,
    stack,
)

pytestmark = pytest.mark.e2e

FILER = "fp-ngo-centre-for-security-and-rights"
ABOUT_MEMBER = "co-basalt-mining"
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
}
SUMMARY = "Private guards at the Basalt site threatened villagers who asked about the new fence."


def _database(stack: Stack) -> Database:  # noqa: F811
    return Database.from_url(stack.database_url)


def _cases(stack: Stack) -> list[Any]:  # noqa: F811
    db = _database(stack)
    try:
        with db.reading() as session:
            return concern_repo.records(session)
    finally:
        db.dispose()


def _filer_name(stack: Stack) -> str:  # noqa: F811
    db = _database(stack)
    try:
        with db.writing() as session:
            stack.tokens[FILER] = token_repo.issue(session, FILER, datetime.now(UTC), "browser")
            person = registry_repo.get_person(session, FILER)
    finally:
        db.dispose()
    assert person is not None
    return person.name


def _fits(page: Page, width: int) -> None:
    """Nothing wider than the window: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_an_anonymous_filer_and_the_secretariat_carry_a_concern_to_its_decision(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    filer_name = _filer_name(stack)
    before = len(_cases(stack))
    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, FILER)
        page.get_by_role("link", name="Concerns", exact=True).click()
        form = page.locator("#file-concern")
        form.get_by_label("The member the concern is about").select_option(ABOUT_MEMBER)
        form.get_by_label("What happened").fill(SUMMARY)
        form.get_by_label("Links to evidence (optional)").fill("the photos I took")
        form.get_by_role("button", name="File the concern").click()
        # refused beside the field, what was typed kept, nothing recorded
        evidence_error = page.locator("#file-concern-evidence-error")
        expect(evidence_error).to_have_text(
            "line 1: give a link starting with http:// or https://, without spaces"
        )
        expect(page.locator("#file-concern-evidence")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#file-concern-summary")).to_have_value(SUMMARY)
        shot(page, "concerns-filing-refused-desktop")
        assert len(_cases(stack)) == before

        form = page.locator("#file-concern")
        form.get_by_label("Links to evidence (optional)").fill("https://example.org/fence.jpg")
        form.get_by_label("File anonymously", exact=False).check()
        form.get_by_role("button", name="File the concern").click()
        expect(page.get_by_role("status")).to_contain_text("concern filed")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Concern about")
        link = page.locator("#follow-link").input_value()
        shot(page, "concerns-filed-by-the-filer-desktop")
    (case,) = [c for c in _cases(stack) if c.summary == SUMMARY]
    assert case.anonymous
    assert case.filed_by == FILER
    assert link.startswith(stack.base_url) or "/web/follow/" in link
    follow = stack.base_url + "/web/follow/" + link.split("/web/follow/", 1)[1]

    with browser(playwright, **PHONE) as context:
        page = context.new_page()
        sign_in(page, stack, FILER)
        for path, name in (("/web/concerns", "list"), (f"/web/concerns/{case.id}", "case")):
            page.goto(stack.base_url + path)
            _fits(page, 375)
            shot(page, f"concerns-{name}-filer-phone")

    with browser(playwright, **PHONE) as context:
        page = context.new_page()
        page.goto(follow)
        expect(page.get_by_role("heading", level=1)).to_have_text("Your concern")
        expect(page.locator(".next-step")).to_contain_text("acknowledges the concern")
        expect(page.get_by_text(filer_name)).to_have_count(0)
        _fits(page, 375)
        shot(page, "concerns-follow-link-filed-phone")

    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        page.get_by_role("link", name="Concerns", exact=True).click()
        shot(page, "concerns-list-secretariat-desktop")
        page.get_by_role("link", name=case.id).click()
        # the Secretariat knows who filed
        expect(page.locator("#filer")).to_contain_text(filer_name)
        expect(page.locator("#filer")).to_contain_text("filed anonymously")
        page.get_by_role("button", name="Acknowledge: begin the dialogue").click()
        expect(page.get_by_role("status")).to_contain_text("acknowledged")
        meeting = page.locator(f"#meeting-{case.id}")
        meeting.get_by_label("What was discussed and agreed").fill(
            "Both sides met; the company will move the fence and meet the village."
        )
        meeting.get_by_role("button", name="Record the meeting").click()
        expect(page.get_by_role("status")).to_contain_text("meeting recorded")
        decision = page.locator(f"#decision-{case.id}")
        decision.get_by_label("Outcome").select_option("resolved")
        decision.get_by_label("Note (optional)").fill("Settled in the dialogue.")
        decision.get_by_role("button", name="Record an early resolution").click()
        expect(page.get_by_role("status")).to_contain_text("decision recorded")
        expect(page.locator(".state").first).to_have_text("decided")
        shot(page, "concerns-case-secretariat-desktop")

    with browser(playwright, **PHONE) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        for path, name in ((f"/web/concerns/{case.id}", "case"), ("/web/concerns", "list")):
            page.goto(stack.base_url + path)
            _fits(page, 375)
            shot(page, f"concerns-{name}-secretariat-phone")
        page.goto(follow)
        expect(page.locator("body")).to_contain_text("outcome: resolved")
        expect(page.locator("body")).to_contain_text("resolved early")
        expect(page.get_by_text(filer_name)).to_have_count(0)
        _fits(page, 375)
        shot(page, "concerns-follow-link-decided-phone")
    (after,) = [c for c in _cases(stack) if c.id == case.id]
    assert after.state.value == "decided"
    assert [s.action for s in after.history] == [
        "concern.filed",
        "concern.acknowledged",
        "concern.dialogue_recorded",
        "concern.resolved_early",
    ]
