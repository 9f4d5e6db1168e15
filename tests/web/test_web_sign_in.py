"""Signing in and out of the web workspace: tokens, sessions, one-time links and CSRF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import web_sessions as web_session_repo
from tests.web.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Site
from tests.web.html_checks import csrf, field_value, hidden, text


def test_a_page_without_a_session_sends_the_browser_to_sign_in(site: Site) -> None:
    response = site.client().get("/web/applications", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/web/sign-in?next=/web/applications"


def test_signing_in_with_a_token_sets_a_hardened_session_cookie(site: Site) -> None:
    client = site.client()
    form = client.get("/web/sign-in")
    response = client.post(
        "/web/sign-in",
        data={
            "token": site.tokens[CHAIR],
            "pre_session": hidden(form.text, "pre_session"),
            "next": "/web/year",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/web/year"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "max-age=43200" in cookie
    assert "Lea Okafor" in text(client.get("/web/my-work").text)


def test_a_wrong_token_is_refused_beside_the_field(site: Site) -> None:
    client = site.client()
    form = client.get("/web/sign-in")
    response = client.post(
        "/web/sign-in",
        data={"token": "not-a-token", "pre_session": hidden(form.text, "pre_session")},
    )
    assert response.status_code == 401
    assert 'id="token-error">this token is unknown or has been revoked' in response.text
    assert "govsched_session" not in response.headers.get("set-cookie", "")


def test_a_sign_in_post_from_elsewhere_is_refused(site: Site) -> None:
    """Login CSRF: the form's token must match the cookie set with the form."""
    client = site.client()
    response = client.post(
        "/web/sign-in", data={"token": site.tokens[CHAIR], "pre_session": "forged"}
    )
    assert response.status_code == 403
    assert "govsched_session" not in response.headers.get("set-cookie", "")


def test_signing_out_ends_the_session_on_the_server(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    secret = client.cookies["govsched_session"]
    page = client.get("/web/my-work")
    response = client.post(
        "/web/sign-out", data={"csrf_token": csrf(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    # Even a browser that kept the cookie is signed out: the server ended the session.
    replay = site.client()
    replay.cookies.set("govsched_session", secret)
    assert replay.get("/web/my-work", follow_redirects=False).status_code == 303


def test_a_post_without_the_session_csrf_token_changes_nothing(site: Site) -> None:
    client = site.client(SECRETARIAT)
    forged = client.post("/web/sign-in-links", data={"person": CHAIR, "csrf_token": "0" * 64})
    assert forged.status_code == 403
    assert "Form refused" in forged.text
    missing = client.post("/web/sign-out", data={}, follow_redirects=False)
    assert missing.status_code == 403
    assert client.get("/web/my-work").status_code == 200


def test_a_one_time_link_signs_in_once(site: Site) -> None:
    secretariat = site.client(SECRETARIAT)
    page = secretariat.get("/web/sign-in-links")
    issued = secretariat.post(
        "/web/sign-in-links", data={"person": FOCAL_POINT, "csrf_token": csrf(page.text)}
    )
    assert issued.status_code == 200
    link = field_value(issued.text, "issued-link")
    path = link.split("http://127.0.0.1:8000", 1)[1]

    visitor = site.client()
    landing = visitor.get(path)
    assert landing.status_code == 200
    assert "govsched_session" not in visitor.cookies  # opening the link alone signs nobody in
    redeem = {
        "secret": hidden(landing.text, "secret"),
        "pre_session": hidden(landing.text, "pre_session"),
    }
    first = visitor.post("/web/sign-in/link", data=redeem, follow_redirects=False)
    assert first.status_code == 303
    with site.db.reading() as session:
        person = registry_repo.get_person(session, FOCAL_POINT)
    assert person is not None
    assert person.name in text(visitor.get("/web/my-work").text)

    again = site.client()
    landing = again.get(path)
    redeem = {
        "secret": hidden(landing.text, "secret"),
        "pre_session": hidden(landing.text, "pre_session"),
    }
    second = again.post("/web/sign-in/link", data=redeem, follow_redirects=False)
    assert second.status_code == 410
    assert "already used or has expired" in second.text


def test_an_expired_link_is_refused(site: Site) -> None:
    past = datetime.now(UTC) - timedelta(days=10)
    with site.db.writing() as session:
        secret = web_session_repo.issue_link(session, CHAIR, SECRETARIAT, past, timedelta(days=3))
    client = site.client()
    landing = client.get(f"/web/sign-in/link/{secret}")
    redeem = {"secret": secret, "pre_session": hidden(landing.text, "pre_session")}
    response = client.post("/web/sign-in/link", data=redeem, follow_redirects=False)
    assert response.status_code == 410


def test_only_the_secretariat_issues_sign_in_links(site: Site) -> None:
    chair = site.client(CHAIR)
    assert chair.get("/web/sign-in-links").status_code == 403
    page = chair.get("/web/my-work")
    response = chair.post(
        "/web/sign-in-links", data={"person": FOCAL_POINT, "csrf_token": csrf(page.text)}
    )
    assert response.status_code == 403
    assert "Secretariat" in response.text


def test_a_link_for_an_unknown_person_keeps_the_choice_and_says_why(site: Site) -> None:
    client = site.client(SECRETARIAT)
    page = client.get("/web/sign-in-links")
    response = client.post(
        "/web/sign-in-links", data={"person": "nobody-here", "csrf_token": csrf(page.text)}
    )
    assert response.status_code == 422
    assert 'id="sign-in-link-person-error">choose a person from the list' in response.text


def test_sessions_expire(site: Site) -> None:
    past = datetime.now(UTC) - timedelta(hours=13)
    with site.db.writing() as session:
        secret = web_session_repo.start(session, CHAIR, past, timedelta(hours=12))
    client = site.client()
    client.cookies.set("govsched_session", secret)
    assert client.get("/web/my-work", follow_redirects=False).status_code == 303
