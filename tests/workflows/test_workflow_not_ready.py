"""A workflow whose task failed cannot take an update until the server tries the task again:
Temporal answers "workflow not ready". Under load a submission met it (a first task that missed
the SDK's deadlock limit, issue 21); it is a call to repeat shortly with its key, a 503 with
Retry-After, never a 500. Shown with the real server's answer, from a workflow whose every task
fails."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from temporalio import workflow
from temporalio.client import WithStartWorkflowOperation, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from govsched.http import errors
from govsched.temporal.client import unreachable


@workflow.defn(name="TaskAlwaysFails", sandboxed=False)
class TaskAlwaysFails:
    @workflow.run
    async def run(self) -> None:
        # not a Temporal failure: the SDK fails the task, and the server retries it
        raise RuntimeError("a task that never completes")

    @workflow.update
    async def answer(self) -> str:
        return "answered"


async def _refused_updates(env: WorkflowEnvironment) -> tuple[RPCError, RPCError]:
    queue = f"not-ready-{uuid.uuid4().hex[:8]}"
    async with Worker(env.client, task_queue=queue, workflows=[TaskAlwaysFails]):
        handle: WorkflowHandle[TaskAlwaysFails, None] = await env.client.start_workflow(
            TaskAlwaysFails.run, id=f"not-ready-{queue}", task_queue=queue
        )
        # the first task has failed once the history says so
        async for event in handle.fetch_history_events(wait_new_event=True):
            if event.HasField("workflow_task_failed_event_attributes"):
                break
        with pytest.raises(RPCError) as refused:
            await handle.execute_update(TaskAlwaysFails.answer)
        operation = WithStartWorkflowOperation(
            TaskAlwaysFails.run,
            id=handle.id,
            task_queue=queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        with pytest.raises(RPCError) as refused_with_start:
            await env.client.execute_update_with_start_workflow(
                TaskAlwaysFails.answer, start_workflow_operation=operation
            )
        # the start operation holds the same refusal: collected, as the service does
        with pytest.raises(RPCError):
            await operation.workflow_handle()
        await handle.terminate()
    return refused.value, refused_with_start.value


async def test_an_update_to_a_workflow_whose_task_failed_is_a_call_to_repeat(
    local_env: WorkflowEnvironment,
) -> None:
    refused, refused_with_start = await _refused_updates(local_env)
    assert "failed state" in refused.message
    assert unreachable(refused)
    # a submission's update-with-start: the same refusal inside the server's multi-operation
    assert unreachable(refused_with_start)

    app = FastAPI()
    errors.install(app)

    @app.post("/changes")
    async def change() -> None:
        raise refused

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.post("/changes")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert answer.json()["error"] == "unavailable"
