"""Waiting until the cluster has nothing in hand: no activity, no workflow task, anywhere."""

from __future__ import annotations

import asyncio
import time

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError


async def busy_workflows(client: Client) -> list[str]:
    """Running workflows with a pending activity or workflow task (described one by one)."""
    busy = []
    async for execution in client.list_workflows("ExecutionStatus='Running'"):
        described = await client.get_workflow_handle(execution.id).describe()
        raw = described.raw_description
        if raw.pending_activities or raw.HasField("pending_workflow_task"):
            busy.append(execution.id)
    return busy


async def failed_workflows(client: Client) -> list[str]:
    failed = []
    async for execution in client.list_workflows("ExecutionStatus!='Running'"):
        if execution.status not in (
            WorkflowExecutionStatus.COMPLETED,
            WorkflowExecutionStatus.CONTINUED_AS_NEW,
        ):
            failed.append(f"{execution.id}: {execution.status}")
    return failed


async def settle(client: Client, limit: float, quiet: float = 3.0) -> float:
    """The instant (time.monotonic) from which nothing was in hand for `quiet` seconds in a
    row; fails after `limit` seconds."""
    started = time.monotonic()
    calm_since: float | None = None
    while True:
        now = time.monotonic()
        try:
            busy = await busy_workflows(client)
        except RPCError:
            busy, calm_since = ["(Temporal unreachable)"], None
        if busy:
            calm_since = None
        elif calm_since is None:
            calm_since = now
        elif now - calm_since >= quiet:
            return calm_since
        if now - started > limit:
            raise AssertionError(f"not settled after {limit:.0f} s; still busy: {busy[:10]}")
        await asyncio.sleep(0.5)
