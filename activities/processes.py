"""Starting the processes that outlive the workflow which decides they should exist."""

from __future__ import annotations

from temporalio import activity
from temporalio.client import Client

from governance.kernel.contracts import SignalProcess, StartProcess
from govsched.temporal.starters import signal_if_running, start_once


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
