"""The benchmark's activity memory instrumentation (bench/activity_memory.py) counts every call
of each activity and writes what it measured (its figures are never asserted: they are the
machine's)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from bench.activity_memory import ActivityMemory, table
from bench.workflows import OneActivityWorkflow, noop
from tests.conftest import TEST_SERVER

pytestmark = pytest.mark.temporal


async def test_each_activity_call_is_counted_and_written(tmp_path: Path) -> None:
    memory = ActivityMemory()
    env = await WorkflowEnvironment.start_time_skipping(test_server_existing_path=str(TEST_SERVER))
    try:
        async with Worker(
            env.client,
            task_queue="activity-memory",
            workflows=[OneActivityWorkflow],
            activities=[noop],
            interceptors=[memory],
        ):
            for k in range(3):
                assert (
                    await env.client.execute_workflow(
                        OneActivityWorkflow.run,
                        k,
                        id=f"activity-memory-{uuid.uuid4()}",
                        task_queue="activity-memory",
                    )
                    == k
                )
    finally:
        await env.shutdown()
    written = memory.write(tmp_path, "activities", 1)
    doc = json.loads(written.read_text(encoding="utf-8"))
    assert written.name == "activity-memory-activities-1.json"
    assert doc["activities"]["bench-noop"]["calls"] == 3
    assert doc["start_hwm_mib"] > 0
    assert doc["end_hwm_mib"] >= doc["start_hwm_mib"]
    assert "| bench-noop | 3 |" in table(written)
