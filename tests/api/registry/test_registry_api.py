"""Registry endpoints over HTTP: reads, Secretariat changes, and every refusal's shape."""

from __future__ import annotations

import asyncio
from typing import Any

from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo
from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api

NEW_MEMBER = {
    "id": "ngo-tide-watch",
    "name": "Tide Watch",
    "pillar": "ngo",
    "country": "Yssel",
    "status": "engaged",
    "reason": "admitted at the 2026 plenary",
}


def _fields(body: dict[str, Any]) -> set[str]:
    return {problem["field"] for problem in body["problems"]}


async def test_members_are_listed_by_pillar_and_read_with_their_history(api: Api) -> None:
    async with api.client(FOCAL_POINT) as client:
        governments = (await client.get("/members", params={"pillar": "government"})).json()
        norland = (await client.get("/members/gov-norland")).json()
    assert len(governments) == 12
    assert {m["pillar"] for m in governments} == {"government"}
    assert norland["status"] == "full"
    assert norland["status_history"][0]["decision"] == "full member since joining"


async def test_an_unknown_member_is_a_404_that_names_it(api: Api) -> None:
    async with api.client(FOCAL_POINT) as client:
        response = await client.get("/members/gov-atlantis")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "gov-atlantis" in response.json()["message"]


async def test_emails_are_shown_only_to_the_secretariat_and_the_person(api: Api) -> None:
    async with api.client(FOCAL_POINT) as member, api.client(SECRETARIAT) as secretariat:
        seen_by_member = (await member.get(f"/people/{CHAIR}")).json()
        seen_by_secretariat = (await secretariat.get(f"/people/{CHAIR}")).json()
        own = (await member.get("/me")).json()
    assert seen_by_member["email"] is None
    assert seen_by_secretariat["email"].endswith("@gov-norland.example")
    assert own["id"] == FOCAL_POINT
    assert own["email"] is not None


async def test_a_member_is_recorded_once_per_idempotency_key(api: Api) -> None:
    headers = {"Idempotency-Key": "record-tide-watch"}
    async with api.client(SECRETARIAT) as client:
        first = await client.post("/members", json=NEW_MEMBER, headers=headers)
        second = await client.post("/members", json=NEW_MEMBER, headers=headers)
        read = (await client.get("/members/ngo-tide-watch")).json()
        # found by a review: another change under a key already used was answered with the
        # first change's outcome (201) and never applied; it is refused, naming the key
        other = await client.post(
            "/members", json={**NEW_MEMBER, "id": "ngo-not-this"}, headers=headers
        )
        absent = await client.get("/members/ngo-not-this")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert first.json()["item_id"] == "ngo-tide-watch"
    assert other.status_code == 422, other.text
    assert [p["field"] for p in other.json()["problems"]] == ["header.Idempotency-Key"]
    assert absent.status_code == 404
    assert read["status"] == "engaged"
    # The change's workflow goes on after answering: it starts the Engaged period, whose own
    # workflow records that it started.
    await api.temporal.get_workflow_handle("registry-change-record-tide-watch").result()
    started = api.temporal.get_workflow_handle("engaged-ngo-tide-watch")
    for _ in range(200):
        with api.db.reading() as session:
            entries = audit_repo.entries(session, item_id="ngo-tide-watch")
        if len(entries) == 2:
            break
        await asyncio.sleep(0.05)
    assert (await started.describe()).workflow_type == "engaged-membership"
    # Recorded once; and being Engaged, its way to Full membership is now tracked.
    assert sorted((e.action, e.actor, e.reason) for e in entries) == [
        ("engaged_period.started", "system", ""),
        ("member.added", SECRETARIAT, "admitted at the 2026 plenary"),
    ]


async def test_a_duplicate_member_is_a_409_and_the_record_is_unchanged(api: Api) -> None:
    clash = {**NEW_MEMBER, "id": "gov-norland", "name": "Someone Else"}
    async with api.client(SECRETARIAT) as client:
        response = await client.post("/members", json=clash)
        norland = (await client.get("/members/gov-norland")).json()
    assert response.status_code == 409
    assert response.json()["problems"] == [{"field": "id", "reason": "already taken"}]
    assert norland["name"] == "Government of Norland"


async def test_a_malformed_body_is_a_422_naming_every_field(api: Api) -> None:
    async with api.client(SECRETARIAT) as client:
        response = await client.post("/members", json={"id": "Not A Slug", "pillar": "gov"})
    body = response.json()
    assert response.status_code == 422
    assert body["error"] == "invalid"
    assert _fields(body) == {"body.id", "body.name", "body.pillar", "body.country"}
    reasons = {p["field"]: p["reason"] for p in body["problems"]}
    assert "lowercase letters, digits or '-'" in reasons["body.id"]


async def test_a_body_that_is_not_json_is_a_422(api: Api) -> None:
    async with api.client(SECRETARIAT) as client:
        response = await client.post(
            "/members", content=b"{not json", headers={"content-type": "application/json"}
        )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"


async def test_an_invalid_idempotency_key_is_a_422(api: Api) -> None:
    async with api.client(SECRETARIAT) as client:
        response = await client.post(
            "/members", json={**NEW_MEMBER, "id": "ngo-other"}, headers={"Idempotency-Key": "a b"}
        )
    assert response.status_code == 422
    assert _fields(response.json()) == {"header.Idempotency-Key"}
    with api.db.reading() as session:
        assert registry_repo.get_member(session, "ngo-other") is None


async def test_a_chair_term_for_a_company_is_refused_with_the_reason(api: Api) -> None:
    term = {"member": "co-aurum-mining", "starts": "2027-03-20", "ends": "2028-03-18"}
    async with api.client(SECRETARIAT) as client:
        response = await client.post("/chair-terms", json=term)
        terms = (await client.get("/chair-terms")).json()
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "member", "reason": "the Chair is a government"}
    ]
    assert len(terms) == 2


async def test_a_scheduled_plenary_is_listed_and_published(api: Api) -> None:
    plenary = {
        "year": 2028,
        "starts": "2028-03-14",
        "ends": "2028-03-17",
        "location": "Estavia City",
        "host": "gov-estavia",
    }
    async with api.client(SECRETARIAT) as client:
        created = await client.post("/plenaries", json=plenary)
        again = await client.post("/plenaries", json=plenary)
        read = (await client.get("/plenaries/plenary-2028")).json()
        feed = (await client.get("/calendars/public.ics")).text
    assert created.status_code == 201
    assert created.json()["item_id"] == "plenary-2028"
    assert again.status_code == 409
    assert read["location"] == "Estavia City"
    assert "UID:plenary-2028@vpi.govsched" in feed


async def test_seats_and_chair_terms_are_readable_by_members(api: Api) -> None:
    async with api.client(FOCAL_POINT) as client:
        seats = (await client.get("/steering-committee/seats")).json()
        terms = (await client.get("/chair-terms")).json()
    assert len(seats) == 9
    assert {s["pillar"] for s in seats} == {"government", "company", "ngo"}
    assert [t["member"] for t in terms] == ["gov-estavia", "gov-norland"]


async def test_the_openapi_document_and_docs_are_served(api: Api) -> None:
    async with api.client() as client:
        schema = (await client.get("/openapi.json")).json()
        docs = await client.get("/docs")
    assert docs.status_code == 200
    assert {"/members", "/plenaries", "/chair-terms", "/calendars/public.ics"} <= set(
        schema["paths"]
    )
