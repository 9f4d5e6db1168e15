"""The register: the audit log searched by item, person, kind and dates, exported as CSV, each
entry linked to its item, and each reader shown only the kinds of item their roles may read."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from governance.kernel.audit import AuditEntry
from govsched.persistence.repos import audit as audit_repo
from tests.web.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, STEERING_COMMITTEE, Site
from tests.web.html_checks import error_for, field_value, text, unlabelled

# 09:30 in Toronto on 2027-03-02 (the initiative's day), and a day later
MARCH_2 = datetime(2027, 3, 2, 14, 30, tzinfo=UTC)
MARCH_3 = datetime(2027, 3, 3, 14, 30, tzinfo=UTC)
ENTRIES = [
    AuditEntry(
        key="register-test:application",
        at=MARCH_2,
        actor=SECRETARIAT,
        action="application.marked_complete",
        item_kind="application",
        item_id="app-register-test",
        reason="all documents in",
    ),
    AuditEntry(
        key="register-test:concern",
        at=MARCH_2,
        actor="fp-anonymous-filer",
        action="concern.filed",
        item_kind="concern",
        item_id="concern-register-test",
        reason="filed anonymously",
    ),
    AuditEntry(
        key="register-test:plenary",
        at=MARCH_3,
        actor=SECRETARIAT,
        action="plenary.moved",
        item_kind="plenary",
        item_id="plenary-2027",
        reason='=HYPERLINK("http://evil.example")',
    ),
    AuditEntry(
        key="register-test:report",
        at=MARCH_3,
        actor=FOCAL_POINT,
        action="report.submitted",
        item_kind="report",
        item_id="report-2027-gov-lusmark",
        reason="report.submitted",
    ),
    # found by a review: an Engaged member's request for Full membership, audited as the
    # member's, was read in the register by everyone, while the request answered them 404
    AuditEntry(
        key="register-test:full-request",
        at=datetime(2027, 3, 1, 14, 30, tzinfo=UTC),
        actor="fp-register-engaged",
        action="member.full_membership_requested",
        item_kind="member",
        item_id="gov-register-engaged",
        reason="full-gov-register-engaged",
    ),
]


@pytest.fixture(scope="module")
def register_site(site: Site) -> Site:
    with site.db.writing() as session:
        for entry in ENTRIES:
            audit_repo.append(session, entry)
    return site


def _items(site: Site, reader: str, **params: str) -> set[str]:
    response = site.client(reader).get("/web/register", params={"since": "2027-03-01", **params})
    assert response.status_code == 200, response.text
    words = text(response.text)
    return {e.item_id for e in ENTRIES if e.item_id in words}


def test_each_reader_sees_only_the_kinds_their_roles_may_read(register_site: Site) -> None:
    everything = {e.item_id for e in ENTRIES}
    assert _items(register_site, SECRETARIAT) == everything
    # the Steering Committee reads whole applications and the cycle, never a concern
    assert _items(register_site, STEERING_COMMITTEE) == everything - {"concern-register-test"}
    # the demo's Chair sits on the Steering Committee too
    assert _items(register_site, CHAIR) == everything - {"concern-register-test"}
    assert _items(register_site, FOCAL_POINT) == {"plenary-2027"}
    csv_text = register_site.client(FOCAL_POINT).get("/web/register.csv").text
    assert "gov-register-engaged" not in csv_text


def test_an_anonymous_filers_identity_never_reaches_the_committee(register_site: Site) -> None:
    for person in (STEERING_COMMITTEE, CHAIR, FOCAL_POINT):
        html = register_site.client(person).get("/web/register").text
        assert "fp-anonymous-filer" not in html
        assert "concern" not in field_value_options(html)
        csv_text = register_site.client(person).get("/web/register.csv").text
        assert "fp-anonymous-filer" not in csv_text
    asked = register_site.client(FOCAL_POINT).get("/web/register", params={"kind": "concern"})
    # the same answer as for a kind that does not exist
    assert asked.status_code == 422
    assert "'concern' is not a kind of item" in error_for(asked.text, "register-kind")
    assert "concern-register-test" not in asked.text


def field_value_options(html: str) -> list[str]:
    start = html.index('id="register-kind"')
    return [
        o.split('"')[0] for o in html[start : html.index("</select>", start)].split('value="')[1:]
    ]


def test_searching_by_item_person_kind_and_dates(register_site: Site) -> None:
    site = register_site
    assert _items(site, SECRETARIAT, item="register-test") == {
        "app-register-test",
        "concern-register-test",
    }
    assert _items(site, SECRETARIAT, person=FOCAL_POINT) == {"report-2027-gov-lusmark"}
    assert _items(site, SECRETARIAT, kind="plenary") == {"plenary-2027"}
    # local days of the initiative: the 2nd holds what happened at 09:30 that day in Toronto
    on_the_2nd = _items(site, SECRETARIAT, since="2027-03-02", until="2027-03-02")
    assert on_the_2nd == {"app-register-test", "concern-register-test"}
    assert _items(site, SECRETARIAT, since="2027-03-03") == {
        "plenary-2027",
        "report-2027-gov-lusmark",
    }
    html = site.client(SECRETARIAT).get("/web/register", params={"item": "register_test"}).text
    # _ is a character, never LIKE's wildcard (which would match "register-test")
    assert "No entry matches this search" in text(html)


def test_each_entry_links_to_its_item(register_site: Site) -> None:
    html = (
        register_site.client(SECRETARIAT).get("/web/register", params={"since": "2027-03-01"}).text
    )
    assert 'href="/web/applications/app-register-test"' in html
    assert 'href="/web/year?plenary=plenary-2027"' in html
    assert 'href="/web/reports?year=2027"' in html
    assert 'href="/web/concerns/concern-register-test"' in html
    # an item without a page of its own: its whole history in the register
    people = register_site.client(SECRETARIAT).get("/web/register", params={"kind": "person"})
    assert 'href="/web/register?kind=person&amp;item=' in people.text
    assert unlabelled(html) == []


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"since": "2027-02-30"}, "register-since", "is not a date"),
        ({"since": "2027-03-04", "until": "2027-03-01"}, "register-until", "before the first"),
        ({"item": "<script>"}, "register-item", "letters, digits"),
        ({"person": "x" * 81}, "register-person", "at most 80"),
        ({"kind": "nothing"}, "register-kind", "not a kind of item"),
    ],
)
def test_a_bad_search_is_refused_beside_its_field(
    register_site: Site, params: dict[str, str], field: str, reason: str
) -> None:
    response = register_site.client(SECRETARIAT).get("/web/register", params=params)
    assert response.status_code == 422
    assert reason in error_for(response.text, field)
    assert 'aria-invalid="true"' in response.text
    assert "app-register-test" not in response.text  # nothing is shown for a refused search
    # what was typed stays in the form
    if "item" in params:
        assert field_value(response.text, "register-item") == params["item"]
    csv_answer = register_site.client(SECRETARIAT).get("/web/register.csv", params=params)
    assert csv_answer.status_code == 422


def test_the_csv_export_holds_the_search_and_is_safe_in_a_spreadsheet(
    register_site: Site,
) -> None:
    response = register_site.client(SECRETARIAT).get(
        "/web/register.csv", params={"since": "2027-03-03"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["item"] for r in rows] == ["report-2027-gov-lusmark", "plenary-2027"]
    plenary = rows[1]
    assert plenary["local_day"] == "2027-03-03"
    assert plenary["by"] == SECRETARIAT
    assert plenary["by_name"] == "Amina Okafor"
    assert plenary["reason"].startswith("'=HYPERLINK")  # never run as a formula
    focal = register_site.client(FOCAL_POINT).get("/web/register.csv").text
    assert "report-2027-gov-lusmark" not in focal
    assert "plenary-2027" in focal


def test_the_register_is_in_everyones_navigation(register_site: Site) -> None:
    for person in (SECRETARIAT, FOCAL_POINT):
        html = register_site.client(person).get("/web/my-work").text
        assert 'href="/web/register"' in html
