"""The directory pages: members with their status history, people and roles, seats and Chair
terms; who sees an email address; who gets the forms; a refused form records nothing."""

from __future__ import annotations

from govsched.persistence.repos import registry as registry_repo
from tests.web.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Site
from tests.web.html_checks import error_for, nav_links, text, unlabelled
from tests.web.test_web_actions import _form_data


def test_every_signed_in_person_reads_the_directory_from_the_nav(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    home = client.get("/web/my-work")
    assert "/web/directory" in nav_links(home.text)
    page = client.get("/web/directory")
    assert page.status_code == 200
    with site.db.reading() as session:
        members = registry_repo.list_members(session)
    # one row per member, each leading to its own page
    assert page.text.count('href="/web/directory/members/') == len(members)
    for member in members:
        assert member.name in text(page.text)
    assert 'id="add-member"' not in page.text  # changes are the Secretariat's


def test_a_members_page_shows_its_status_history_and_its_people(site: Site) -> None:
    with site.db.reading() as session:
        member = next(m for m in registry_repo.list_members(session) if m.id == "gov-norland")
        people = registry_repo.list_people(session, member.id)
    page = site.client(FOCAL_POINT).get(f"/web/directory/members/{member.id}")
    assert page.status_code == 200
    words = text(page.text)
    for change in member.status_history:
        assert change.decision in words
    for person in people:
        assert person.name in words
        assert person.email not in page.text  # a focal point of another member
    assert site.client(FOCAL_POINT).get("/web/directory/members/nobody").status_code == 404


def test_email_addresses_only_to_the_secretariat_and_the_person(site: Site) -> None:
    with site.db.reading() as session:
        people = {p.id: p for p in registry_repo.list_people(session)}
    seen_by_focal_point = site.client(FOCAL_POINT).get("/web/directory/people").text
    assert people[FOCAL_POINT].email in seen_by_focal_point
    assert people[CHAIR].email not in seen_by_focal_point
    seen_by_secretariat = site.client(SECRETARIAT).get("/web/directory/people").text
    assert all(p.email in seen_by_secretariat for p in people.values())


def test_the_committee_page_lists_seats_and_chair_terms(site: Site) -> None:
    with site.db.reading() as session:
        seats = registry_repo.list_seats(session)
        terms = registry_repo.list_chair_terms(session)
    page = site.client(FOCAL_POINT).get("/web/directory/committee")
    assert page.status_code == 200
    tables = page.text.split("<h2>Chair terms</h2>")
    assert tables[0].count("<tr><td>") == len(seats)
    assert tables[1].count("<tr><td>") == len(terms)
    assert 'id="record-seat"' not in page.text


def test_the_secretariat_gets_labelled_forms_and_a_refusal_beside_the_field(site: Site) -> None:
    client = site.client(SECRETARIAT)
    for path, form in (
        ("/web/directory", "add-member"),
        ("/web/directory/people", "add-person"),
        ("/web/directory/committee", "record-seat"),
        ("/web/directory/committee", "record-chair-term"),
    ):
        html = client.get(path).text
        assert f'id="{form}"' in html, form
        assert unlabelled(html) == [], form
    with site.db.reading() as session:
        before = len(registry_repo.list_people(session))
    page = client.get("/web/directory/people").text
    data = _form_data(page, "add-person", id="Bad Id!", name="", email="nope")
    refused = client.post(data.pop("_action"), data=data)
    assert refused.status_code == 422
    assert error_for(refused.text, "add-person-name") == "this is required"
    assert error_for(refused.text, "add-person-id").startswith("use 1 to 63 lowercase letters")
    assert error_for(refused.text, "add-person-email") != ""
    with site.db.reading() as session:
        assert len(registry_repo.list_people(session)) == before


def test_a_focal_point_posting_a_directory_form_is_refused(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    page = client.get("/web/directory").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/web/directory/members",
        data={
            "csrf_token": csrf,
            "back": "/web/directory",
            "form_id": "add-member",
            "id": "co-sneaky",
            "name": "Sneaky",
            "pillar": "company",
            "country": "Norland",
        },
    )
    assert response.status_code == 403
    assert "Secretariat" in text(response.text)
    with site.db.reading() as session:
        assert registry_repo.get_member(session, "co-sneaky") is None
