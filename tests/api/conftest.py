"""The API served by uvicorn on a free port, with the real worker on the local dev server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
import uvicorn
from fastapi import FastAPI
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.repos import api_tokens as token_repo
from govsched.rehearsal.demo_registry import demo_registry
from tests.conftest import copy_of_sqlite_template, lane_database
from tests.helpers import running_worker
from tests.today import now

SECRETARIAT = "sec-amina-okafor"
FOCAL_POINT = "fp-co-aurum-mining"
CHAIR = "fp-gov-norland"
PEOPLE = (SECRETARIAT, FOCAL_POINT, CHAIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Api:
    base_url: str
    db: Database
    tokens: dict[str, str]
    temporal: Client

    def client(self, person: str | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.tokens[person]}"} if person else {}
        return httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=60)


def seeded_database(directory: Path, today: date | None = None) -> tuple[str, Database]:
    """The demo registry: with its fixed dates (2026-2027), or placed around `today` for tests
    whose expectations depend on the day they run (seeded afresh: its instants are today's)."""
    url = lane_database(directory)
    if today is None and url.startswith("sqlite:///"):
        copy_of_sqlite_template(url, "demo", _seed_demo)
    else:
        _seed_demo(url, today)
    return url, Database.from_url(url)


def _seed_demo(url: str, today: date | None = None) -> None:
    upgrade(url)
    db = Database.from_url(url)
    demo = demo_registry(today)
    at = datetime(2026, 11, 1, tzinfo=UTC) if today is None else now()
    try:
        with db.writing() as session:
            seed(session, demo.commands(), at, Rulebook(), demo.seats)
    finally:
        db.dispose()


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """Serve `app` over real HTTP on a free port; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest_asyncio.fixture(scope="module")
async def api(
    local_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Api]:
    async with serving_api(local_env, tmp_path_factory.mktemp("api")) as served:
        yield served


@asynccontextmanager
async def serving_api(
    local_env: WorkflowEnvironment, directory: Path, today: date | None = None
) -> AsyncIterator[Api]:
    """The API over HTTP with the real worker, on the demo registry (see seeded_database)."""
    url, db = seeded_database(directory, today)
    with db.writing() as session:
        tokens = {p: token_repo.issue(session, p, datetime.now(UTC), "test") for p in PEOPLE}
    async with running_worker(local_env.client, db) as queue:
        settings = Settings(database_url=url, task_queue=queue, id_secret="api tests")
        app = create_app(settings, db=db, temporal=local_env.client, run_scheduler=False)
        async with serving(app) as base_url:
            yield Api(base_url, db, tokens, local_env.client)
    db.dispose()
