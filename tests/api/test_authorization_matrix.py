"""Every route x every identity: who is let through, who gets a 403, and a 401 for every request
without a valid token (none, unknown, revoked, malformed). The expected cells are in
`tests/api/authorization_table.py`; a route missing from it fails the test."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest_asyncio

from governance.rulebook.model import Rulebook
from govsched.persistence.repos import api_tokens as token_repo
from govsched.services.applications import ApplicationService
from tests.api.authorization_table import CALLS, IDENTITIES, PUBLIC, Call
from tests.api.conftest import Api

KEYS = itertools.count()
PLACEHOLDER = re.compile(r"\{[^}]+\}")
ORDER = ("engaged_focal_point", "focal_point", "steering_committee", "chair", "secretariat")
# Routes about one person: called with someone else's id, only the Secretariat gets through.
OWN_ONLY = {
    ("GET", "/people/{}/notification-preferences"),
    ("PUT", "/people/{}/notification-preferences"),
}


def _shape(method: str, path: str) -> tuple[str, str]:
    return method.upper(), PLACEHOLDER.sub("{}", path)


@dataclass
class Matrix:
    api: Api
    tokens: dict[str, str]
    revoked: str
    values: dict[str, str]

    def path(self, call: Call, person: str) -> str:
        values = {**self.values, "person_id": person}
        return PLACEHOLDER.sub(lambda m: values[m.group(0)[1:-1]], call.path)

    async def send(
        self, call: Call, headers: dict[str, str], person: str = "sec-amina-okafor"
    ) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.api.base_url, timeout=60) as client:
            return await client.request(
                call.method,
                self.path(call, person),
                json=call.body,
                params=call.params,
                headers={**headers, "Idempotency-Key": f"matrix-{next(KEYS)}"},
            )

    def bearer(self, identity: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[identity]}"}


@pytest_asyncio.fixture(scope="module")
async def matrix(api: Api) -> AsyncIterator[Matrix]:
    now = datetime.now(UTC)
    with api.db.writing() as session:
        tokens = {k: token_repo.issue(session, p, now, "matrix") for k, p in IDENTITIES.items()}
        revoked = token_repo.issue(session, "fp-gov-estavia", now, "matrix")
        token_repo.revoke_all(session, "fp-gov-estavia", now)
    headers = {"Authorization": f"Bearer {tokens['secretariat']}"}
    async with httpx.AsyncClient(base_url=api.base_url, headers=headers, timeout=60) as client:
        applied = await client.post(
            "/applications",
            json={
                "organisation": "Quarry Partners",
                "pillar": "company",
                "country": "Norland",
                "contact_email": "apply@quarry.example",
                "statement": "We commit to implement the Voluntary Principles.",
            },
        )
    filer = {"Authorization": f"Bearer {tokens['focal_point']}"}
    async with httpx.AsyncClient(base_url=api.base_url, headers=filer, timeout=60) as client:
        filed = await client.post(
            "/concerns",
            json={"id": "c-setup", "about": "co-aurum-mining", "summary": "A concern."},
        )
    async with httpx.AsyncClient(base_url=api.base_url, headers=headers, timeout=60) as client:
        # a plenary no test will outlive: its roster is never drawn, its dates never pass
        scheduled = await client.post(
            "/plenaries",
            json={"year": 2101, "starts": "2101-05-17", "ends": "2101-05-20", "location": "Oslo"},
            headers={"Idempotency-Key": "matrix-plenary-2101"},
        )
        milestones = await client.get("/plenaries/plenary-2101/milestones")
        handover = await client.get("/handovers/2101")
    assert scheduled.status_code == 201, scheduled.text
    assert applied.status_code == 201, applied.text
    assert filed.status_code == 201, filed.text
    assert milestones.status_code == 200, milestones.text
    assert handover.status_code == 200, handover.text
    described = await api.temporal.get_workflow_handle(
        "registry-change-matrix-plenary-2101"
    ).describe()
    await ApplicationService(
        api.temporal, api.db, Rulebook(), described.task_queue
    ).ensure_engaged_periods(now)
    described = await api.temporal.get_workflow_handle(
        "registry-change-matrix-plenary-2101"
    ).describe()
    service = ApplicationService(api.temporal, api.db, Rulebook(), described.task_queue)
    await service.ensure_engaged_periods(now)
    values = {
        "application_id": applied.json()["id"],
        "case": "c-setup",
        "member_id": "gov-lusmark",
        "engaged_member": "co-kestrel-resources",
        "plenary_id": "plenary-2101",
        "year": "2101",
        "milestone": milestones.json()[0]["key"],
        "handover_item": handover.json()["items"][0]["key"],
        "report_of": "co-aurum-mining",
        "presenter": "co-basalt-energy",
        "item_id": "no-such-item",
    }
    yield Matrix(api, tokens, revoked, values)


async def test_every_route_has_a_row_in_the_table(api: Api) -> None:
    async with api.client() as client:
        schema = (await client.get("/openapi.json")).json()
    routes = {
        _shape(method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if not path.startswith("/calendars/{")  # the feed token is its own credential
    }
    table = {_shape(c.method, c.path) for c in CALLS}
    assert routes - table == set(), "routes without a row in authorization_table.py"
    assert table - routes == set(), "rows for routes that no longer exist"


async def test_without_a_valid_token_every_route_but_the_public_ones_is_a_401(
    matrix: Matrix,
) -> None:
    variants = {
        "no token": {},
        "unknown token": {"Authorization": "Bearer not-a-token"},
        "revoked token": {"Authorization": f"Bearer {matrix.revoked}"},
        "malformed header": {"Authorization": "Token abc"},
        "bearer without a token": {"Authorization": "Bearer"},
    }
    wrong = []
    for call in CALLS:
        for name, headers in variants.items():
            response = await matrix.send(call, headers)
            if call.refused == PUBLIC:
                ok = response.status_code < 400
            else:
                ok = response.status_code == 401 and response.json()["error"] == "unauthenticated"
            if not ok:
                wrong.append(f"{call.method} {call.path} with {name}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


async def test_each_identity_is_let_through_or_refused_as_the_table_says(
    matrix: Matrix,
) -> None:
    wrong = []
    cells = 0
    for call in CALLS:
        if call.refused == PUBLIC:
            continue
        for identity in ORDER:
            person = IDENTITIES[identity]
            response = await matrix.send(call, matrix.bearer(identity), person)
            cells += 1
            status = response.status_code
            if identity in call.refused:
                ok = status == 403 and bool(response.json().get("missing_role"))
            elif identity in call.hidden:
                ok = status == 404
            else:
                ok = status not in (401, 403) and status < 500
            if not ok:
                wrong.append(f"{call.method} {call.path} as {identity}: {status} {response.text}")
    assert wrong == [], f"{len(wrong)} of {cells} cells differ:\n" + "\n".join(wrong)


async def test_another_persons_id_is_refused_unless_the_secretariat_asks(matrix: Matrix) -> None:
    wrong = []
    for call in CALLS:
        if _shape(call.method, call.path) not in OWN_ONLY:
            continue
        for identity in ORDER:
            other = "fp-gov-estavia"  # someone none of the identities is
            response = await matrix.send(call, matrix.bearer(identity), other)
            expected_refusal = identity != "secretariat"
            status = response.status_code
            ok = status == 403 if expected_refusal else status not in (401, 403) and status < 500
            if not ok:
                wrong.append(f"{call.method} {call.path} as {identity} for {other}: {status}")
    assert wrong == [], "\n".join(wrong)
