"""The plenary page: the Secretariat and the Chair keep the agenda (items, order, document
links), publish numbered versions that members read with what changed, and record the
plenary's decisions only while it sits; refused forms come back beside their field with nothing
recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from governance.kernel.model import Plenary, PlenaryKind
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import plenary_agenda as agenda_repo
from govsched.persistence.repos import registry as registry_repo
from tests.api.conftest import seeded_database
from tests.governance.applications.application_cast import awaiting_plenary
from tests.today import today as injected_today
from tests.web.conftest import CHAIR, FOCAL_POINT, ROLES, SECRETARIAT, Site
from tests.web.html_checks import error_for, field_value, text, unlabelled

SITTING = "plenary-sitting"
AHEAD = "plenary-ahead"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo registry with two plenaries of our own: one sitting today, one years ahead."""
    url, db = seeded_database(tmp_path_factory.mktemp("plenary"))
    today = injected_today()  # the product's today: the page decides by it
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
        registry_repo.save_plenary(
            session,
            Plenary(
                id=AHEAD,
                year=today.year + 4,
                kind=PlenaryKind.EXTRAORDINARY,
                starts=today + timedelta(days=1500),
                ends=today + timedelta(days=1502),
                location="Ottawa",
            ),
        )
        now = datetime.now(UTC)
        tokens = {p: token_repo.issue(session, p, now, "web test") for p in ROLES.values()}
    app = create_app(
        Settings(database_url=url, id_secret="plenary tests"), db=db, run_scheduler=False
    )
    yield Site(app, db, tokens)
    db.dispose()


def _page(plenary: str, version: int | None = None) -> str:
    return f"/web/plenary?plenary={plenary}" + (f"&version={version}" if version else "")


def _form(html: str, form_id: str) -> tuple[str, dict[str, str]]:
    match = re.search(
        rf'<form method="post" action="([^"]+)"[^>]*id="{re.escape(form_id)}"[\s\S]*?</form>', html
    )
    assert match, f"no form {form_id} on the page:\n{text(html)[:3000]}"
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', match[0]))
    return match[1], hidden


def post_form(client: TestClient, page: str, form_id: str, **typed: str) -> httpx.Response:
    action, hidden = _form(client.get(page).text, form_id)
    response: httpx.Response = client.post(action, data={**hidden, **typed}, follow_redirects=False)
    return response


def _button(client: TestClient, page: str, action: str, **fields: str) -> httpx.Response:
    """One of the small buttons beside an item (move, remove), sent as a browser would."""
    html = client.get(page).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert csrf
    data = {"csrf_token": csrf[1], "back": page, **fields}
    response: httpx.Response = client.post(action, data=data, follow_redirects=False)
    return response


def _items(site: Site, plenary: str) -> list[str]:
    with site.db.reading() as session:
        return [i.title for i in agenda_repo.items(session, plenary)]


def _add(client: TestClient, plenary: str, title: str) -> None:
    response = post_form(client, _page(plenary), f"agenda-add-{plenary}", title=title)
    assert response.status_code == 303, text(response.text)


def _ids(site: Site, plenary: str) -> dict[str, int]:
    with site.db.reading() as session:
        return {i.title: i.id for i in agenda_repo.items(session, plenary)}


def test_members_see_no_working_copy_and_may_not_edit(site: Site) -> None:
    member = site.client(FOCAL_POINT)
    html = member.get(_page(AHEAD)).text
    assert "The agenda has not been published yet." in text(html)
    assert "Working copy" not in text(html)
    assert f'id="agenda-add-{AHEAD}"' not in html
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert csrf
    refused = member.post(
        f"/web/plenaries/{AHEAD}/agenda/items",
        data={"csrf_token": csrf[1], "back": _page(AHEAD), "title": "Sneaked in"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert _items(site, AHEAD) == []


def test_the_secretariat_builds_and_publishes_version_1_members_are_told(site: Site) -> None:
    secretariat = site.client(SECRETARIAT)
    page = _page(AHEAD)
    add = f"agenda-add-{AHEAD}"

    refused = post_form(secretariat, page, add, title="   ")
    assert refused.status_code == 422
    assert error_for(refused.text, f"{add}-title")
    assert _items(site, AHEAD) == []

    for title in ("Opening and adoption of the agenda", "Admissions", "Verification framework"):
        _add(secretariat, AHEAD, title)
    ids = _ids(site, AHEAD)

    doc = f"agenda-document-{ids['Verification framework']}"
    refused = post_form(secretariat, page, doc, title="Draft framework", url="not a link")
    assert refused.status_code == 422
    assert error_for(refused.text, f"{doc}-url")
    assert field_value(refused.text, f"{doc}-url") == "not a link"
    assert field_value(refused.text, f"{doc}-title") == "Draft framework"
    with site.db.reading() as session:
        assert all(i.documents == () for i in agenda_repo.items(session, AHEAD))
    done = post_form(
        secretariat, page, doc, title="Draft framework", url="https://example.org/framework.pdf"
    )
    assert done.status_code == 303

    moved = _button(
        secretariat,
        page,
        f"/web/plenaries/{AHEAD}/agenda/items/{ids['Verification framework']}/move",
        direction="up",
    )
    assert moved.status_code == 303
    assert _items(site, AHEAD) == [
        "Opening and adoption of the agenda",
        "Verification framework",
        "Admissions",
    ]
    assert unlabelled(secretariat.get(page).text) == []

    published = post_form(secretariat, page, f"agenda-publish-{AHEAD}")
    assert published.status_code == 303, text(published.text)
    with site.db.reading() as session:
        key = f"announcement:agenda-{AHEAD}:v1:all_members"
        assert notification_repo.status_of(session, key) == "sent"
        told = notification_repo.text_of(session, key) or ""
    assert "version 1, 3 items" in told

    member = text(site.client(FOCAL_POINT).get(page).text)
    assert "Agenda, version 1" in member
    opening = member.index("Opening and adoption")
    assert opening < member.index("Verification framework") < member.index("Admissions")
    assert "Draft framework" in member
    assert "Working copy" not in member

    # Nothing unpublished is left, so publishing is not offered.
    assert f'id="agenda-publish-{AHEAD}"' not in secretariat.get(page).text


def test_version_2_shows_members_what_changed_since_version_1(site: Site) -> None:
    chair = site.client(CHAIR)
    page = _page(AHEAD)
    ids = _ids(site, AHEAD)
    _add(chair, AHEAD, "Chair handover")
    removed = _button(
        chair, page, f"/web/plenaries/{AHEAD}/agenda/items/{ids['Admissions']}/remove"
    )
    assert removed.status_code == 303
    published = post_form(chair, page, f"agenda-publish-{AHEAD}")
    assert published.status_code == 303

    member = site.client(FOCAL_POINT)
    now = text(member.get(page).text)
    assert "Agenda, version 2" in now
    assert "Changed since version 1" in now
    assert "Added item 3: Chair handover" in now
    assert "Removed item 3: Admissions" in now
    assert "new in version 2" in now
    before = text(member.get(_page(AHEAD, 1)).text)
    assert "Agenda, version 1" in before
    assert "Admissions" in before
    assert "a newer version exists" in before
    with site.db.reading() as session:
        told = notification_repo.text_of(session, f"announcement:agenda-{AHEAD}:v2:all_members")
    assert told
    assert "Changed since version 1" in told
    assert "Chair handover" in told


def test_nothing_new_to_publish_is_refused(site: Site) -> None:
    secretariat = site.client(SECRETARIAT)
    html = secretariat.get(_page(AHEAD)).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert csrf
    refused = secretariat.post(
        f"/web/plenaries/{AHEAD}/agenda/publish",
        data={"csrf_token": csrf[1], "back": _page(AHEAD), "form_id": f"agenda-publish-{AHEAD}"},
        follow_redirects=False,
    )
    assert refused.status_code == 409
    assert "nothing changed since version 2" in text(refused.text)
    with site.db.reading() as session:
        assert len(agenda_repo.versions(session, AHEAD)) == 2


def test_a_decision_is_refused_while_the_plenary_does_not_sit(site: Site) -> None:
    secretariat = site.client(SECRETARIAT)
    page = _page(AHEAD)
    html = secretariat.get(page).text
    assert "agenda-decision-" not in html
    assert "Decisions are recorded on this page while the plenary sits" in text(html)
    item = _ids(site, AHEAD)["Chair handover"]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert csrf
    refused = secretariat.post(
        f"/web/plenaries/{AHEAD}/agenda/items/{item}/decision",
        data={
            "csrf_token": csrf[1],
            "back": page,
            "form_id": f"agenda-decision-{item}",
            "text": "Adopted",
        },
        follow_redirects=False,
    )
    assert refused.status_code == 409
    assert "only while a plenary is in session" in text(refused.text)
    with site.db.reading() as session:
        assert all(i.decision is None for i in agenda_repo.items(session, AHEAD))


@pytest.mark.dates
def test_the_chair_records_a_decision_while_the_plenary_sits(site: Site) -> None:
    chair = site.client(CHAIR)
    page = _page(SITTING)
    _add(chair, SITTING, "Statement on security and human rights")
    assert post_form(chair, page, f"agenda-publish-{SITTING}").status_code == 303
    item = _ids(site, SITTING)["Statement on security and human rights"]
    form = f"agenda-decision-{item}"
    assert "In session" in text(chair.get(page).text)

    refused = post_form(chair, page, form, text="")
    assert refused.status_code == 422
    assert error_for(refused.text, f"{form}-text")
    done = post_form(chair, page, form, text="Adopted by consensus.")
    assert done.status_code == 303, text(done.text)

    member = text(site.client(FOCAL_POINT).get(page).text)
    assert "Decision" in member
    assert "Adopted by consensus." in member
    assert f'id="{form}"' not in chair.get(page).text
    with site.db.reading() as session:
        decided = next(i for i in agenda_repo.items(session, SITTING) if i.id == item)
    assert decided.decision is not None
    assert decided.decision.by == CHAIR
    # A decided item is part of the record: it stays on the agenda.
    kept = _button(chair, page, f"/web/plenaries/{SITTING}/agenda/items/{item}/remove")
    assert kept.status_code == 409
    assert "Statement on security and human rights" in _items(site, SITTING)


@pytest.mark.dates
def test_applications_awaiting_the_plenary_are_decided_from_its_page_while_it_sits(
    site: Site,
) -> None:
    record = awaiting_plenary()
    with site.db.writing() as session:
        application_repo.save(session, record)
    form = f'id="plenary-decision-{record.id}"'
    sitting = site.client(CHAIR).get(_page(SITTING)).text
    assert form in sitting
    assert record.applicant.organisation in text(sitting)
    # The form posts to the applications' own route, back to this page.
    assert f'action="/web/applications/{record.id}/plenary-decision"' in sitting
    assert form not in site.client(CHAIR).get(_page(AHEAD)).text
    assert form not in site.client(FOCAL_POINT).get(_page(SITTING)).text


def test_a_notice_that_did_not_go_out_is_sent_again_from_the_page_once(site: Site) -> None:
    key = f"announcement:agenda-{AHEAD}:v2:all_members"
    with site.db.writing() as session:
        notification_repo.mark_failed(session, key, "the channel was down")
    secretariat = site.client(SECRETARIAT)
    page = _page(AHEAD)
    assert "Version 2" in text(secretariat.get(page).text)
    assert "notice to members: failed" in text(secretariat.get(page).text)
    action = f"/web/plenaries/{AHEAD}/agenda/versions/2/announce"
    assert f'action="{action}"' in secretariat.get(page).text
    assert _button(site.client(FOCAL_POINT), page, action).status_code == 403
    assert _button(secretariat, page, action).status_code == 303
    with site.db.reading() as session:
        assert notification_repo.status_of(session, key) == "sent"
    after = secretariat.get(page).text
    assert f'action="{action}"' not in after
    assert "notice to members: sent" in text(after)
