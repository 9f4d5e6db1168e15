"""Starting the processes that outlive the workflow which decides they should exist."""

from __future__ import annotations

from typing import Any

from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from governance.kernel.contracts import SignalProcess, StartProcess


async def start_once(
    client: Client, workflow: str, arg: Any, workflow_id: str, task_queue: str
) -> bool:
    """Start the workflow unless one with this id exists or existed (then False)."""
    try:
        await client.start_workflow(
            workflow,
            arg,
            id=workflow_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        return False
    return True


async def signal_if_running(client: Client, order: SignalProcess) -> bool:
    """Signal the workflow; False if it is not running (ended, or never started)."""
    handle = client.get_workflow_handle(order.workflow_id)
    args = [] if order.arg is None else [order.arg]
    try:
        await handle.signal(order.signal, *args)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


class ProcessActivities:
    def __init__(self, client: Client, task_queue: str) -> None:
        self._client = client
        self._task_queue = task_queue

    @activity.defn(name="start-process")
    async def start(self, order: StartProcess) -> bool:
        """Start the workflow once: False if a workflow with this id exists or existed."""
        started = await start_once(
            self._client, order.workflow, order.arg, order.workflow_id, self._task_queue
        )
        if not started:
            activity.logger.info("%s is already under way (or was)", order.workflow_id)
        return started

    @activity.defn(name="signal-process")
    async def signal(self, order: SignalProcess) -> bool:
        """Signal the process if it is running: False (and nothing done) if it is not."""
        return await signal_if_running(self._client, order)
