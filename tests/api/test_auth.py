"""Bearer tokens and roles: who may call what, and what a refusal says."""

from __future__ import annotations

from datetime import UTC, datetime

from govsched.persistence.repos import api_tokens as token_repo
from tests.api.conftest import FOCAL_POINT, Api


async def test_a_request_without_a_token_is_a_401_asking_for_one(api: Api) -> None:
    async with api.client() as client:
        response = await client.get("/members")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"] == "unauthenticated"


async def test_an_unknown_token_is_a_401(api: Api) -> None:
    async with api.client() as client:
        response = await client.get("/members", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert "unknown or has been revoked" in response.json()["message"]


async def test_a_revoked_token_stops_working_at_once(api: Api) -> None:
    with api.db.writing() as session:
        token = token_repo.issue(session, "fp-gov-estavia", datetime.now(UTC), "short-lived")
    headers = {"Authorization": f"Bearer {token}"}
    async with api.client() as client:
        before = await client.get("/me", headers=headers)
        with api.db.writing() as session:
            token_repo.revoke_all(session, "fp-gov-estavia", datetime.now(UTC))
        after = await client.get("/me", headers=headers)
    assert before.status_code == 200
    assert after.status_code == 401


async def test_a_missing_role_is_a_403_that_names_it(api: Api) -> None:
    member = {"id": "ngo-x", "name": "X", "pillar": "ngo", "country": "Y"}
    async with api.client(FOCAL_POINT) as client:
        response = await client.post("/members", json=member)
    assert response.status_code == 403
    assert response.json()["missing_role"] == "secretariat"
    assert "secretariat" in response.json()["message"]


async def test_health_and_the_public_feed_need_no_token(api: Api) -> None:
    async with api.client() as client:
        health = await client.get("/health")
        feed = await client.get("/calendars/public.ics")
    assert health.json() == {"status": "ok", "initiative": "VPI"}
    assert feed.status_code == 200
