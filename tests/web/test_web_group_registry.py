"""The registry of groups in the workspace (issue 23): the Secretariat records a group, what
exploring found, its status, the Partner flag, member organisations, local participants and
coordinators, each form refused beside its field with nothing recorded; a group's coordinator
nominates its member to the plenary and the Secretariat confirms; nobody else sees the forms or
gets past them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from governance.kernel.model import Plenary
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from tests.today import now
from tests.web.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Site
from tests.web.html_checks import csrf, error_for, field_value, text, unlabelled

GROUP_PAGE = "/web/groups/web-ghana"


def _post(
    client: httpx.Client, page: str, form_id: str, action: str, **data: Any
) -> httpx.Response:
    shown = client.get(page)
    assert shown.status_code == 200, shown.text
    form = {"csrf_token": csrf(shown.text), "back": page, "form_id": form_id, **data}
    return client.post(action, data=form)


def _changes(site: Site) -> int:
    with site.db.reading() as session:
        return len(audit_repo.entries(session, "icig", "web-ghana"))


def test_the_secretariat_keeps_the_registry_from_its_forms(site: Site) -> None:
    secretariat = site.client(SECRETARIAT)
    listing = secretariat.get("/web/groups")
    assert unlabelled(listing.text) == []
    group = {
        "id": "web-ghana",
        "name": "Ghana group",
        "country": "GH",
        "region": "",
        "timezone": "Accra",
    }
    refused = _post(secretariat, "/web/groups", "group-create", "/web/groups", **group)
    assert refused.status_code == 422
    assert "IANA time zone" in error_for(refused.text, "group-create-timezone")
    assert field_value(refused.text, "group-create-name") == "Ghana group"
    with site.db.reading() as session:
        assert group_repo.get_group(session, "web-ghana") is None
    created = _post(
        secretariat,
        "/web/groups",
        "group-create",
        "/web/groups",
        **{**group, "timezone": "Africa/Accra"},
    )
    assert created.status_code in (200, 303), created.text

    page = secretariat.get(GROUP_PAGE)
    assert unlabelled(page.text) == []
    assert "Registry of the group" in text(page.text)
    early = _post(secretariat, GROUP_PAGE, "group-status", f"{GROUP_PAGE}/status", status="active")
    assert early.status_code == 422
    assert "record the demand and support" in text(early.text)
    assert _changes(site) == 1
    found = _post(
        secretariat,
        GROUP_PAGE,
        "group-exploration",
        f"{GROUP_PAGE}/exploration",
        demand="Companies and NGOs in Tarkwa asked for it.",
        support="",
        recorded_on="2026-11-02",
    )
    assert found.status_code == 422
    assert error_for(found.text, "group-exploration-support") != ""
    assert _changes(site) == 1
    for form_id, action, data in [
        (
            "group-exploration",
            "exploration",
            {
                "demand": "Companies and NGOs in Tarkwa asked for it.",
                "support": "The embassy backs it.",
                "recorded_on": "2026-11-02",
            },
        ),
        ("group-status", "status", {"status": "active"}),
        ("group-partner", "partner", {"partner": "yes"}),
        ("group-member-add", "members", {"member_id": "gov-lusmark"}),
        ("group-member-add", "members", {"member_id": "co-aurum-mining"}),
        ("group-member-remove", "members/removal", {"member_id": "co-aurum-mining"}),
        (
            "group-participant-add",
            "participants",
            {"id": "kofi", "name": "Kofi Mensah", "organisation": "", "role": "trainer"},
        ),
        (
            "group-participant-add",
            "participants",
            {"id": "ama", "name": "Ama Owusu", "organisation": "WiMIN", "role": "participant"},
        ),
        ("group-participant-remove", "participants/removal", {"participant_id": "ama"}),
        ("group-coordinator-add", "coordinators", {"person_id": FOCAL_POINT}),
        ("group-coordinator-add", "coordinators", {"person_id": "kofi"}),
        ("group-coordinator-remove", "coordinators/removal", {"person_id": "kofi"}),
    ]:
        done = _post(secretariat, GROUP_PAGE, form_id, f"{GROUP_PAGE}/{action}", **data)
        assert done.status_code in (200, 303), (form_id, done.text)
    with site.db.reading() as session:
        kept = group_repo.get_group(session, "web-ghana")
    assert kept is not None
    assert (kept.status.value, kept.partner) == ("active", True)
    assert kept.member_ids == {"gov-lusmark"}
    assert [(p.id, p.role.value) for p in kept.participants] == [("kofi", "trainer")]
    assert kept.coordinators == {FOCAL_POINT}
    assert _changes(site) == 13

    gone = _post(
        secretariat,
        GROUP_PAGE,
        "group-participant-remove",
        f"{GROUP_PAGE}/participants/removal",
        participant_id="ama",
    )
    assert gone.status_code == 409
    assert "not a local participant" in error_for(
        gone.text, "group-participant-remove-participant_id"
    )
    assert _changes(site) == 13
    for form_id, action, data, field in [
        ("group-member-add", "members", {"member_id": "gov-lusmark"}, "member_id"),
        ("group-coordinator-add", "coordinators", {"person_id": FOCAL_POINT}, "person_id"),
    ]:
        twice = _post(secretariat, GROUP_PAGE, form_id, f"{GROUP_PAGE}/{action}", **data)
        assert twice.status_code == 409, twice.text
        assert "already" in error_for(twice.text, f"{form_id}-{field}")
    assert _changes(site) == 13

    outsider = site.client(CHAIR)
    assert "Registry of the group" not in text(outsider.get(GROUP_PAGE).text)
    forbidden = _post(outsider, GROUP_PAGE, "group-partner", f"{GROUP_PAGE}/partner", partner="no")
    assert forbidden.status_code == 403
    assert _changes(site) == 13


def test_the_coordinator_nominates_and_the_secretariat_confirms(site: Site) -> None:
    starts = now().date() + timedelta(days=100)
    with site.db.writing() as session:
        registry_repo.save_plenary(
            session,
            Plenary(
                id=f"plenary-{starts.year}",
                year=starts.year,
                starts=starts,
                ends=starts + timedelta(days=3),
                location="Norland Harbour",
            ),
        )
    coordinator = site.client(FOCAL_POINT)
    page = coordinator.get(GROUP_PAGE)
    assert "Nominate a member to attend the plenary" in text(page.text)
    assert "Confirm the group's nominee" not in text(page.text)
    year = str(starts.year)
    first = _post(
        coordinator,
        GROUP_PAGE,
        "group-nomination",
        f"{GROUP_PAGE}/nominations",
        year=year,
        person="kofi",
        replaces="",
    )
    assert first.status_code in (200, 303), first.text
    second = _post(
        coordinator,
        GROUP_PAGE,
        "group-nomination",
        f"{GROUP_PAGE}/nominations",
        year=year,
        person=FOCAL_POINT,
        replaces="",
    )
    assert second.status_code == 409
    assert "has nominated 'kofi' already" in error_for(second.text, "group-nomination-person")
    with site.db.reading() as session:
        kept = group_repo.get_nomination(session, "web-ghana", starts.year)
    assert kept is not None
    assert kept.person == "kofi"

    secretariat = site.client(SECRETARIAT)
    confirmed = _post(
        secretariat,
        GROUP_PAGE,
        "group-nomination-confirm",
        f"{GROUP_PAGE}/nominations/confirmation",
        year=year,
        travel_supported="yes",
    )
    assert confirmed.status_code in (200, 303), confirmed.text
    shown = text(secretariat.get(GROUP_PAGE).text)
    assert f"{year}: Kofi Mensah · confirmed, travel supported" in shown
    plenary_page = text(secretariat.get(f"/web/plenary?plenary=plenary-{year}").text)
    assert "In-country Implementation Groups at the plenary" in plenary_page
    assert "Kofi Mensah (Ghana group) · travel supported" in plenary_page
