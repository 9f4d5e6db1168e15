"""`govsched worker` with every activity's start-to-close timeout cut to a few seconds.

A SIGKILLed worker's activity is retried only when its start-to-close timeout expires (60 s for
store activities, 120 s for notifications): that wait is the real recovery time, which the full
run (`make chaos`) measures with the shipped `govsched worker`. The short subset in `make test`
compresses that clock, and nothing else: the same workflows, activities, notifier and settings,
with only the timeouts in the commands the workflows issue shortened by an interceptor.
"""

from __future__ import annotations

import asyncio
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from temporalio.worker import (
    Interceptor,
    StartActivityInput,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
    WorkflowOutboundInterceptor,
)

from govsched.config import Settings
from govsched.persistence.db import Database
from govsched.services.rulebooks import load_rulebook_spec
from worker import (
    ACTIVITY_THREADS,
    build_worker,
    connect_waiting,
    notifier_for,
    start_seeded_processes,
)

# Long enough for any activity of the chaos workload without a Slack storm (the storm runs the
# shipped worker), and for a post, which needs the request timeout (2 s in the chaos settings)
# plus 5 s left in its attempt; far shorter than the shipped 60 s (store) and 120 s (notify).
COMPRESSED_TIMEOUT = timedelta(seconds=10)


class _Outbound(WorkflowOutboundInterceptor):
    def start_activity(self, input: StartActivityInput) -> Any:
        timeout = input.start_to_close_timeout
        if timeout is not None and timeout < timedelta(minutes=10):
            input.start_to_close_timeout = min(timeout, COMPRESSED_TIMEOUT)
        return super().start_activity(input)


class _Inbound(WorkflowInboundInterceptor):
    def init(self, outbound: WorkflowOutboundInterceptor) -> None:
        super().init(_Outbound(outbound))


class CompressedTimeouts(Interceptor):
    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor] | None:
        return _Inbound


async def _run(settings: Settings) -> None:
    rulebook = load_rulebook_spec(settings.rulebook)
    db = Database.from_url(settings.database_url)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    client = await connect_waiting(settings, stop)
    if client is None:
        return
    with ThreadPoolExecutor(ACTIVITY_THREADS, thread_name_prefix="activity") as executor:
        notifier = notifier_for(settings, db, rulebook)
        worker = build_worker(
            client,
            db,
            rulebook,
            notifier,
            settings.task_queue,
            executor,
            ACTIVITY_THREADS,
            interceptors=[CompressedTimeouts()],
        )
        async with worker:
            await start_seeded_processes(client, db, rulebook, settings.task_queue, stop)
            await stop.wait()
    db.dispose()


def main() -> None:
    asyncio.run(_run(Settings()))
    os._exit(0)


if __name__ == "__main__":
    main()
