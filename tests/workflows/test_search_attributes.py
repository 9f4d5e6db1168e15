"""The Temporal UI lists applications by state and processes by year (issue 18): each workflow
shows its search attributes, on both servers, and the dev server lists by them."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.testing import WorkflowEnvironment

from governance.applications import requests as req
from governance.applications.contracts import application_workflow_id
from governance.applications.model import ApplicationState
from governance.registry.changes import AddMember, AddPerson
from governance.rulebook.model import Rulebook
from governance.year.contracts import WakeYear
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.services.applications import ApplicationService
from govsched.temporal.starters import wake_cycle, wake_handovers, wake_year
from tests.helpers import T0, running_worker
from tests.today import now
from workflows.base.search import APPLICATION_STATE, YEAR

DEADLINE = 30.0
T = TypeVar("T", str, int)


async def _shown(client: Client, workflow_id: str, key: SearchAttributeKey[T]) -> T | None:
    description = await client.get_workflow_handle(workflow_id).describe()
    return description.typed_search_attributes.get(key)


async def _eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait for a condition with a deadline (visibility is eventually consistent)."""
    loop = asyncio.get_running_loop()
    ends = loop.time() + DEADLINE
    while not await check():
        if loop.time() > ends:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.2)


async def _listed(client: Client, query: str) -> set[str]:
    return {w.id async for w in client.list_workflows(query)}


def _seeded(db: Database) -> None:
    with db.writing() as session:
        seed(
            session,
            [
                AddMember(id="gov-n", name="Government of N", pillar="government", country="N"),
                AddPerson(id="sec", name="Amina", email="sec@example.org", roles=["secretariat"]),
            ],
            T0,
            Rulebook(),
        )


async def test_an_application_shows_its_state_as_it_moves(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    _seeded(lane_db)
    client = workflow_env.client
    async with running_worker(client, lane_db) as queue:
        service = ApplicationService(client, lane_db, Rulebook(), queue)
        application = f"app-sa-{uuid.uuid4().hex[:8]}"
        submission = req.SubmitApplication(
            id=application,
            organisation="Government of Oslandia",
            pillar="government",
            country="Oslandia",
            contact_email="apply@oslandia.example",
            statement="We apply to join.",
        )
        await service.submit(submission, None, now())
        workflow_id = application_workflow_id(application)
        assert await _shown(client, workflow_id, APPLICATION_STATE) == (
            ApplicationState.AWAITING_CHECK.value
        )
        await service.perform(req.MarkComplete(application=application, by="sec"), now())
        assert await _shown(client, workflow_id, APPLICATION_STATE) == (
            ApplicationState.COMPLETE.value
        )
        if workflow_env.supports_time_skipping:
            return  # the test server cannot list workflows; the rest is the dev server's
        query = f"GovschedApplicationState = 'complete' AND WorkflowId = '{workflow_id}'"

        async def listed() -> bool:
            return await _listed(client, query) == {workflow_id}

        await _eventually(listed, f"{workflow_id} listed as complete")
        await client.get_workflow_handle(workflow_id).terminate("test over")


async def test_the_year_handovers_and_cycles_show_their_year(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    client = workflow_env.client
    # the instant the API would pass: the injected today's
    at = now()
    # a year of its own: the server is shared by the session, and these ids are per year
    year = random.Random(uuid.uuid4().int).randrange(2150, 2199)
    async with running_worker(client, lane_db) as queue:
        order = WakeYear(workflow_id=f"governance-year-{uuid.uuid4().hex[:8]}", at=at)
        await wake_year(client, queue, order, year)
        handovers = await wake_handovers(client, queue, [year], timedelta(0))
        cycle = await wake_cycle(client, queue, year)
        ids = [order.workflow_id, *handovers, cycle]
        for workflow_id in ids:

            async def shown(workflow_id: str = workflow_id) -> bool:
                return await _shown(client, workflow_id, YEAR) == year

            await _eventually(shown, f"{workflow_id} shows {year}")
        if not workflow_env.supports_time_skipping:

            async def listed() -> bool:
                return set(ids) <= await _listed(client, f"GovschedYear = {year}")

            await _eventually(listed, f"every process of {year} listed")
        await client.get_workflow_handle(order.workflow_id).terminate("test over")
