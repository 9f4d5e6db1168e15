"""Store activities are kept alive by their worker, so a dead worker's are retried at once.

Temporal cannot tell a dead worker from a slow one: an activity held by a worker that was killed
is retried only when its start-to-close timeout (a minute for a store activity) runs out, and a
person who repeated their request waits that long. Store activities are therefore scheduled with
a short heartbeat timeout (`KEEPALIVE_TIMEOUT`, workflows/base/keepalive.py), and while one runs its
worker heartbeats for it from the event loop, whatever the activity's thread is doing (waiting
on a database lock, say). A live worker keeps its activities; a dead one stops heartbeating and
the activity is retried elsewhere within seconds. Store activities are idempotent (their writes
carry keys), so an attempt that outlives its heartbeat is harmless. Notifications are not kept
alive this way: two attempts of a post at once could post twice (RELIABILITY.md, bug 3).

Activities that heartbeat themselves (with their place in a batch) use a longer heartbeat
timeout and are left alone: a heartbeat without their details would lose their place.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from temporalio import activity
from temporalio.worker import (
    ActivityInboundInterceptor,
    ActivityOutboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

KEEPALIVE_TIMEOUT = timedelta(seconds=3)
# Heartbeats go out this often (the worker's throttle is set to the same), well inside the
# timeout even on a loaded machine.
KEEPALIVE_EVERY = KEEPALIVE_TIMEOUT / 6


class _KeepAlive(ActivityInboundInterceptor):
    def init(self, outbound: ActivityOutboundInterceptor) -> None:
        self._outbound = outbound
        super().init(outbound)

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        if self._outbound.info().heartbeat_timeout != KEEPALIVE_TIMEOUT:
            return await super().execute_activity(input)
        beating = asyncio.create_task(self._beat())
        try:
            return await super().execute_activity(input)
        finally:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(KEEPALIVE_EVERY.total_seconds())
            self._outbound.heartbeat()


class KeepStoreActivitiesAlive(Interceptor):
    """The worker's side: heartbeat for each running store activity."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _KeepAlive(next)


@contextlib.contextmanager
def heartbeating_while_busy(every: timedelta) -> Iterator[None]:
    """Heartbeat from a side thread while one long computation holds a threaded activity (the
    peer-review solve at tens of thousands of members runs for minutes without a place to
    report): without it the activity's heartbeat timeout would cancel and retry the solve for
    ever. The heartbeats carry no details; the activities that use this keep no place in them."""
    stop = threading.Event()
    context = contextvars.copy_context()

    def beat() -> None:
        while not stop.wait(every.total_seconds()):
            context.run(activity.heartbeat)

    beating = threading.Thread(target=beat, name="heartbeat-while-busy", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()
