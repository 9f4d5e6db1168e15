"""What each experiment does to the running stack while the workload goes on."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import threading
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, text

from tests.chaos.processes import ChaosStack
from tests.chaos.slack_chaos import ChaosSlack
from tests.chaos.workload import connect_retrying

Figures = dict[str, object]


@dataclass(frozen=True)
class WorkerKills:
    """SIGKILL the worker `count` times, then restart it at once.

    Kill points are seeded: alternately the moment Slack has taken the k-th post but not yet
    answered (the worker dies between Slack's work and its own record of it), and a random
    instant 0.5-4 s after the previous restart (whatever the worker was doing then).
    """

    count: int
    seed: int

    async def __call__(self, stack: ChaosStack, slack: ChaosSlack, done: asyncio.Event) -> Figures:
        rng = random.Random(self.seed)
        points: list[str] = []
        last = time.monotonic()
        loop = asyncio.get_running_loop()
        for n in range(self.count):
            if n % 2 == 0:
                target = len(slack.posted) + rng.randint(1, 4)
                killed = threading.Event()

                def kill_at(
                    count: int, target: int = target, killed: threading.Event = killed
                ) -> None:
                    if count >= target and not killed.is_set():
                        stack.kill_worker()
                        killed.set()

                slack.on_post = kill_at
                if await loop.run_in_executor(None, killed.wait, 20.0):
                    points.append(f"post #{target}")
                else:  # no post came within 20 s: kill at this instant instead
                    slack.on_post = None
                    stack.kill_worker()
                    points.append("idle")
                slack.on_post = None
            else:
                delay = rng.uniform(0.5, 4.0)
                await asyncio.sleep(delay)
                stack.kill_worker()
                points.append(f"{delay:.2f} s after restart")
            last = time.monotonic()
            stack.start_worker()
        return {
            "kills": len(points),
            "kill_points": points,
            "seed": self.seed,
            "last_disruption_at": last,
        }


@dataclass(frozen=True)
class TemporalRestart:
    """SIGKILL the Temporal dev server mid-cycle and start it again on the same SQLite file."""

    seed: int
    restarts: int = 1

    async def __call__(self, stack: ChaosStack, slack: ChaosSlack, done: asyncio.Event) -> Figures:
        rng = random.Random(self.seed)
        restarts: list[dict[str, object]] = []
        for _ in range(self.restarts):
            await asyncio.sleep(rng.uniform(1.0, 3.0))
            posts_before = len(slack.posted)
            stack.kill_temporal()
            killed_at = time.monotonic()
            await asyncio.sleep(rng.uniform(0.5, 2.0))
            stack.start_temporal()
            await connect_retrying(stack.settings)  # connecting asks the server for its info
            down = round(time.monotonic() - killed_at, 2)
            restarts.append({"posts_before": posts_before, "seconds_down": down})
        return {"restarts": restarts, "last_disruption_at": time.monotonic()}


@dataclass(frozen=True)
class ConnectionLoss:
    """Terminate every PostgreSQL backend of the worker (by its application_name) at seeded
    intervals while the workload runs, from a second connection: activities lose their
    connection mid-transaction, mid-commit or between transactions."""

    admin_url: str
    application_name: str
    seed: int
    interval: tuple[float, float] = (0.2, 0.8)
    after_work: float = 0.0  # cuts may go on this long after the last command was accepted

    async def __call__(self, stack: ChaosStack, slack: ChaosSlack, done: asyncio.Event) -> Figures:
        rng = random.Random(self.seed)
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        terminated, rounds = 0, 0
        query = text(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = :name"
        )
        try:
            quit_at: float | None = None
            while quit_at is None or time.monotonic() < quit_at:
                if done.is_set() and quit_at is None:
                    quit_at = time.monotonic() + self.after_work
                await asyncio.sleep(rng.uniform(*self.interval))
                with admin.connect() as connection:
                    terminated += int(
                        connection.execute(query, {"name": self.application_name}).scalar_one()
                    )
                rounds += 1
        finally:
            admin.dispose()
        return {
            "rounds": rounds,
            "backends_terminated": terminated,
            "seed": self.seed,
            "last_disruption_at": time.monotonic(),
        }


@dataclass(frozen=True)
class WriteLockHeld:
    """Hold SQLite's write lock from another connection for longer than the busy timeout
    (30 s), as a stuck backup or a long transaction in another process would: every write
    transaction meanwhile fails with "database is locked" and its activity is retried."""

    path: str
    seed: int
    hold: float = 35.0

    async def __call__(self, stack: ChaosStack, slack: ChaosSlack, done: asyncio.Event) -> Figures:
        await asyncio.sleep(random.Random(self.seed).uniform(0.5, 2.0))
        posts_before = len(slack.posted)
        await asyncio.get_running_loop().run_in_executor(None, self._hold)
        return {
            "held_seconds": self.hold,
            "posts_before": posts_before,
            "posts_while_held": len(slack.posted) - posts_before,
            "last_disruption_at": time.monotonic(),
        }

    def _hold(self) -> None:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            connection.execute("BEGIN EXCLUSIVE")
            time.sleep(self.hold)
            connection.execute("ROLLBACK")
        finally:
            connection.close()
