"""Waiting until every workflow of the rehearsal has finished the work in hand.

The test server shows pending activities but not pending workflow tasks, and cannot list
workflows, so the tracker follows the workflows it was told about, and those their histories
started (as children or through the `start-process` activity), reading each one's history: a
workflow is settled when no activity is pending and no workflow task was scheduled after its
last completed one. A history is re-read only if it grew since the
workflow was last seen settled, so settling costs little when little happened.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

START_PROCESS = "start-process"
WAKE_YEAR = "wake-governance-year"
SETTLE_TIMEOUT_SECONDS = 600.0
_POLL_SECONDS = 0.02
_TASK_EVENTS = {
    EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED: True,
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: True,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: False,
    EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED: True,
    EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT: True,
}


class RehearsalStuck(Exception):
    """Some workflow kept working (or kept failing) past the settle timeout."""


class WorkflowTracker:
    def __init__(self, client: Client) -> None:
        self._client = client
        self._open: set[str] = set()
        self._settled_at_length: dict[str, int] = {}
        self._seen: set[str] = set()

    def track(self, workflow_id: str) -> None:
        if workflow_id not in self._seen:
            self._seen.add(workflow_id)
            self._open.add(workflow_id)

    def _track_children(self, events: Iterable[HistoryEvent]) -> None:
        """Follow the workflows a history started: as children, through `start-process`, or by
        waking the governance year and the Chair handovers."""
        child = EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED
        activity = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        completed = EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
        wakes: set[int] = set()
        for event in events:
            if event.event_type == child:
                attributes = event.start_child_workflow_execution_initiated_event_attributes
                self.track(attributes.workflow_id)
            elif event.event_type == activity:
                scheduled = event.activity_task_scheduled_event_attributes
                if scheduled.activity_type.name in (START_PROCESS, WAKE_YEAR):
                    order = json.loads(scheduled.input.payloads[0].data)
                    self.track(order["workflow_id"])
                if scheduled.activity_type.name == WAKE_YEAR:
                    wakes.add(event.event_id)
            elif event.event_type == completed:
                # waking the year also wakes (or starts) the Chair handovers it names
                done = event.activity_task_completed_event_attributes
                if done.scheduled_event_id in wakes and done.result.payloads:
                    for workflow_id in json.loads(done.result.payloads[0].data) or ():
                        self.track(workflow_id)

    @property
    def open_workflows(self) -> frozenset[str]:
        return frozenset(self._open)

    @property
    def all_workflows(self) -> frozenset[str]:
        """Every workflow of the rehearsal, running or not."""
        return frozenset(self._seen)

    async def _busy(self, workflow_id: str) -> bool:
        handle = self._client.get_workflow_handle(workflow_id)
        try:
            description = await handle.describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return True  # its start-process activity is still running
            raise
        if description.status != WorkflowExecutionStatus.RUNNING:
            # A workflow may start a child and end before it was seen running: read it once.
            self._track_children((await handle.fetch_history()).events)
            self._open.discard(workflow_id)
            return False
        raw = description.raw_description
        for child in raw.pending_children:
            self.track(child.workflow_id)
        if raw.pending_activities:
            return True
        length = raw.workflow_execution_info.history_length
        if self._settled_at_length.get(workflow_id) == length:
            return False
        history = await handle.fetch_history()
        self._track_children(history.events)
        outstanding = False
        for event in history.events:
            outstanding = _TASK_EVENTS.get(event.event_type, outstanding)
        if not outstanding:
            self._settled_at_length[workflow_id] = length
        return outstanding

    async def settle(self, give_up_after: float = SETTLE_TIMEOUT_SECONDS) -> None:
        deadline = time.monotonic() + give_up_after
        while True:
            checked = frozenset(self._open)
            busy = [wid for wid in sorted(checked) if await self._busy(wid)]
            # Children found during this pass have not been checked yet.
            if not busy and self._open <= checked:
                return
            if time.monotonic() > deadline:
                raise RehearsalStuck(
                    f"still working after {give_up_after:.0f}s: {', '.join(busy[:5])}; "
                    "a workflow task may be failing (see the worker log)"
                )
            await asyncio.sleep(_POLL_SECONDS)
