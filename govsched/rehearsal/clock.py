"""Scenario time on the time-skipping test server.

The server's clock starts at the machine's current time and only moves forward, so scenario
time is server time plus a fixed offset chosen at the start. The server skips time only when no
workflow task or activity is outstanding; while work is in hand its clock runs at the real pace
(a few milliseconds per step), which is why workflows record the instants they meant, never the
instant a timer fired.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from temporalio.api.testservice.v1 import SleepRequest
from temporalio.testing import WorkflowEnvironment

# Skipping waits for work in hand; a cycle of 20,000 members can hold the clock for minutes.
SKIP_RPC_TIMEOUT = timedelta(hours=2)


class ScenarioClock:
    def __init__(self, env: WorkflowEnvironment, offset: timedelta) -> None:
        self._env = env
        self.offset = offset

    @classmethod
    async def starting_at(cls, env: WorkflowEnvironment, start: datetime) -> ScenarioClock:
        return cls(env, start - await env.get_current_time())

    async def now(self) -> datetime:
        return (await self._env.get_current_time()).astimezone(UTC) + self.offset

    async def advance_to(self, instant: datetime) -> None:
        """Let every timer up to `instant` fire (no-op if scenario time is already there)."""
        remaining = instant - await self.now()
        if remaining <= timedelta(0):
            return
        request = SleepRequest()
        request.duration.FromTimedelta(remaining)
        await self._env.client.test_service.unlock_time_skipping_with_sleep(
            request, timeout=SKIP_RPC_TIMEOUT
        )
