"""The pictures on their pages (issue 19), through the app: each page shows its picture with
the same facts as its table, and under the page's own access rules, so a reader never sees in
a picture what it may not see in the table; the concerns overview names no case, member or
filer, and is only for the Secretariat, the Chair and the Steering Committee."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from governance.applications.model import ApplicationKind, ApplicationState
from governance.concerns import rules as concern_rules
from governance.concerns.model import ConcernRules, Filing
from governance.kernel.actor import Actor
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import concerns as concern_repo
from govsched.persistence.repos import registry as registry_repo
from tests.governance.year.test_plenary_agenda import application
from tests.today import now
from tests.web import svg_marks as svg
from tests.web.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, STEERING_COMMITTEE, Site
from tests.web.html_checks import text

FILER_MEMBER = "gov-lusmark"  # FOCAL_POINT's member
ABOUT = "co-basalt-mining"
REFERENCE = "c-reference-only-the-filer-knows"


def figure(html: str, key: str) -> str:
    found = re.search(rf'<figure class="picture" id="picture-{key}".*?</figure>', html, re.S)
    assert found, f"no picture {key}"
    return found.group(0)


def drawing(figure_html: str, width: str = "wide") -> str:
    # the SVG sits in an aria-hidden box inside the labelled img
    shape = rf'class="chart chart-{width}"[^>]*><div aria-hidden="true">(<svg.*?</svg>)</div>'
    found = re.search(shape, figure_html, re.S)
    assert found
    return found.group(1)


def last_month(figure_html: str) -> dict[str, str]:
    """The concerns table's row for this month, by column."""
    headers = re.findall(r'<th scope="col">([^<]*)</th>', figure_html)
    return dict(zip(headers, table_rows(figure_html)[-1], strict=True))


def table_rows(figure_html: str) -> list[tuple[str, ...]]:
    body = re.search(r"<tbody>(.*?)</tbody>", figure_html, re.S)
    assert body
    return [
        tuple(unescape(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S))
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


@pytest.fixture(scope="module")
def seeded(site: Site) -> Site:
    """Applications at three steps and an anonymous concern in dialogue, filed forty days
    before the injected today, which the concerns overview counts its months back from."""
    filed_at = now() - timedelta(days=40)
    with site.db.writing() as session:
        for app_id, state in (
            ("app-pic-new", ApplicationState.AWAITING_CHECK),
            ("app-pic-objection", ApplicationState.NO_OBJECTION_PERIOD),
            ("app-pic-review", ApplicationState.UNDER_REVIEW),
        ):
            record = application(app_id, f"Org {app_id}", state, ApplicationKind.ADMISSION)
            application_repo.save(session, record)
        rules = ConcernRules.of(Rulebook())
        filer = Actor(person=FOCAL_POINT, roles=frozenset({Role.FOCAL_POINT}), member=FILER_MEMBER)
        filing = Filing(
            id=REFERENCE,
            about=ABOUT,
            summary="Guards threatened villagers near the site.",
            anonymous=True,
        )
        filed = concern_rules.file_concern(filing, filer, filed_at, rules, "c-9f3e")
        concern_repo.save(session, filed.record, None)
        secretariat = Actor(person=SECRETARIAT, roles=frozenset({Role.SECRETARIAT}))
        acked = concern_rules.acknowledge(
            filed.record, secretariat, filed_at + timedelta(days=1), rules
        )
        concern_repo.save(session, acked.record, filed.record.version)
    return site


def test_the_pipeline_shows_each_reader_the_applications_its_list_shows(seeded: Site) -> None:
    everything = figure(seeded.client(SECRETARIAT).get("/web/applications").text, "pipeline")
    rows = sorted(table_rows(everything))
    assert [row[:2] for row in rows] == [
        ("Awaiting completeness check", "1"),
        ("No objection period", "1"),
        ("Under review", "1"),
    ]
    assert all(re.fullmatch(r"\d+ days?", age) for row in rows for age in row[2:])
    bars = svg.marks(drawing(everything), "bars")
    assert len(bars) == len(ApplicationState)
    assert sum(1 for b in bars if svg.rect(b)[2] > 0) == 3
    # a voting member's focal point knows of the application in its no-objection period only,
    # and does not read its history: counted, not aged, the others not even counted
    page = seeded.client(FOCAL_POINT).get("/web/applications").text
    member = figure(page, "pipeline")
    assert table_rows(member) == [("No objection period", "1", "—", "—")]
    assert "1 application you may see." in text(page)
    widths = {
        svg.label(b).rsplit("state: ", 1)[1]: svg.rect(b)[2]
        for b in svg.marks(drawing(member, "narrow"), "bars")
    }
    assert [s for s, w in widths.items() if w > 0] == ["No objection period"]
    assert "Org app-pic-new" not in page


def test_the_year_draws_every_date_its_page_lists(seeded: Site) -> None:
    html = seeded.client(FOCAL_POINT).get("/web/year?plenary=plenary-2027").text
    picture = figure(html, "timeline")
    rows = table_rows(picture)
    titles = re.findall(r"<strong>([^<]+)</strong></p>\s*<p class=\"meta\">Owner", html)
    assert titles
    listed = {row[1] for row in rows}
    for title in map(unescape, titles):  # the handover checklist's are named as such
        assert title in listed or f"Handover: {title}" in listed
    assert {"Plenary 2027", "Reports due", "Reviews due", "Reporting opens"} <= listed
    assert len(svg.marks(drawing(picture), "events")) == len(rows)
    assert len(svg.marks(drawing(picture), "today")) == 1


def test_the_roster_shows_each_pillars_share_in_each_year(seeded: Site) -> None:
    html = seeded.client(FOCAL_POINT).get("/web/roster").text
    picture = figure(html, "pillar-shares")
    rows = table_rows(picture)
    years = {row[0] for row in rows}
    assert rows
    assert len(rows) == 3 * len(years)  # one bar per pillar in each year
    assert len(svg.marks(drawing(picture), "shares")) == len(rows)
    assert len(svg.marks(drawing(picture), "targets")) == len(rows)


def test_the_reporting_grid_has_the_rows_the_readers_table_has(seeded: Site) -> None:
    with seeded.db.reading() as session:
        names = {m.id: m.name for m in registry_repo.list_members(session)}
    for person in (SECRETARIAT, FOCAL_POINT):
        html = seeded.client(person).get("/web/reports?year=2026").text
        picture = figure(html, "reporting-grid")
        listed = re.search(r"Members by state</h2>.*?<tbody>(.*?)</tbody>", html, re.S)
        assert listed
        rows = r'<tr class="\w+">\s*<th scope="row"><a href="[^"]+">([^<]+)</a></th>'
        members = [unescape(m) for m in re.findall(rows, listed.group(1))]
        assert sorted(row[0] for row in table_rows(picture)) == sorted(members)
        cells = svg.marks(drawing(picture), "cells")
        assert len(cells) == len(members)
        if person == FOCAL_POINT:
            assert members == [names[FILER_MEMBER]]


@pytest.mark.dates
def test_the_concerns_overview_counts_without_naming_and_only_for_those_who_oversee(
    seeded: Site,
) -> None:
    with seeded.db.reading() as session:
        about_name = registry_repo.member_facts(session, ABOUT)
        filer_name = registry_repo.member_facts(session, FILER_MEMBER)
    assert about_name is not None
    assert filer_name is not None
    identities = ["c-9f3e", REFERENCE, FOCAL_POINT, FILER_MEMBER, ABOUT, about_name.name]
    identities += [filer_name.name, "Guards threatened"]
    for person in (SECRETARIAT, CHAIR):
        response = seeded.client(person).get("/web/concerns/overview")
        assert response.status_code == 200
        picture = figure(response.text, "concerns-over-time")
        last = last_month(picture)
        assert {k: v for k, v in last.items() if k != "Month"} == {"Dialogue": "1", "All": "1"}
        for identity in identities:
            assert identity not in response.text, (person, identity)
    # the Steering Committee knows of a case once it reaches review: none yet
    committee = seeded.client(STEERING_COMMITTEE).get("/web/concerns/overview")
    assert committee.status_code == 200
    assert "Counts of the 0 cases you may know of" in text(committee.text)
    assert 'class="picture"' not in committee.text
    refused = seeded.client(FOCAL_POINT).get("/web/concerns/overview")
    assert refused.status_code == 403
    assert 'class="picture"' not in refused.text
    assert "/web/concerns/overview" not in seeded.client(FOCAL_POINT).get("/web/my-work").text


@pytest.mark.dates
def test_the_steering_committee_counts_a_case_once_it_reaches_review(seeded: Site) -> None:
    rules = ConcernRules.of(Rulebook())
    with seeded.db.writing() as session:
        (record,) = concern_repo.records(session)
        referred = concern_rules.refer_to_review(record, None, now(), rules)
        concern_repo.save(session, referred.record, record.version)
    html = seeded.client(STEERING_COMMITTEE).get("/web/concerns/overview").text
    assert "Counts of the 1 case you may know of" in text(html)
    picture = figure(html, "concerns-over-time")
    last = last_month(picture)
    assert {k: v for k, v in last.items() if k != "Month"} == {
        "Dialogue": "0",
        "Review": "1",
        "All": "1",
    }
    assert "Review" in text(picture)
    assert "c-9f3e" not in html
