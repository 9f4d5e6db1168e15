"""Activities faked under their real Temporal names, for workflow tests of their own.

A workflow names its activities by their Temporal names; a fake registered under the same name
stands in for the real one, so the workflow runs unchanged while the test scripts what each
activity answers and records, in order, what the workflow asked. No database, no notifier.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from temporalio import activity
from temporalio.client import Client
from temporalio.worker import Worker

from governance.kernel.audit import AuditEntry
from governance.kernel.notices import Notification, channel_notice
from governance.rulebook.model import NotificationKind
from govsched.notify.delivery import DeliveryReceipt
from workflows.base.sandbox import workflow_runner

DEADLINE = 60.0


class Calls:
    """What the workflow asked of its activities, in order: (Temporal name, payload)."""

    def __init__(self) -> None:
        self.made: list[tuple[str, Any]] = []
        self.delivered: list[Notification] = []

    def record(self, name: str, payload: Any) -> None:
        self.made.append((name, payload))

    def names(self) -> list[str]:
        return [name for name, _ in self.made]

    def of(self, name: str) -> list[Any]:
        return [payload for made, payload in self.made if made == name]

    @activity.defn(name="deliver-notification")
    async def deliver(self, notification: Notification) -> DeliveryReceipt:
        self.record("deliver-notification", notification)
        self.delivered.append(notification)
        return DeliveryReceipt(key=notification.key, status="sent")

    @activity.defn(name="record-audit-entry")
    async def record_audit(self, entry: AuditEntry) -> bool:
        self.record("record-audit-entry", entry)
        return True


def notice(item: str, at: datetime, text: str = "something is due") -> Notification:
    return channel_notice(NotificationKind.DEADLINE_REMINDER, "secretariat", item, 1, text, at)


async def eventually(check: Callable[[], bool], what: str) -> None:
    """Wait for a condition with a deadline: the workflow runs on its own worker."""
    loop = asyncio.get_running_loop()
    ends = loop.time() + DEADLINE
    while not check():
        if loop.time() > ends:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.05)


@asynccontextmanager
async def faked(
    client: Client, workflow: type, activities: Sequence[Callable[..., Any]]
) -> AsyncIterator[str]:
    """A worker running `workflow` with the fakes on a task queue of its own."""
    task_queue = f"fakes-{uuid.uuid4().hex}"
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=[workflow],
        activities=activities,
        workflow_runner=workflow_runner(),
    ):
        yield task_queue


def workflow_id(kind: str) -> str:
    """Each test its own id: the Temporal servers are shared by the session."""
    return f"{kind}-{uuid.uuid4().hex[:10]}"
