"""What people outside the workspace reach by a link: a concern's private link, an applicant's
status link and a one-time sign-in link, mangled the ways mail programs and people mangle them.
Each answers a page in the reader's language, never a 500 or the API's JSON."""

from __future__ import annotations

import pytest

from govsched.http.web.routes import session as session_routes
from govsched.http.web.routes.public_application import ANSWER_ID
from tests.web.conftest import Site
from tests.web.html_checks import hidden, text


def test_a_follow_link_with_letters_outside_ascii_reads_as_a_wrong_link(site: Site) -> None:
    # a mail program that "fixes" characters, or someone typing the link by hand
    response = site.client().get("/web/follow/c-0a1b2c3d4e5f/%C3%A9t%C3%A9")
    assert response.status_code == 404
    assert "Link not valid" in text(response.text)
    assert response.headers["cache-control"] == "no-store"


def test_a_status_link_cut_short_is_a_page_saying_so(site: Site) -> None:
    client = site.client()
    for cut in (
        "/apply/status/app-0a1b2c3d4e5f",
        "/apply/status/app-0a1b2c3d4e5f/",
        "/apply/status",
    ):
        response = client.get(cut, headers={"Accept-Language": "fr"})
        assert response.status_code == 404, cut
        assert response.headers["content-type"].startswith("text/html"), cut
        assert "Lien de suivi inconnu" in text(response.text), cut


def test_opening_the_answer_address_shows_no_json(site: Site) -> None:
    # the address a refused answer leaves in the browser's bar, opened again
    response = site.client().get(f"/apply/status/app-0a1b2c3d4e5f/{'0' * 32}/{ANSWER_ID}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_a_used_sign_in_link_is_refused_through_the_catalog(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = site.client()
    landing = client.get("/web/sign-in/link/never-issued")
    redeem = {"secret": "never-issued", "pre_session": hidden(landing.text, "pre_session")}
    # the page's own gettext, marking what it wrote (the catalogs get the entry by `make messages`)
    monkeypatch.setattr(session_routes, "_", lambda message, **_: f"[{message}]")
    response = client.post("/web/sign-in/link", data=redeem, follow_redirects=False)
    assert response.status_code == 410
    assert "[This sign-in link was already used or has expired." in text(response.text)


def test_a_sign_in_link_page_is_not_kept_or_passed_on(site: Site) -> None:
    response = site.client().get("/web/sign-in/link/some-secret")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
