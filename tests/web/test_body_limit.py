"""A request body larger than the service accepts is a 413 in the API's one error shape, in the
reader's language, and nothing is recorded; bodies under the limit reach their routes
(govsched/http/body_limit.py). The limit is a setting (`GOVSCHED_MAX_BODY_BYTES`); a small one
here keeps the bodies small."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.tables import ApplicationRow, AuditRow
from tests.api.conftest import seeded_database, serving
from tests.web.conftest import SECRETARIAT
from tests.web.html_checks import csrf, sign_in, text

LIMIT = 4096
TOO_MUCH = "x" * (LIMIT * 3)


@dataclass
class Limited:
    app: FastAPI
    db: Database
    token: str


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Limited]:
    url, db = seeded_database(tmp_path_factory.mktemp("limit"))
    with db.writing() as session:
        token = token_repo.issue(session, SECRETARIAT, datetime.now(UTC), "body limit test")
    settings = Settings(database_url=url, id_secret="limit tests", max_body_bytes=LIMIT)
    yield Limited(create_app(settings, db=db, run_scheduler=False), db, token)
    db.dispose()


def _recorded(db: Database) -> tuple[int, int]:
    with db.reading() as session:
        applications = session.scalar(select(func.count()).select_from(ApplicationRow))
        audit = session.scalar(select(func.count()).select_from(AuditRow))
    return int(applications or 0), int(audit or 0)


def _application(statement: str) -> dict[str, Any]:
    return {
        "organisation": "Quarry Watch Pelagonia",
        "pillar": "ngo",
        "country": "Pelagonia",
        "contact_email": "watch@quarry.example.org",
        "statement": statement,
    }


def _api(limited: Limited, language: str | None = None) -> TestClient:
    headers = {"Authorization": f"Bearer {limited.token}"}
    if language:
        headers["Accept-Language"] = language
    return TestClient(limited.app, headers=headers, raise_server_exceptions=False)


def test_a_declared_body_over_the_limit_is_refused_and_records_nothing(limited: Limited) -> None:
    before = _recorded(limited.db)
    response = _api(limited).post("/applications", json=_application(TOO_MUCH))
    assert response.status_code == 413
    assert response.json() == {
        "error": "too_large",
        "message": "the request body is larger than the 4,096 bytes this service accepts",
        "problems": [
            {
                "field": "body",
                "reason": "the request body is larger than the 4,096 bytes this service accepts",
            }
        ],
    }
    assert _recorded(limited.db) == before


def test_a_chunked_body_growing_past_the_limit_is_refused(limited: Limited) -> None:
    """No Content-Length: the body is counted as it arrives."""
    before = _recorded(limited.db)

    def chunks() -> Iterator[bytes]:
        for _ in range(12):
            yield b"x" * 1024

    response = _api(limited).post(
        "/applications", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert _recorded(limited.db) == before


def test_a_body_under_the_limit_reaches_its_route(limited: Limited) -> None:
    # under the limit, the route's own validation answers: here, a pillar nobody has
    response = _api(limited).post("/applications", json={**_application("Short."), "pillar": "x"})
    assert response.status_code == 422
    assert "body.pillar" in [p["field"] for p in response.json()["problems"]]


def test_the_refusal_is_in_the_readers_language(limited: Limited) -> None:
    response = _api(limited, "fr").post("/applications", json=_application(TOO_MUCH))
    assert response.status_code == 413
    assert response.headers["content-language"] == "fr"
    assert response.json()["message"] == (
        "La demande est trop volumineuse pour ce service : envoyez-en une plus petite."
    )


def test_a_workspace_form_over_the_limit_records_nothing(limited: Limited) -> None:
    """The public application form, signed out, and a signed-in form alike."""
    before = _recorded(limited.db)
    public = TestClient(limited.app, raise_server_exceptions=False)
    form = public.get("/apply")
    refused = public.post("/apply", data={"csrf_token": csrf(form.text), **_application(TOO_MUCH)})
    signed_in = TestClient(limited.app, raise_server_exceptions=False)
    assert sign_in(signed_in, limited.token).status_code == 303
    page = signed_in.get("/web/notifications")
    preferences = signed_in.post(
        "/web/notifications",
        data={"csrf_token": csrf(page.text), "channels": "default", "note": TOO_MUCH},
    )
    for answer in (refused, preferences):
        # a page, not the API's JSON: a person in a browser reads it
        assert answer.status_code == 413
        assert answer.headers["content-type"].startswith("text/html")
        assert "The form was larger than this service accepts, so nothing was recorded." in (
            text(answer.text)
        )
    assert _recorded(limited.db) == before


def test_a_workspace_refusal_is_in_the_readers_language(limited: Limited) -> None:
    public = TestClient(limited.app, raise_server_exceptions=False)
    form = public.get("/apply", headers={"Accept-Language": "es"})
    refused = public.post(
        "/apply",
        data={"csrf_token": csrf(form.text), **_application(TOO_MUCH)},
        headers={"Accept-Language": "es"},
    )
    assert refused.status_code == 413
    assert '<html lang="es">' in refused.text
    assert "no se registró nada" in text(refused.text)


async def test_over_http_the_server_refuses_and_serves_the_next_request(limited: Limited) -> None:
    """Through uvicorn, as deployed: the refused request leaves the server serving."""
    headers = {"Authorization": f"Bearer {limited.token}"}
    async with (
        serving(limited.app) as base_url,
        httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client,
    ):
        refused = await client.post("/applications", json=_application(TOO_MUCH * 100))
        health = await client.get("/health")
    assert refused.status_code == 413
    assert refused.json()["error"] == "too_large"
    assert health.status_code == 200


def test_a_workspace_address_of_the_wrong_kind_is_a_page_naming_it(limited: Limited) -> None:
    """A year that is no number in a workspace address: the workspace's own page, not JSON."""
    client = TestClient(limited.app, raise_server_exceptions=False)
    assert sign_in(client, limited.token).status_code == 303
    answer = client.get("/web/indicators/next-year/export.csv")
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "Check the address (year: " in text(answer.text)
