"""Several worker processes on one cluster share the work; every change is applied once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from governance.registry.changes import AddPerson
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import registry as registry_service
from tests.helpers import change

QUEUE = "several-workers"


def _worker_process(
    address: str, database_url: str, queue: str, role: str
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSCHED_")}
    env.update(
        GOVSCHED_TEMPORAL_ADDRESS=address,
        GOVSCHED_DATABASE_URL=database_url,
        GOVSCHED_TASK_QUEUE=queue,
        GOVSCHED_WORKER_ROLE=role,
    )
    return subprocess.Popen([str(Path(sys.executable).parent / "govsched"), "worker"], env=env)


# Two processes that each run everything, or one for workflows and one for activities.
@pytest.mark.parametrize("roles", [("all", "all"), ("workflows", "activities")])
async def test_two_worker_processes_apply_forty_concurrent_changes_once_each(
    local_env: WorkflowEnvironment, lane_db: Database, lane_url: str, roles: tuple[str, str]
) -> None:
    client = local_env.client
    queue = f"{QUEUE}-{'-'.join(roles)}"
    address = client.service_client.config.target_host
    people = [
        AddPerson(id=f"p-{i:02d}", name=f"Person {i}", email=f"p{i}@example.org") for i in range(40)
    ]
    changes = [change(person, key=f"{queue}-{person.id}") for person in people]
    workers = [_worker_process(address, lane_url, queue, role) for role in roles]
    try:
        outcomes = await asyncio.wait_for(
            asyncio.gather(
                *(registry_service.submit(client, c, queue) for c in changes),
                *(registry_service.submit(client, c, queue) for c in changes[:10]),
            ),
            timeout=120,
        )
    finally:
        for process in workers:
            process.send_signal(signal.SIGTERM)
        codes = [process.wait(timeout=60) for process in workers]

    assert codes == [0, 0]
    assert all(outcome.applied is not None for outcome in outcomes)
    with lane_db.reading() as session:
        assert len(registry_repo.list_people(session)) == 40
        added = [e for e in audit_repo.entries(session) if e.action == "person.added"]
    assert sorted(e.item_id for e in added) == [p.id for p in people]
