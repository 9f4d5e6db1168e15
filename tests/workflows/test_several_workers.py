"""Several worker processes on one cluster share the work; every change is applied once, and
every submission recorded once, by a local activity in the process that runs its workflow."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from governance.applications import requests as req
from governance.applications.contracts import application_workflow_id
from governance.applications.model import ApplicationState
from governance.registry.changes import AddPerson
from governance.rulebook.model import Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import registry as registry_service
from govsched.services.applications import ApplicationService
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
    applications = ApplicationService(client, lane_db, Rulebook(), queue)
    submissions = [
        req.SubmitApplication(
            id=f"app-{queue}-{i}",
            organisation=f"Applicant {i}",
            pillar="company",
            country="Norland",
            contact_email=f"applicant{i}@example.org",
            statement="We apply for Engaged membership.",
        )
        for i in range(5)
    ]
    workers = [_worker_process(address, lane_url, queue, role) for role in roles]
    try:
        outcomes = await asyncio.wait_for(
            asyncio.gather(
                *(registry_service.submit(client, c, queue) for c in changes),
                *(registry_service.submit(client, c, queue) for c in changes[:10]),
            ),
            timeout=120,
        )
        now = await local_env.get_current_time()
        submitted = await asyncio.wait_for(
            asyncio.gather(*(applications.submit(s, None, now) for s in submissions)),
            timeout=120,
        )
        histories = [
            await client.get_workflow_handle(application_workflow_id(r.id)).fetch_history()
            for r in submitted
        ]
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
    # each submission's step was written by a local activity, in the process with the workflow
    # (with the roles apart: the `workflows` worker, which polls for no activity task)
    assert all(r.state is ApplicationState.AWAITING_CHECK for r in submitted)
    for history in histories:
        markers = [
            e.marker_recorded_event_attributes
            for e in history.events
            if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
        ]
        local = [m for m in markers if m.marker_name == "core_local_activity"]
        assert len(local) == 1
        assert not local[0].HasField("failure")
        scheduled = [
            e.activity_task_scheduled_event_attributes.activity_type.name
            for e in history.events
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        ]
        assert "record-application-step" not in scheduled
    with lane_db.reading() as session:
        recorded = [e for e in audit_repo.entries(session) if e.action == "application.submitted"]
    assert sorted(e.item_id for e in recorded) == sorted(s.id or "" for s in submissions)
