"""Reports and reviews in the web workspace: the Secretariat reads a grid (one row per member,
its state, links), never a page of inline forms; a member submits its report and a reviewer
its review each on a page of its own, through the same service and rules as the API."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest_asyncio

from governance.reports.cycle import EscalationKind, MissedReport, Review
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.services.reports import cycle_view
from tests.api.app_helpers import OUTSIDER, PEOPLE, SECRETARIAT, People, issue_tokens
from tests.api.conftest import Api
from tests.web.conftest import FOCAL_POINT, Site
from tests.web.conftest import SECRETARIAT as SITE_SECRETARIAT
from tests.web.html_checks import error_for, field_value, sign_in_async, text, unlabelled
from tests.web.test_web_actions import post_form

REVIEWER = "fp-gov-estavia"


def _post_forms(html: str) -> list[str]:
    """The actions of the page's POST forms, other than signing out."""
    found = re.findall(r'<form method="post" action="([^"]+)"', html)
    return [a for a in found if a != "/web/sign-out"]


def test_the_secretariat_reads_one_grid_row_per_member_and_no_inline_forms(site: Site) -> None:
    client = site.client(SITE_SECRETARIAT)
    html = client.get("/web/reports?year=2026").text
    with site.db.reading() as session:
        person = registry_repo.get_person(session, SITE_SECRETARIAT)
    assert person is not None
    cycle = cycle_view(site.db, 2026, person, datetime.now(UTC), Rulebook())
    rows = re.findall(r'<tr class="(open|overdue|submitted|late)">', html)
    assert len(rows) == len(cycle.reports) > 20
    assert _post_forms(html) == []
    assert "Members by state" in text(html)
    overdue = sum(1 for r in cycle.reports if r.status == "overdue")
    assert f"Overdue ({overdue})" in text(html)
    only = client.get("/web/reports?year=2026&state=overdue").text
    assert set(re.findall(r'<tr class="(\w+)">', only)) <= {"overdue"}
    assert len(re.findall(r'<tr class="overdue">', only)) == overdue
    assert unlabelled(html) == []
    # Each row links to the member's report page, where the form is.
    assert "/web/reports/2026/report?member=gov-lusmark" in html


def test_the_grid_says_how_many_reports_a_member_missed_in_a_row(site: Site) -> None:
    missed = MissedReport(
        year=2026,
        member="gov-estavia",
        missed_in_a_row=2,
        escalation=EscalationKind.REFERRED,
        at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    with site.db.writing() as session:
        report_repo.save_missed(session, [missed])
    html = site.client(SITE_SECRETARIAT).get("/web/reports?year=2026").text
    row = re.search(
        r'<tr class="\w+">\s*<th scope="row"><a[^>]*>Government of Estavia<.*?</tr>', html, re.S
    )
    assert row
    assert "2: referred to steering committee" in text(row[0])


def test_a_focal_point_finds_its_report_form_on_a_page_of_its_own(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    html = client.get("/web/reports?year=2026").text
    assert "Your member's tasks" in text(html)
    assert "/web/reports/2026/report?member=gov-lusmark" in html
    page = client.get("/web/reports/2026/report?member=gov-lusmark").text
    assert 'id="report-2026-gov-lusmark"' in page
    assert unlabelled(page) == []
    # Another member's report page is not this focal point's to see.
    other = client.get("/web/reports/2026/report?member=gov-estavia")
    assert other.status_code == 404


@pytest_asyncio.fixture(scope="module")
async def people(api: Api) -> People:
    tokens = issue_tokens(api, PEOPLE)
    return People(api, tokens, task_queue="")


async def _web(people: People, person: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=people.api.base_url, timeout=60)
    await sign_in_async(client, people.tokens[person])
    return client


@pytest_asyncio.fixture(scope="module")
async def assigned(people: People) -> People:
    """A review the cycle would assign: Estavia reviews Lusmark's 2026 report."""
    with people.api.db.writing() as session:
        report_repo.add_reviews(
            session,
            [
                Review(
                    year=2026,
                    report_of="gov-lusmark",
                    reviewer="gov-estavia",
                    reason="a peer of the same pillar",
                    assigned_at=datetime(2026, 4, 1, tzinfo=UTC),
                )
            ],
        )
    return people


async def test_a_reviewer_submits_its_review_after_a_refused_first_try(assigned: People) -> None:
    people = assigned
    client = await _web(people, REVIEWER)
    form = "review-2026-gov-lusmark-gov-estavia"
    try:
        listing = (await client.get("/web/reports?year=2026")).text
        page = "/web/reports/2026/reviews/gov-lusmark?reviewer=gov-estavia"
        assert page.replace("&", "&amp;") in listing
        refused = await post_form(client, page, form, url="ftp://nowhere")
        assert refused.status_code == 422
        assert error_for(refused.text, f"{form}-url")
        assert field_value(refused.text, f"{form}-url") == "ftp://nowhere"
        assert "a peer of the same pillar" in text(refused.text)
        with people.api.db.reading() as session:
            stored = report_repo.get_review(session, 2026, "gov-lusmark", "gov-estavia")
        assert stored is not None
        assert stored.submitted_at is None

        done = await post_form(client, page, form, url="https://example.org/review.pdf")
        assert done.status_code == 303, done.text
        async with people.client(SECRETARIAT) as api:
            cycle = (await api.get("/reports/2026")).json()
        review = next(
            r
            for r in cycle["reviews"]
            if (r["report_of"], r["reviewer"]) == ("gov-lusmark", "gov-estavia")
        )
        assert review["url"] == "https://example.org/review.pdf"
        after = (await client.get(page)).text
        assert f'id="{form}"' not in after
        assert "Reviewed" in text(after)
    finally:
        await client.aclose()


async def test_only_the_reviewing_member_gets_the_review_form(assigned: People) -> None:
    client = await _web(assigned, OUTSIDER)
    try:
        page = await client.get("/web/reports/2026/reviews/gov-lusmark?reviewer=gov-estavia")
        # The reported member sees who reviews its report, without the reviewer's form.
        assert page.status_code == 200
        assert 'id="review-2026-gov-lusmark-gov-estavia"' not in page.text
    finally:
        await client.aclose()


async def test_a_report_sent_after_the_cycle_closed_is_taken_and_shown_as_such(
    people: People,
) -> None:
    # the demo's 2026 cycle closed with its plenary on 20 March 2026; Lusmark owed its report
    # and never sent it (found by a review: taken as an ordinary late report, it ended Lusmark's
    # row of missed cycles)
    async with people.client(SECRETARIAT) as api:
        owed = (await api.get("/reports/2026")).json()
    kind = next(r["kind"] for r in owed["reports"] if r["member"] == "gov-lusmark")
    client = await _web(people, OUTSIDER)
    page = "/web/reports/2026/report?member=gov-lusmark"
    try:
        before = text((await client.get(page)).text)
        assert "This cycle closed with its plenary on 20 March 2026" in before
        done = await post_form(
            client,
            page,
            "report-2026-gov-lusmark",
            kind=kind,
            url="https://example.org/lusmark-2026.pdf",
        )
        assert done.status_code == 303, done.text
        after = text((await client.get(page)).text)
        assert "Received after the cycle closed" in after
        assert "the cycle still counts as missed" in after
        grid = (await client.get("/web/reports?year=2026")).text
        assert '<tr class="after_close">' in grid
        async with people.client(SECRETARIAT) as api:
            cycle = (await api.get("/reports/2026")).json()
        line = next(r for r in cycle["reports"] if r["member"] == "gov-lusmark")
        assert line["status"] == "after_close"
    finally:
        await client.aclose()
    # the register, which the Secretariat reads, names it too
    secretariat = await _web(people, SECRETARIAT)
    try:
        register = await secretariat.get(
            "/web/register", params={"item": "report-2026-gov-lusmark"}
        )
        assert "report.submitted_after_close" in text(register.text)
    finally:
        await secretariat.aclose()
