"""Every page for every role: served, navigable, labelled, readable on a phone, and showing
each person only what the API would show them."""

from __future__ import annotations

import re

import pytest

from govsched.persistence.repos import registry as registry_repo
from tests.web.conftest import CHAIR, FOCAL_POINT, ROLES, SECRETARIAT, STEERING_COMMITTEE, Site
from tests.web.html_checks import csrf, field_value, nav_links, text, unlabelled

PAGES = EVERYONE = [
    "/web/my-work",
    "/web/applications",
    "/web/year",
    "/web/plenary",
    "/web/roster",
    "/web/reports",
    "/web/indicators",
    "/web/calendars",
    "/web/notifications",
    "/web/directory",
    "/web/register",
    "/web/concerns",
    "/web/groups",
]


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("path", PAGES)
def test_every_page_serves_every_role_with_labels_and_a_viewport(
    site: Site, role: str, path: str
) -> None:
    response = site.client(ROLES[role]).get(path)
    assert response.status_code == 200, response.text
    html = response.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="en">' in html
    assert html.count("<h1>") == 1
    assert unlabelled(html) == []
    assert 'href="#main"' in html  # the skip link for keyboard users
    assert "Traceback" not in html
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_navigation_follows_the_role(site: Site, role: str) -> None:
    links = nav_links(site.client(ROLES[role]).get("/web/my-work").text)
    secretariat = ["/web/sign-in-links", "/web/outbox"]
    expected = EVERYONE + (secretariat if role == "secretariat" else [])
    assert links == expected


@pytest.mark.parametrize("path", ["/web/sign-in-links", "/web/outbox", "/web/outbox/email"])
def test_the_sign_in_links_and_email_outbox_pages_are_the_secretariats(
    site: Site, path: str
) -> None:
    html = site.client(SECRETARIAT).get(path).text
    assert unlabelled(html) == []
    for person in (CHAIR, STEERING_COMMITTEE, FOCAL_POINT):
        assert site.client(person).get(path).status_code == 403


def test_the_sign_in_page_is_labelled(site: Site) -> None:
    html = site.client().get("/web/sign-in").text
    assert unlabelled(html) == []
    # no workspace navigation signed out: only the language switch (issue 20)
    assert nav_links(html) == [
        "/web/sign-in?lang=en",
        "/web/sign-in?lang=fr",
        "/web/sign-in?lang=es",
        "/web/sign-in?lang=zh-Hans",
    ]


def test_my_work_lists_the_chairs_handover_items_with_their_action(site: Site) -> None:
    html = site.client(CHAIR).get("/web/my-work").text
    words = text(html)
    assert "Chair handover" in words
    assert 'action="/web/handovers/' in html
    assert "Name the incoming Chair" in words
    # A focal point on no committee has none of the Chair's or the committee's work.
    outsider = text(site.client(FOCAL_POINT).get("/web/my-work").text)
    assert "Chair handover" not in outsider
    assert "strategy review" not in outsider.lower()


def test_my_work_is_ordered_by_deadline(site: Site) -> None:
    html = site.client(SECRETARIAT).get("/web/my-work").text
    days = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', html)
    assert days
    assert days == sorted(days)


def test_a_focal_point_sees_only_its_own_report_line(site: Site) -> None:
    with site.db.reading() as session:
        members = registry_repo.list_members(session)
    names = {m.id: m.name for m in members}
    secretariat = text(site.client(SECRETARIAT).get("/web/reports?year=2026").text)
    focal = text(site.client(FOCAL_POINT).get("/web/reports?year=2026").text)
    assert names["gov-lusmark"] in focal
    assert names["gov-estavia"] in secretariat
    assert names["gov-estavia"] not in focal


def test_the_year_shows_milestones_with_owners_and_the_draft_agenda(site: Site) -> None:
    words = text(site.client(FOCAL_POINT).get("/web/year?plenary=plenary-2027").text)
    assert "Milestones" in words
    assert "Owner: Secretariat" in words
    assert "Draft agenda" in words
    # Completing a milestone is offered only to holders of its owner role and the Secretariat.
    draft_agenda = "/web/plenaries/plenary-2027/milestones/draft_agenda/complete"
    year = "/web/year?plenary=plenary-2027"
    assert draft_agenda not in site.client(FOCAL_POINT).get(year).text
    assert draft_agenda in site.client(SECRETARIAT).get(year).text


def test_the_roster_page_has_the_forecast_and_the_fairness_report(site: Site) -> None:
    words = text(site.client(FOCAL_POINT).get("/web/roster").text)
    assert "Forecast" in words
    assert "Roster fairness over 10 simulated years" in words


def test_an_unknown_application_is_a_404_page(site: Site) -> None:
    response = site.client(SECRETARIAT).get("/web/applications/app-nope")
    assert response.status_code == 404
    assert "app-nope" in text(response.text)


def test_an_address_that_is_no_page_is_a_page_saying_so(site: Site) -> None:
    """Found by a review: a mistyped workspace address answered the API's JSON."""
    for client in (site.client(SECRETARIAT), site.client()):
        for address in ("/web/typo", "/web/applications/app-x/nothing-here"):
            response = client.get(address)
            assert response.status_code == 404
            assert response.headers["content-type"].startswith("text/html")
            assert "No such page" in text(response.text)
    # the workspace's own files are still served
    assert site.client().get("/web/static/web.css").status_code == 200


def test_an_unknown_plenary_is_a_404_page(site: Site) -> None:
    response = site.client(SECRETARIAT).get("/web/year?plenary=plenary-1999")
    assert response.status_code == 404


def test_a_new_feed_link_is_shown_once_and_resets_the_old_one(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    page = client.get("/web/calendars").text

    first = client.post("/web/calendars", data={"scope": "person", "csrf_token": csrf(page)})
    assert first.status_code == 200
    url = field_value(first.text, "feed-url")
    assert "/calendars/" in url
    assert "webcal://" in first.text
    feed_path = url.split("http://127.0.0.1:8000", 1)[1]
    assert client.get(feed_path).status_code == 200
    second = client.post("/web/calendars", data={"scope": "person", "csrf_token": csrf(page)})
    assert "the old link has stopped working" in text(second.text)
    assert client.get(feed_path).status_code == 404
    refused = client.post(
        "/web/calendars", data={"scope": "role:secretariat", "csrf_token": csrf(page)}
    )
    assert refused.status_code == 403
    assert 'id="feed-link-error"' in refused.text
    assert '<option value="role:secretariat" selected>' not in refused.text  # not one of theirs
