"""Revoking a person's token ends the web sessions started with it; the Secretariat ends all
sessions of a person through the API, the web or the CLI (issue 17, item 18). Seen before: a
session outlived the revocation of its token by up to 12 hours."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from govsched.http.web.auth import SESSION_LASTS
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import web_sessions as web_session_repo
from govsched.persistence.tables import ApiTokenRow, AuditRow
from tests.web.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, STEERING_COMMITTEE, Site
from tests.web.html_checks import csrf, sign_in

BIN = Path(sys.executable).parent
# people of the demo registry no other test of the module signs in as, so counts are theirs
REVOKED = "fp-co-kestrel-resources"
ENDED_BY_API = "fp-co-aurum-mining"
ENDED_BY_CLI = "fp-ngo-civic-space-trust"


def _signed_in(site: Site, token: str) -> TestClient:
    client = TestClient(site.app)
    assert sign_in(client, token).status_code == 303
    return client


def _link_session(site: Site, person: str) -> TestClient:
    with site.db.writing() as session:
        secret = web_session_repo.start(session, person, datetime.now(UTC), SESSION_LASTS)
    client = TestClient(site.app)
    client.cookies.set("govsched_session", secret)
    return client


def _live(client: TestClient) -> bool:
    response = client.get("/web/my-work", follow_redirects=False)
    assert response.status_code in (200, 303), response.text
    live: bool = response.status_code == 200
    return live


def _tokens(site: Site, person: str, count: int) -> list[str]:
    with site.db.writing() as session:
        now = datetime.now(UTC)
        return [token_repo.issue(session, person, now, f"t{i}") for i in range(count)]


def _govsched(site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSCHED_")}
    env["GOVSCHED_DATABASE_URL"] = site.db.engine.url.render_as_string(hide_password=False)
    return subprocess.run(
        [str(BIN / "govsched"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_session_ends_when_the_token_it_was_started_with_is_revoked(site: Site) -> None:
    first, second = _tokens(site, STEERING_COMMITTEE, 2)
    with_first, with_second = _signed_in(site, first), _signed_in(site, second)
    assert _live(with_first)
    assert _live(with_second)
    # one token revoked (as any tool would: the row is marked): only its sessions end
    with site.db.writing() as session:
        session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.digest == token_repo.digest(first))
            .values(revoked_at=datetime.now(UTC))
        )
    assert not _live(with_first)
    assert _live(with_second)


def test_govsched_tokens_revoke_signs_the_person_out_everywhere(site: Site) -> None:
    person = REVOKED
    [token] = _tokens(site, person, 1)
    with_token, with_link = _signed_in(site, token), _link_session(site, person)
    other = _signed_in(site, site.tokens[CHAIR])
    assert _live(with_token)
    assert _live(with_link)

    run = _govsched(site, "tokens", "revoke", person, "--by", SECRETARIAT)

    assert run.returncode == 0, run.stderr
    assert f"of {person}; ended 2 web session(s)" in run.stdout
    assert not _live(with_token)
    assert not _live(with_link)  # decided: revoking a person's tokens cuts them off
    assert _live(other)
    api = TestClient(site.app).get("/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    with site.db.reading() as session:
        actions = session.scalars(
            select(AuditRow.action).where(AuditRow.item_id == person, AuditRow.actor == SECRETARIAT)
        ).all()
    assert "api_tokens.revoked" in actions
    # the person signs in again with a new token
    [fresh] = _tokens(site, person, 1)
    assert _live(_signed_in(site, fresh))


def test_the_secretariat_ends_a_persons_sessions_over_the_api(site: Site) -> None:
    [token] = _tokens(site, ENDED_BY_API, 1)
    browsers = [_signed_in(site, token), _link_session(site, ENDED_BY_API)]
    bystander = _signed_in(site, site.tokens[FOCAL_POINT])
    api = TestClient(site.app)

    refused = api.delete(
        f"/people/{ENDED_BY_API}/web-sessions",
        headers={"Authorization": f"Bearer {site.tokens[FOCAL_POINT]}"},
    )
    ended = api.delete(
        f"/people/{ENDED_BY_API}/web-sessions",
        headers={"Authorization": f"Bearer {site.tokens[SECRETARIAT]}"},
    )
    unknown = api.delete(
        "/people/nobody-here/web-sessions",
        headers={"Authorization": f"Bearer {site.tokens[SECRETARIAT]}"},
    )

    assert refused.status_code == 403
    assert refused.json()["missing_role"] == "secretariat"
    assert ended.status_code == 200, ended.text
    assert ended.json() == {"person": ENDED_BY_API, "ended": 2}
    assert unknown.status_code == 404
    assert not any(_live(b) for b in browsers)
    assert _live(bystander)
    # the API token itself keeps working: only the sessions ended
    me = api.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


def test_the_secretariat_ends_a_persons_sessions_in_the_web(site: Site) -> None:
    [token] = _tokens(site, STEERING_COMMITTEE, 1)
    person = _signed_in(site, token)
    secretariat = _signed_in(site, site.tokens[SECRETARIAT])
    page = secretariat.get("/web/sign-in-links")
    assert 'id="end-sessions"' in page.text

    done = secretariat.post(
        "/web/sessions/end",
        data={"person": STEERING_COMMITTEE, "csrf_token": csrf(page.text)},
        follow_redirects=False,
    )
    unknown = secretariat.post(
        "/web/sessions/end",
        data={"person": "nobody-here", "csrf_token": csrf(page.text)},
    )
    by_chair = _signed_in(site, site.tokens[CHAIR])
    chair_page = by_chair.get("/web/my-work")
    not_secretariat = by_chair.post(
        "/web/sessions/end",
        data={"person": SECRETARIAT, "csrf_token": csrf(chair_page.text)},
    )

    assert done.status_code == 303
    assert done.headers["location"] == "/web/sign-in-links?done=sessions%20ended"
    assert not _live(person)
    assert _live(secretariat)
    assert unknown.status_code == 422
    assert 'id="end-sessions-person-error">choose a person from the list' in unknown.text
    assert not_secretariat.status_code == 403
    assert _live(secretariat)


def test_govsched_sessions_end(site: Site) -> None:
    [token] = _tokens(site, ENDED_BY_CLI, 1)
    browser = _signed_in(site, token)
    run = _govsched(site, "sessions", "end", ENDED_BY_CLI)
    unknown = _govsched(site, "sessions", "end", "nobody-here")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"ended 1 web session(s) of {ENDED_BY_CLI}"
    assert not _live(browser)
    assert unknown.returncode == 2
    assert "nobody-here" in unknown.stderr
