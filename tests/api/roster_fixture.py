"""A dev server of its own, the real worker, the API over HTTP, and a roster drawn today.

The roster is drawn 90 days before the plenary and deferrals may be asked for 21 days more, so
the fixture schedules a plenary 80 days from today: on the dev server's real clock its roster
is drawn at once and its deferral window is open. The server is the module's own because
roster workflow ids name the plenary's year, which other modules schedule too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from governance.registry.changes import RegistryCommand
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.repos import api_tokens as token_repo
from govsched.rehearsal.demo_registry import demo_registry
from tests.api.app_helpers import eventually
from tests.api.conftest import serving
from tests.conftest import lane_database, start_environment
from tests.helpers import running_worker
from tests.today import now, today

SECRETARIAT = "sec-amina-okafor"
CHAIR = "fp-gov-norland"
GUEST = "guest-roster"


class Roster:
    """An API whose registry holds the demo members and people, and one plenary ahead."""

    def __init__(self, base_url: str, db: Database, settings: Settings, year: int) -> None:
        self.base_url = base_url
        self.db = db
        # how the command line reaches the same database, Temporal and task queue
        self.settings = settings
        self.tokens: dict[str, str] = {}
        self.year = year
        # the forecast as read before the plenary was scheduled
        self.unscheduled_forecast: list[dict[str, Any]] = []

    def token_for(self, person: str) -> str:
        if person not in self.tokens:
            with self.db.writing() as session:
                self.tokens[person] = token_repo.issue(session, person, datetime.now(UTC), "t")
        return self.tokens[person]

    async def call(
        self, method: str, person: str | None, path: str, body: Any = None, **params: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token_for(person)}"} if person else {}
        async with httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=60) as c:
            return await c.request(method, path, json=body, params=params)

    async def document(self) -> dict[str, Any]:
        response = await self.call("GET", SECRETARIAT, f"/rosters/{self.year}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def _seeded(url: str) -> Database:
    upgrade(url)
    db = Database.from_url(url)
    demo = demo_registry()
    commands: list[RegistryCommand] = [*demo.members, *demo.people, *demo.chair_terms]
    with db.writing() as session:
        seed(session, commands, now(), Rulebook(), demo.seats)
    return db


@pytest_asyncio.fixture(scope="module")
async def roster(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Roster]:
    url = lane_database(tmp_path_factory.mktemp("rosters"))
    db = _seeded(url)
    env = await start_environment("local")
    starts = today() + timedelta(days=80)
    try:
        async with running_worker(env.client, db) as queue:
            target = env.client.service_client.config.target_host
            settings = Settings(database_url=url, task_queue=queue, temporal_address=target)
            app = create_app(settings, db=db, temporal=env.client, run_scheduler=False)
            async with serving(app) as base_url:
                api = Roster(base_url, db, settings, starts.year)
                forecast = await api.call("GET", SECRETARIAT, "/rosters/forecast", years=2)
                assert forecast.status_code == 200, forecast.text
                api.unscheduled_forecast = forecast.json()
                plenary = {
                    "year": starts.year,
                    "starts": starts.isoformat(),
                    "ends": (starts + timedelta(days=3)).isoformat(),
                    "location": "Norland Harbour",
                    "host": "gov-norland",
                }
                created = await api.call("POST", SECRETARIAT, "/plenaries", plenary)
                assert created.status_code == 201, created.text
                drawn = await eventually(
                    lambda: api.call("GET", SECRETARIAT, f"/rosters/{starts.year}"),
                    lambda r: r.status_code == 200,
                )
                assert drawn.status_code == 200, drawn.text
                yield api
    finally:
        await env.shutdown()
        db.dispose()
