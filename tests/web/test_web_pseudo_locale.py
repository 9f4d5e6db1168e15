"""Every page, for every role and signed out, says nothing that bypassed the catalog (issue 20).

The app renders in the pseudo-locale (`app.state.pseudo_locale`), where every catalog message
is bracketed; `tests/web/pseudo_text.py` says how data is told from the workspace's own words.
One app and one client per role serve every page (no stack per page), crawled from My work and
the navigation like the accessibility check: one page per kind of address.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient

from governance.applications.rules import close_review
from governance.groups.meetings import Meeting
from governance.groups.model import Group
from governance.rulebook.model import Recommendation
from governance.year.published_agenda import AgendaVersion, PublishedItem
from govsched.http.state import AppState
from govsched.i18n.catalogs import PSEUDO_OPEN, pseudo_text
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import plenary_agenda as agenda_repo
from tests.governance.applications.application_cast import under_review
from tests.governance.groups.walls import wall
from tests.today import now
from tests.web.conftest import FOCAL_POINT, ROLES, Site
from tests.web.html_checks import csrf, error_for, parsed, text
from tests.web.pseudo_text import bypassed, data_values, strings

PER_KIND = 1
MOST_PAGES = 45
# Never followed: leaving the session, downloads, the API's own pages, links that act.
SKIP = re.compile(r"^/web/(static/|sign-out|sign-in/link/|unsubscribe/)|\.(csv|ics|svg|png)$")


def _kind(address: str) -> str:
    path, _, query = address.partition("?")
    parts = path.strip("/").split("/")
    shape = parts[:2] + ["{}" if re.search(r"[\d-]", p) else p for p in parts[2:]]
    names = sorted({name for name, _ in parse_qsl(query) if name not in ("done", "lang")})
    return "/" + "/".join(shape) + ("?" + "&".join(names) if names else "")


def _links(html: str) -> list[str]:
    found = []
    for href in parsed(html).links:
        url = urlsplit(href)
        if url.scheme or url.netloc or not url.path.startswith(("/web/", "/apply")):
            continue
        if SKIP.search(url.path):
            continue
        query = urlencode([(k, v) for k, v in parse_qsl(url.query) if k not in ("done", "lang")])
        found.append(url.path + (f"?{query}" if query else ""))
    return found


def crawl(client: TestClient, starts: list[str]) -> dict[str, str]:
    """Each page reached from `starts` (one per kind of address), by address."""
    queue, seen, kinds = list(starts), set[str](), Counter[str]()
    pages: dict[str, str] = {}
    while queue and len(pages) < MOST_PAGES:
        address = queue.pop(0)
        kind = _kind(address)
        if address in seen or kinds[kind] >= PER_KIND:
            continue
        seen.add(address)
        kinds[kind] += 1
        response = client.get(address)
        assert response.status_code < 500, f"{address}: {response.status_code}"
        if response.headers.get("content-type", "").startswith("text/html"):
            pages[address] = response.text
            queue.extend(link for link in _links(response.text) if link not in seen)
    return pages


def _first_meeting() -> datetime:
    today = now().date()
    return wall(today.year, today.month, today.day, 10, 0) - timedelta(days=21)


def _group(site: Site) -> None:
    """An in-country group with a weekly series, some of it held and some coming, run by the
    focal point, so the crawl reaches a group's page with its tables and forms."""
    first = _first_meeting()
    with site.db.writing() as session:
        group_repo.save_group(
            session,
            Group(
                id="pseudo-peru",
                name="Peru national group",
                country="PE",
                timezone="America/Lima",
                coordinators=frozenset({FOCAL_POINT}),
            ),
        )
        group_repo.save_meeting(
            session,
            Meeting(
                id="pseudo-weekly",
                group_id="pseudo-peru",
                title="Weekly dialogue",
                starts=first,
                ends=first + timedelta(hours=2),
                rule="FREQ=WEEKLY;COUNT=8",
            ),
        )


@pytest.fixture(scope="module")
def pseudo(site: Site) -> Iterator[re.Pattern[str]]:
    """The site in the pseudo-locale, and the data its pages may show as it is."""
    _group(site)
    state: AppState = site.app.state.govsched
    rulebook = state.rulebook.model_dump(mode="json")
    site.app.state.pseudo_locale = True
    try:
        yield data_values(site.db, strings(rulebook))
    finally:
        site.app.state.pseudo_locale = False


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{address}: {texts[:6]}" for address, texts in sorted(found.items()) if texts)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_a_role_reaches_speaks_only_through_the_catalog(
    site: Site, pseudo: re.Pattern[str], role: str
) -> None:
    client = site.client(ROLES[role])
    nav = _links(client.get("/web/my-work").text)
    pages = crawl(client, ["/web/my-work", *nav])
    assert len(pages) > 10  # the crawl reached the workspace, not only a redirect
    assert "/web/groups" in pages
    assert any(address.startswith("/web/groups/") for address in pages)
    found = {address: bypassed(html, pseudo) for address, html in pages.items()}
    assert not any(found.values()), _report(found)


def test_the_signed_out_pages_speak_only_through_the_catalog(
    site: Site, pseudo: re.Pattern[str]
) -> None:
    # the public indicators page is reached from outside the workspace, so it starts the crawl
    starts = ["/web/sign-in", "/apply", "/public/indicators"]
    pages = crawl(site.client(), starts)
    assert set(pages) >= set(starts)
    found = {address: bypassed(html, pseudo) for address, html in pages.items()}
    assert not any(found.values()), _report(found)


def test_the_draft_agenda_and_a_published_agendas_changes_speak_through_the_catalog(
    site: Site, pseudo: re.Pattern[str]
) -> None:
    """Governance writes these documents (issue 20): each reader's copy is through the catalog."""
    client = site.client(ROLES["secretariat"])
    year = client.get("/web/year?plenary=plenary-2027").text
    assert pseudo_text("Any other business and close") in year
    assert bypassed(year, pseudo) == []
    roster = client.get("/web/roster").text
    assert pseudo_text("presenters per plenary (mean)") in roster  # the fairness report
    assert bypassed(roster, pseudo) == []
    at = now()
    with site.db.writing() as session:
        for number, items in ((1, ((1, "Opening"), (2, "Budget"))), (2, ((2, "Budget"),))):
            agenda_repo.add_version(
                session,
                AgendaVersion(
                    plenary_id="plenary-2027",
                    number=number,
                    published_at=at,
                    published_by=ROLES["secretariat"],
                    items=tuple(PublishedItem(id=i, title=title) for i, title in items),
                ),
            )
    page = client.get("/web/plenary?plenary=plenary-2027&version=2").text
    # the items' titles are data now the versions hold them
    state: AppState = site.app.state.govsched
    pseudo = data_values(site.db, strings(state.rulebook.model_dump(mode="json")))
    removed = pseudo_text("Removed item %(place)s: %(title)s")
    assert removed.replace("%(place)s", "1").replace("%(title)s", "Opening") in page
    assert bypassed(page, pseudo) == []


def test_a_refusal_of_the_rules_beside_its_field_speaks_through_the_catalog(
    site: Site, pseudo: re.Pattern[str]
) -> None:
    """governance's refusals (issue 20): the form's sentence and the field's reason."""
    client = site.client(FOCAL_POINT)
    page = client.get("/web/calendars").text
    pages: list[str] = []
    for scope in ("role:secretariat", "committee:everyone"):
        refused = client.post("/web/calendars", data={"scope": scope, "csrf_token": csrf(page)})
        assert refused.status_code in (403, 422), refused.text
        # the form's sentence at its top (with its reason, when no field shows it) translated
        top = re.search(r'id="feed-link-error" role="alert">(.*?)</p>', refused.text, re.S)
        assert top is not None, scope
        assert top.group(1).startswith(PSEUDO_OPEN), top.group(1)
        assert bypassed(refused.text, pseudo) == [], scope
        pages.append(refused.text)
    forbidden = pseudo_text("a calendar feed for %(scope)s") % {"scope": "role:secretariat"}
    assert forbidden in pages[0]
    assert pseudo_text("unknown calendar feed scope") in pages[1]


def test_an_applications_tally_note_speaks_through_the_catalog(
    site: Site, pseudo: re.Pattern[str]
) -> None:
    """The review's tally is stored in English in the history; the page writes it anew."""
    record = under_review()
    closed = close_review(record, now(), None, Recommendation.SUPPORT).record
    closed = closed.model_copy(update={"id": "app-pseudo-tally", "version": closed.version + 1})
    note = closed.history[-1].note
    assert note  # the tally, as the rules keep it
    with site.db.writing() as session:
        application_repo.save(session, closed)
    page = site.client(ROLES["secretariat"]).get("/web/applications/app-pseudo-tally").text
    timeline = re.search(r'<ol class="timeline">.*?</ol>', page, re.S)
    assert timeline is not None
    assert note not in text(timeline.group(0))
    state: AppState = site.app.state.govsched
    pseudo = data_values(site.db, strings(state.rulebook.model_dump(mode="json")))
    # the notes the rules wrote (the submission, the tally) and the states, all translated
    assert bypassed(timeline.group(0), pseudo) == []


def _api(site: Site, person: str) -> TestClient:
    """The API as `person`, asking for French: the pseudo-locale answers in its place."""
    headers = {"Authorization": f"Bearer {site.tokens[person]}", "Accept-Language": "fr"}
    return TestClient(site.app, headers=headers)


def test_a_refusal_govsched_makes_itself_speaks_through_the_catalog_on_a_form_and_in_the_api(
    site: Site, pseudo: re.Pattern[str]
) -> None:
    """The services' and the routes' own refusals (issue 20): the register's search, a key."""
    page = site.client(ROLES["secretariat"]).get("/web/register?since=nope").text
    said = pseudo_text("%(text)r is not a date (year-month-day, e.g. 2026-03-31)")
    assert said % {"text": "nope"} in text(page)
    assert pseudo_text("the search was not understood") in page
    assert bypassed(page, pseudo) == []
    refused = _api(site, FOCAL_POINT).get("/calendars/public.ics?lang=xx")
    assert refused.status_code == 422, refused.text
    assert refused.json()["message"] == pseudo_text("unknown feed language")


def test_a_validators_refusal_beside_its_field_speaks_through_the_catalog(
    site: Site, pseudo: re.Pattern[str]
) -> None:
    """A model's own validator (an email address) and pydantic's kinds of error (too long)."""
    client = site.client(ROLES["secretariat"])
    form = client.get("/web/directory/people").text
    values = {"id": "new-person", "name": "N" * 300, "email": "nope", "reason": "testing"}
    sent = {**values, "form_id": "add-person", "back": "/web/directory/people"}
    refused = client.post("/web/directory/people", data={**sent, "csrf_token": csrf(form)})
    assert refused.status_code == 422, refused.text
    assert pseudo_text("is not an email address") in refused.text
    # pydantic's own limit, in the catalog's words
    too_long = pseudo_text("write at most %(num)s characters (this has %(given)s)")
    assert too_long % {"num": "200", "given": "300"} in refused.text
    assert "Value error" not in refused.text
    assert bypassed(refused.text, pseudo) == []
    answer = _api(site, ROLES["secretariat"]).post("/people", json=values)
    assert answer.status_code == 422, answer.text
    meaning = "The request is invalid: each problem names a field and the reason."
    assert answer.json()["message"] == pseudo_text(meaning)


def test_the_try_again_sentences_speak_through_the_catalog(
    site: Site, pseudo: re.Pattern[str]
) -> None:
    """A form that expired (the workflow service out of reach: tests/i18n/test_refusal_words)."""
    expired = site.client().post("/web/sign-in", data={"token": "whatever"})
    assert expired.status_code == 403, expired.text
    assert pseudo_text("The sign-in form expired; nothing was sent. Try again.") in expired.text
    assert bypassed(expired.text, pseudo) == []


def test_a_role_named_inside_a_refusal_reads_as_the_workspace_names_it(
    site: Site, pseudo: re.Pattern[str]
) -> None:
    """`secretariat` is the role's identifier: a reader sees the Secretariat's name."""
    role = pseudo_text("secretariat")  # the workspace's word (context "word") for the role
    refused = site.client(FOCAL_POINT).get("/web/outbox")
    assert refused.status_code == 403, refused.text
    sentence = pseudo_text("%(action)s needs the role %(role)r")
    action = pseudo_text("reading the outbox")
    assert sentence % {"action": action, "role": role} in text(refused.text)
    assert bypassed(refused.text, pseudo) == []
    answer = _api(site, FOCAL_POINT).get(f"/people/{ROLES['secretariat']}/notification-preferences")
    assert answer.status_code == 403, answer.text
    action = pseudo_text("reading another person's notifications")
    assert answer.json()["message"] == sentence % {"action": action, "role": role}
    assert answer.json()["missing_role"] == "secretariat"  # what clients read stays the id


def test_a_refused_group_form_says_what_could_not_be_done_in_the_readers_words(
    site: Site, pseudo: re.Pattern[str]
) -> None:
    """The service's refusal lists `field: reason` with the request's field names (the API's
    message); a form shows each reason beside its own field and, at its top, only what could
    not be done: no field name of the request reaches the page."""
    client = site.client(FOCAL_POINT)
    page = client.get("/web/groups/pseudo-peru").text
    coming = _first_meeting() + timedelta(days=28)
    move = {
        "csrf_token": csrf(page),
        "back": "/web/groups/pseudo-peru",
        "form_id": "group-move",
        "occurrence": f"pseudo-weekly|{coming.isoformat()}",
        "starts": f"{coming.date()}T15:00",
        "ends": f"{coming.date()}T14:00",
    }
    refused = client.post("/web/groups/pseudo-peru/moves", data=move)
    assert refused.status_code == 422, refused.text
    top = re.search(r'id="group-move-error" role="alert">(.*?)</p>', refused.text, re.S)
    assert top is not None
    assert text(top.group(1)) == pseudo_text("the occurrence cannot be moved")
    beside = error_for(refused.text, "group-move-ends")
    assert beside == pseudo_text("a moved occurrence must end after it starts")
    assert bypassed(refused.text, pseudo) == []
    answer = _api(site, FOCAL_POINT).post(
        "/group-meetings/pseudo-weekly/moves",
        json={"recurrence_id": coming.isoformat(), "starts": move["starts"], "ends": move["ends"]},
    )
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["problems"]
    assert problem["field"] == "body.ends"  # the API keeps the request's own field names
