"""Intake and the directory in the browser (issue 19), against the embedded stack as `make run`
starts it: an organisation applies on a phone and follows its status link while the Secretariat
carries the application on from the desktop; the Secretariat changes the directory through its
forms. Refused forms show the reason beside the field and record nothing. Screenshots go to
test-artifacts/browser/intake-*.png (desktop and 375 px) and were looked at.

Chromium is Debian's, driven by Playwright as in test_browser.py (whose fixtures these are).
"""

from __future__ import annotations

import mailbox
import re
import time
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from playwright.sync_api import Page, Playwright, expect

from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import registry as registry_repo
from tests.today import today as injected_today
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

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
}
ORGANISATION = "Tidewater Community Watch"


def _organisations(running: Stack) -> list[str]:
    db = Database.from_url(running.database_url)
    try:
        with db.reading() as session:
            records = application_repo.records(session, None, None, None)
        return [r.applicant.organisation for r in records]
    finally:
        db.dispose()


def _status_links_emailed(running: Stack, address: str) -> list[str]:
    """The status links in the emails to `address` in the stack's mail sink, once one came."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        links = [
            link
            for message in mailbox.Maildir(running.mail, create=False)
            if address in str(message["To"]) and "status link" in str(message["Subject"])
            for link in re.findall(r"http\S+/apply/status/\S+", _plain(message))
        ]
        if links:
            return links
        time.sleep(0.2)
    raise AssertionError(f"no status link emailed to {address} in {running.mail}")


def _plain(message: mailbox.MaildirMessage) -> str:
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None
    return str(cast(EmailMessage, body).get_content())


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _fill_application(page: Page, documents: str) -> None:
    page.locator("#apply-organisation").fill(ORGANISATION)
    page.get_by_label("Pillar").select_option("ngo")
    page.get_by_label("Country").fill("Pelagonia")
    page.get_by_label("Contact email").fill("watch@tidewater.example.org")
    page.get_by_label("Why your organisation applies").fill(
        "We accompany communities living near mine sites and report on security incidents."
    )
    page.get_by_label("Links to documents").fill(documents)


def test_an_applicant_on_a_phone_and_the_secretariat_carry_an_application(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    with browser(playwright, **PHONE) as applicant_context:
        applicant = applicant_context.new_page()
        applicant.goto(f"{stack.base_url}/apply")
        expect(applicant.get_by_role("heading", level=1)).to_contain_text("Apply to join")
        shot(applicant, "intake-apply-phone")
        _fits(applicant, 375)

        # a refused form: the reason beside the field, what was typed kept, nothing recorded
        # (the browser checks the address itself; a link it cannot check goes to the server)
        _fill_application(applicant, "https://tidewater.example.org/a.pdf\nfiles.example.org/b")
        applicant.get_by_role("button", name="Send the application").click()
        expect(applicant.locator("#apply-documents-error")).to_have_text(
            "line 2: a link starting with http:// or https://"
        )
        expect(applicant.get_by_label("Links to documents")).to_have_attribute(
            "aria-invalid", "true"
        )
        expect(applicant.locator("#apply-organisation")).to_have_value(ORGANISATION)
        shot(applicant, "intake-apply-refused-phone")
        assert ORGANISATION not in _organisations(stack)

        applicant.get_by_label("Links to documents").fill("https://tidewater.example.org/a.pdf")
        applicant.get_by_role("button", name="Send the application").click()
        expect(applicant.get_by_role("heading", level=1)).to_contain_text(ORGANISATION)
        expect(applicant.locator("main")).to_contain_text("awaiting completeness check")
        status_link = applicant.url.split("?")[0]
        assert "/apply/status/" in status_link
        # the same link reached the contact's mailbox, once
        assert _status_links_emailed(stack, "watch@tidewater.example.org") == [status_link]
        shot(applicant, "intake-status-phone")
        _fits(applicant, 375)

        with browser(playwright, **DESKTOP) as secretariat_context:
            secretariat = secretariat_context.new_page()
            sign_in(secretariat, stack, SECRETARIAT)
            secretariat.goto(f"{stack.base_url}/web/applications")
            secretariat.get_by_role("link", name=ORGANISATION).click()
            expect(secretariat.locator(".status-link")).to_have_text(
                f"{stack.base_url}{status_link.removeprefix(stack.base_url)}"
            )
            form = secretariat.locator("form[id^=request-information-]")
            form.get_by_label("Question for the applicant").fill(
                "Please send the list of communities you work with."
            )
            form.get_by_role("button", name="Request information").click()
            expect(secretariat.get_by_role("status")).to_contain_text("information requested")
            shot(secretariat, "intake-application-secretariat-desktop")

            # the applicant sees the question on its link, and answers it there
            applicant.goto(status_link)
            expect(applicant.locator(".question")).to_have_text(
                "Please send the list of communities you work with."
            )
            applicant.get_by_label("Your answer").fill("Attached: https://tidewater.example.org/c")
            shot(applicant, "intake-status-question-phone")
            applicant.get_by_role("button", name="Send the answer").click()
            expect(applicant.get_by_role("status")).to_contain_text("answer sent")
            expect(applicant.locator("main")).not_to_contain_text("The Secretariat asks")

            # the Secretariat finds the answer and marks the application complete
            secretariat.reload()
            expect(secretariat.locator("main")).to_contain_text(
                "Attached: https://tidewater.example.org/c"
            )
            secretariat.get_by_role("button", name="Mark complete").click()
            expect(secretariat.get_by_role("status")).to_contain_text("marked complete")

        applicant.goto(status_link)
        expect(applicant.locator(".state")).to_have_text("complete")
        expect(applicant.locator(".next-step")).to_contain_text("opens the Steering Committee")
        # never the review, nor who acted
        expect(applicant.locator("main")).not_to_contain_text("Amina")
        shot(applicant, "intake-status-complete-phone")


def test_the_secretariat_changes_the_directory_through_its_forms(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    for name, options, width in (("desktop", DESKTOP, 1280), ("phone", PHONE, 375)):
        with browser(playwright, **options) as context:
            page = context.new_page()
            sign_in(page, stack, SECRETARIAT)
            for section, path in (
                ("members", "/web/directory"),
                ("people", "/web/directory/people"),
                ("committee", "/web/directory/committee"),
                ("member", "/web/directory/members/gov-norland"),
            ):
                page.goto(f"{stack.base_url}{path}")
                expect(page.get_by_role("heading", level=1)).to_be_visible()
                shot(page, f"intake-directory-{section}-{name}")
                _fits(page, width)

    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        page.goto(f"{stack.base_url}/web/directory/people")
        form = page.locator("#add-person")
        # an id the browser cannot check: the server refuses it beside the field
        form.get_by_label("Short id").fill("Noor's id")
        form.locator("#add-person-name").fill("Noor Added")
        form.get_by_label("Email").fill("added@ngo.example.org")
        form.get_by_label("Focal point").check()
        form.get_by_role("button", name="Add the person").click()
        expect(page.locator("#add-person-id-error")).to_be_visible()
        expect(page.locator("#add-person-id")).to_have_attribute("aria-invalid", "true")
        shot(page, "intake-directory-refused-desktop")
        db = Database.from_url(stack.database_url)
        try:
            with db.reading() as session:
                assert [
                    p for p in registry_repo.list_people(session) if p.name == "Noor Added"
                ] == []
            form = page.locator("#add-person")
            form.get_by_label("Short id").fill("fp-ngo-browser-added")
            form.get_by_label("Member").select_option("ngo-civic-space-trust")
            form.get_by_label("Focal point").check()
            form.get_by_role("button", name="Add the person").click()
            expect(page.get_by_role("status")).to_contain_text("person added")
            expect(page.locator("main")).to_contain_text("Noor Added")
            with db.reading() as session:
                person = registry_repo.get_person(session, "fp-ngo-browser-added")
            assert person is not None
            assert person.member == "ngo-civic-space-trust"
        finally:
            db.dispose()

    # a member's status, changed by a recorded decision: refused beside the field first
    member = "co-ember-mining"
    decision = "Steering Committee decision: inactive after two missed reports"
    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        page.goto(f"{stack.base_url}/web/directory/members/{member}")
        form = page.locator(f"#member-status-{member}")
        form.get_by_label("New status").select_option("inactive")
        form.get_by_label("The decision").fill(decision)
        form.get_by_label("From").fill((injected_today() + timedelta(days=3)).isoformat())
        form.get_by_role("button", name="Record the status change").click()
        expect(page.locator(f"#member-status-{member}-since-error")).to_have_text(
            "a day in the future"
        )
        expect(page.get_by_label("The decision")).to_have_value(decision)
        shot(page, "intake-directory-status-refused-desktop")
        page.get_by_label("From").fill("")
        page.get_by_role("button", name="Record the status change").click()
        expect(page.get_by_role("status")).to_contain_text("status changed")
        expect(page.locator("ol.timeline > li").last).to_contain_text(decision)
        shot(page, "intake-directory-status-changed-desktop")
    db = Database.from_url(stack.database_url)
    try:
        with db.reading() as session:
            changed = registry_repo.get_member(session, member)
    finally:
        db.dispose()
    assert changed is not None
    assert [c.status.value for c in changed.status_history][-1] == "inactive"
