"""One chaos run: fresh stack, the workload, whatever disruption the experiment brings, settle,
snapshot. The same function gives the undisturbed baseline (no disruption)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.chaos.processes import ChaosStack
from tests.chaos.settle import failed_workflows, settle
from tests.chaos.slack_chaos import ChaosSlack
from tests.chaos.snapshot import Snapshot, problems, take
from tests.chaos.workload import FULL, SMALL, Workload, connect_retrying, drive, prepare

FULL_RUN = os.environ.get("GOVSCHED_CHAOS_FULL") == "1"
# Every random choice of an experiment comes from this seed (printed with its figures).
SEED = int(os.environ.get("GOVSCHED_CHAOS_SEED", "20261122"))
WORKLOAD: Workload = FULL if FULL_RUN else SMALL
# The subset in `make test` compresses activity timeouts when it kills workers (see
# compressed_worker.py); the full run uses the shipped worker and measures the real recovery.
COMPRESS_KILLS = not FULL_RUN
SETTLE_TIMEOUT = 900.0 if FULL_RUN else 120.0
# Per test, the session's baseline included (pytest-timeout's default of 300 s is too short
# for twenty kills that each wait out the shipped activity timeouts).
TEST_TIMEOUT = 3600 if FULL_RUN else 300


@dataclass
class Outcome:
    snapshot: Snapshot
    problems: list[str]
    failed: list[str]
    seconds: float  # from the first process started to the moment everything was calm
    figures: dict[str, object] = field(default_factory=dict)


# Runs alongside the workload; `done` is set once every command was accepted. Returns figures.
Disruption = Callable[
    [ChaosStack, ChaosSlack, asyncio.Event], Coroutine[Any, Any, dict[str, object]]
]


async def _nothing(
    _stack: ChaosStack, _slack: ChaosSlack, _done: asyncio.Event
) -> dict[str, object]:
    return {}


async def run(
    var_dir: Path,
    disrupt: Disruption = _nothing,
    database_url: str = "",
    prepare_slack: Callable[[ChaosSlack], None] | None = None,
    compressed: bool = False,
) -> Outcome:
    """Run the workload with `disrupt` going on alongside it, until everything settled."""
    slack = ChaosSlack()
    slack.start()
    stack = ChaosStack(var_dir, slack.base_url, database_url, compressed=compressed)
    started = time.monotonic()
    try:
        prepare(stack.settings, slack)
        if prepare_slack is not None:
            prepare_slack(slack)
        stack.start_temporal()
        client = await connect_retrying(stack.settings)
        stack.start_worker()
        done = asyncio.Event()
        chaos = asyncio.create_task(disrupt(stack, slack, done))
        watcher = asyncio.create_task(_watch(stack))

        async def work() -> tuple[dict[str, object], float]:
            await drive(
                stack.settings, client, WORKLOAD, lambda: settle(client, SETTLE_TIMEOUT, 1.0)
            )
            done.set()
            figures = await chaos
            return figures, await settle(client, SETTLE_TIMEOUT)

        figures, calm = await _unless_crashed(work(), watcher)
        stack.check_alive()
        # a post whose answer never reached the worker is found again by reading the history
        figures["history_reads"] = slack.calls("conversations.history")
        figures["updates_in_place"] = len(slack.arrivals("chat.update"))
        figures["failed_activity_attempts"] = _failed_attempts(var_dir)
        last = figures.pop("last_disruption_at", None)
        if isinstance(last, float):
            figures["seconds_from_last_disruption_to_calm"] = round(calm - last, 1)
        failed = await failed_workflows(client)
        slack.on_post = None
        outcome = Outcome(
            take(stack.database_url, slack),
            problems(stack.database_url, slack),
            failed,
            calm - started,
            figures,
        )
        return outcome

    finally:
        stack.stop()
        slack.stop()


async def _watch(stack: ChaosStack) -> None:
    while True:
        await asyncio.sleep(0.5)
        stack.check_alive()


async def _unless_crashed(
    work: Awaitable[tuple[dict[str, object], float]], watcher: asyncio.Task[None]
) -> tuple[dict[str, object], float]:
    """The work's result, or the watcher's error as soon as a part of the stack died."""
    task = asyncio.ensure_future(work)
    await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    if not task.done():
        task.cancel()
        watcher.result()
    watcher.cancel()
    return task.result()


def _failed_attempts(var_dir: Path) -> int:
    """Activity attempts that failed and were retried, as the workers logged them."""
    return sum(
        log.read_text(errors="replace").count("Completing activity as failed")
        for log in var_dir.glob("worker-*.log")
    )
