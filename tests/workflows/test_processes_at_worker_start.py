"""Processes a starting worker sets going carry the instants of the records, not its own."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar, cast

import pytest
from sqlalchemy.exc import OperationalError
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from governance.applications.contracts import EngagedInput
from governance.kernel.model import MemberStatus, Pillar
from governance.registry.changes import AddMember, SchedulePlenary
from governance.roster.contracts import RosterInput
from governance.rulebook.model import Rulebook
from govsched import worker
from govsched.config import Settings
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.services.applications import ApplicationService
from govsched.services.roster import RosterService
from govsched.temporal.client import connect as service_connect
from tests.chaos.processes import ChaosStack

T = TypeVar("T")
SCHEDULED = datetime(2026, 6, 1, 12, tzinfo=UTC)


async def _started_with(client: Client, workflow_id: str, input_type: type[T]) -> T:
    """The input a workflow was started with; the workflow is then ended (no worker runs it)."""
    handle = client.get_workflow_handle(workflow_id)
    try:
        history = await handle.fetch_history()
        payloads = history.events[0].workflow_execution_started_event_attributes.input.payloads
        [value] = await client.data_converter.decode(payloads, [input_type])
    finally:
        await handle.terminate("test over")
    assert isinstance(value, input_type)
    return value


async def test_a_roster_started_by_a_later_worker_keeps_the_instant_its_plenary_was_scheduled(
    local_env: WorkflowEnvironment, lane_db: Database
) -> None:
    # A plenary scheduled at SCHEDULED whose roster never started: the worker that ran the
    # registry change died first. The worker started later must not announce another seed.
    # (A year no other test schedules: the dev server is shared by the test process, and the
    # authorization matrix's plenary of 2101 starts a roster of that id.)
    with lane_db.writing() as session:
        seed(
            session,
            [
                AddMember(id="gov-a", name="Government A", pillar=Pillar.GOVERNMENT, country="A"),
                SchedulePlenary(
                    year=2163, starts=date(2163, 3, 10), ends=date(2163, 3, 13), location="A"
                ),
            ],
            SCHEDULED,
            Rulebook(),
        )
    queue = f"roster-start-{uuid.uuid4().hex[:8]}"  # no worker: the start is all we look at
    service = RosterService(local_env.client, lane_db, Rulebook(), queue)
    started = await service.ensure_rosters(SCHEDULED + timedelta(days=3))
    assert started == ["roster-plenary-2163"]
    roster = await _started_with(local_env.client, "roster-plenary-2163", RosterInput)
    assert roster.scheduled_at == SCHEDULED


async def test_an_engaged_period_started_by_a_later_worker_counts_from_when_it_was_recorded(
    local_env: WorkflowEnvironment, lane_db: Database
) -> None:
    # An Engaged member recorded at SCHEDULED whose period never started (the worker died
    # first): the worker started three days later tracks it from SCHEDULED, as an undisturbed
    # run would have.
    member = f"ngo-{uuid.uuid4().hex[:8]}"
    with lane_db.writing() as session:
        engaged = AddMember(
            id=member,
            name="Civic Watch",
            pillar=Pillar.NGO,
            country="A",
            status=MemberStatus.ENGAGED,
            joined=date(2100, 12, 1),
        )
        seed(session, [engaged], SCHEDULED, Rulebook())
    queue = f"engaged-start-{uuid.uuid4().hex[:8]}"  # no worker: the start is all we look at
    service = ApplicationService(local_env.client, lane_db, Rulebook(), queue)
    started = await service.ensure_engaged_periods(SCHEDULED + timedelta(days=3))
    assert started == [f"engaged-{member}"]
    period = await _started_with(local_env.client, f"engaged-{member}", EngagedInput)
    assert period.started_at == SCHEDULED


async def test_a_starting_worker_waits_out_a_lost_database_connection(
    monkeypatch: pytest.MonkeyPatch, lane_db: Database
) -> None:
    # The PostgreSQL connection dropped under the worker's first queries: the worker used to
    # exit with the error. Now it tries again and carries on.
    attempts: list[datetime] = []

    async def flaky(*_args: object) -> list[str]:
        attempts.append(datetime.now(UTC))
        if len(attempts) < 3:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return ["roster-plenary-2101"]

    monkeypatch.setattr(worker, "ensure_processes", flaky)
    started = await worker.start_seeded_processes(
        cast(Client, None), lane_db, Rulebook(), "queue", asyncio.Event(), first_delay=0.01
    )
    assert started == ["roster-plenary-2101"]
    assert len(attempts) == 3


async def test_a_worker_told_to_stop_gives_up_waiting_for_the_database(
    monkeypatch: pytest.MonkeyPatch, lane_db: Database
) -> None:
    async def down(*_args: object) -> list[str]:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(worker, "ensure_processes", down)
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.2, stop.set)
    started = await asyncio.wait_for(
        worker.start_seeded_processes(cast(Client, None), lane_db, Rulebook(), "q", stop), 5
    )
    assert started == []


async def test_any_other_failure_at_start_still_stops_the_worker(
    monkeypatch: pytest.MonkeyPatch, lane_db: Database
) -> None:
    async def broken(*_args: object) -> list[str]:
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(worker, "ensure_processes", broken)
    with pytest.raises(ValueError, match="a bug"):
        await worker.start_seeded_processes(
            cast(Client, None), lane_db, Rulebook(), "q", asyncio.Event()
        )


async def test_a_worker_started_while_temporal_is_down_waits_for_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Seen in the Temporal-restart experiment: a worker that started while the server was
    # down exited at once. The stack restarts both (issue 17); the worker now waits.
    server = ChaosStack(tmp_path, slack_url="http://unused")
    tries: list[float] = []
    real_connect = service_connect

    async def counted(settings: Settings) -> Client:
        tries.append(time.monotonic())
        return await real_connect(settings)

    monkeypatch.setattr(worker, "connect", counted)
    waiting = asyncio.create_task(worker.connect_waiting(server.settings, asyncio.Event(), 0.2))
    try:
        while len(tries) < 2:  # refused at least once, then tried again
            assert not waiting.done(), waiting
            await asyncio.sleep(0.05)
        server.start_temporal()
        client = await asyncio.wait_for(waiting, 120)
        assert client is not None
        assert (await client.count_workflows()).count == 0
    finally:
        server.stop()


async def test_a_worker_told_to_stop_gives_up_waiting_for_temporal(tmp_path: Path) -> None:
    nowhere = ChaosStack(tmp_path, slack_url="http://unused").settings
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.3, stop.set)
    assert await asyncio.wait_for(worker.connect_waiting(nowhere, stop, 0.1), 30) is None
