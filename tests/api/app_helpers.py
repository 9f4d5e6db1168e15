"""Helpers for the application tests: more people with tokens, and driving an application."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import httpx

from governance.rulebook.model import Rulebook
from govsched.persistence.repos import api_tokens as token_repo
from govsched.services.applications import ApplicationService
from tests.api.conftest import Api
from tests.helpers import record_sitting_plenary as sitting_plenary
from tests.today import clock_offset, now
from tests.today import today as test_today

SECRETARIAT = "sec-amina-okafor"
CHAIR = "fp-gov-norland"
STEERING_COMMITTEE = tuple(
    f"fp-{member}"
    for member in (
        "gov-norland",
        "gov-estavia",
        "gov-korvania",
        "co-aurum-mining",
        "co-basalt-energy",
        "co-helios-resources",
        "ngo-rights-watch-collective",
        "ngo-fund-for-accountability",
        "ngo-justice-without-borders",
    )
)
# A Full member's focal point who is not on the Steering Committee.
OUTSIDER = "fp-gov-lusmark"
KESTREL = "fp-co-kestrel-resources"
# An observer's focal point: its member is Full while active, but never votes.
OBSERVER = "fp-obs-organisation-for-economic-dialogue"
CIVIC_SPACE = "fp-ngo-civic-space-trust"
# Added over the API with no role and no member: the only kind of person who holds neither
# the Secretariat nor the focal-point role (every demo person holds one).
GUEST = "guest-walk-in"
PEOPLE = (SECRETARIAT, *STEERING_COMMITTEE, OUTSIDER, KESTREL, CIVIC_SPACE, OBSERVER)


@dataclass
class People:
    """Tokens for every person the application tests act as."""

    api: Api
    tokens: dict[str, str]
    task_queue: str

    def client(self, person: str) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.tokens[person]}"}
        return httpx.AsyncClient(base_url=self.api.base_url, headers=headers, timeout=60)

    async def post(
        self, person: str, path: str, body: dict[str, Any] | None = None
    ) -> httpx.Response:
        async with self.client(person) as client:
            return await client.post(path, json=body if body is not None else {})

    async def get(self, person: str, path: str, **params: str) -> httpx.Response:
        async with self.client(person) as client:
            return await client.get(path, params=params)

    async def record(self, application_id: str) -> dict[str, Any]:
        """The application as the Secretariat reads it."""
        response = await self.get(SECRETARIAT, f"/applications/{application_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def issue_tokens(api: Api, people: Iterable[str]) -> dict[str, str]:
    now = datetime.now(UTC)
    with api.db.writing() as session:
        return {p: token_repo.issue(session, p, now, "test") for p in people}


async def add_guest(api: Api) -> str:
    """Add GUEST over the API; returns the worker's task queue (from the change's workflow)."""
    # a key of its own per call: the Temporal server is shared by the test modules of one
    # worker, and a reused workflow id would answer with another database's change
    key = f"add-guest-walk-in-{uuid4().hex[:12]}"
    person = {"id": GUEST, "name": "Walk-in Visitor", "email": "walk.in@visitor.example"}
    async with api.client(SECRETARIAT) as client:
        response = await client.post("/people", json=person, headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.text
    description = await api.temporal.get_workflow_handle(f"registry-change-{key}").describe()
    return description.task_queue


async def track_engaged_periods(api: Api, task_queue: str) -> None:
    """What the stack does when it starts: track every seeded Engaged member's period."""
    service = ApplicationService(api.temporal, api.db, Rulebook(), task_queue, clock_offset())
    await service.ensure_engaged_periods(now())


def record_sitting_plenary(api: Api) -> str:
    """A plenary in session today: plenary decisions are only taken while one sits."""
    return sitting_plenary(api.db, now())


def next_window(rulebook: Rulebook | None = None) -> date:
    """The next 31 March or 15 September, counted from today in the initiative's time zone."""
    rulebook = rulebook or Rulebook()
    today = test_today(rulebook)
    candidates = [
        date(y, m, d) for y in (today.year, today.year + 1) for m, d in ((3, 31), (9, 15))
    ]
    return min(c for c in candidates if c >= today)


def application_body(application_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": application_id,
        "organisation": f"Organisation {application_id}",
        "pillar": "company",
        "country": "Pelagonia",
        "contact_email": f"contact@{application_id}.example",
        "statement": "We commit to the Voluntary Principles and will report on them.",
        "documents": ["https://example.org/commitment.pdf"],
    }
    return {**body, **changes}


def fields(body: dict[str, Any]) -> set[str]:
    return {problem["field"] for problem in body["problems"]}


async def submit(people: People, application_id: str, **changes: Any) -> dict[str, Any]:
    response = await people.post(
        SECRETARIAT, "/applications", application_body(application_id, **changes)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def under_review(people: People, application_id: str, **changes: Any) -> dict[str, Any]:
    """Submit, mark complete and start the Steering Committee's review."""
    await submit(people, application_id, **changes)
    for step in ("mark-complete", "start-review"):
        response = await people.post(SECRETARIAT, f"/applications/{application_id}/{step}")
        assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["state"] == "under_review"
    return body


async def recommend_all(
    people: People, application_id: str, objecting: Iterable[str] = ()
) -> dict[str, Any]:
    """Every reviewer recommends (`objecting` ones object); returns the last answer."""
    against = set(objecting)
    body: dict[str, Any] = {}
    for person in STEERING_COMMITTEE:
        recommendation = "object" if person in against else "support"
        response = await people.post(
            person,
            f"/applications/{application_id}/recommend",
            {"recommendation": recommendation, "comment": f"{person} says {recommendation}"},
        )
        assert response.status_code == 200, response.text
        body = response.json()
    return body


async def eventually(
    fetch: Callable[[], Awaitable[httpx.Response]],
    ready: Callable[[httpx.Response], bool],
    within: float = 180.0,
) -> httpx.Response:
    """Poll `fetch` until `ready` (for what a workflow records after its caller was answered).
    `within` is a deadline, not a measure: a loaded machine (two test lanes and their servers on
    two cores) took over 30 s to start the demo's Engaged periods at the worker's start."""
    deadline = time.monotonic() + within
    while True:
        response = await fetch()
        if ready(response) or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.2)
