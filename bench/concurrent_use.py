"""The embedded stack under concurrent use: API actions while 32 clients fetch calendar feeds.

`govsched run` starts as `make run` does (Temporal dev server with its SQLite file, the worker,
the API, the scheduler, demo data). Two phases of the same length, on the same stack:

- baseline: the Secretariat's actions alone: applications recorded through `POST /applications`
  (each answers once its workflow has recorded the submission: a database transaction, its audit
  entry and its calendar entries), from 4 concurrent clients;
- under load: the same actions while 32 client processes fetch personal calendar feeds back to
  back, each on its own keep-alive connection, each with its own member's feed token.

The stack runs on one core and everything that makes load (the action clients, the feed
clients, this process) on the others, in both phases, so that both phases give the stack the
same processor and the load generators do not take it from the stack they measure. Beside the
rate, the stack's processor seconds per action in each phase, read from /proc before and after
it (bench/process_cpu.py), by part (Temporal, the worker, the API). Each round starts a fresh
stack.

Reported: actions per second and their p50/p99 latency in both phases with the ratio, and the
feeds served per second (with p50/p99) during the second phase; the median of the rounds with
their range.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.feeds import Load, collect, start_clients
from bench.process_cpu import running_on, spent, split_cores, tree_cpu
from bench.report import machine, median, percentile, write_section
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.rehearsal.demo_registry import demo_registry
from govsched.services.feeds import tokens as feed_tokens

READY_LINE = "Press Ctrl-C to stop."
SECRETARIAT = "sec-amina-okafor"
ACTION_CLIENTS = 4
FEED_CLIENTS = 32
# The feed clients start this long before the actions and stop this long after them.
FEED_LEAD_SECONDS = 1.0
# What a fresh stack does once it says it is ready (staging the demo's work) is not an action's.
SETTLE_SECONDS = 5.0
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Stack:
    """`govsched run` in its own var directory, on free ports."""

    def __init__(self, var_dir: Path, cores: set[int] | None) -> None:
        self.http_port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSCHED_")}
        env.update(
            GOVSCHED_VAR_DIR=str(var_dir),
            GOVSCHED_DATABASE_URL=f"sqlite:///{var_dir / 'govsched.db'}",
            GOVSCHED_HTTP_PORT=str(self.http_port),
            GOVSCHED_TEMPORAL_DEV_PORT=str(_free_port()),
            GOVSCHED_TEMPORAL_UI_PORT=str(_free_port()),
        )
        self.env = env
        self.database_url = env["GOVSCHED_DATABASE_URL"]
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(BIN / "govsched"), "run"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # every part the stack starts inherits the core
            preexec_fn=None if cores is None else lambda: os.sched_setaffinity(0, cores),
        )
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + 180
        while READY_LINE not in self.lines:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the stack did not start:\n" + "\n".join(self.lines[-30:]))
            time.sleep(0.2)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def cpu(self) -> dict[int, tuple[str, float]]:
        return tree_cpu(self.process.pid, _part)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=90)


def _part(command: list[str]) -> str:
    """A part of the stack by its command line: `temporal server start-dev`, `govsched api`..."""
    if "start-dev" in command:
        return "temporal"
    return command[-1] if command else "?"


@dataclass(frozen=True)
class Actions:
    per_second: float
    p50_ms: float
    p99_ms: float
    count: int
    # the stack's processor seconds during the phase, by part
    cpu: dict[str, float]

    @property
    def cpu_per_action(self) -> float:
        return sum(self.cpu.values()) / self.count


@dataclass(frozen=True)
class Round:
    alone: Actions
    loaded: Actions
    feeds: Load

    @property
    def ratio(self) -> float:
        return self.loaded.per_second / self.alone.per_second


async def _actions(stack: Stack, token: str, seconds: float, tag: str) -> Actions:
    base_url = f"http://127.0.0.1:{stack.http_port}"
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}

    async def client(index: int) -> None:
        async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as http:
            n = 0
            while time.perf_counter() < end:
                person = f"bench-{tag}-{index}-{n}"
                n += 1
                body = {
                    "id": person,
                    "organisation": f"Organisation {person}",
                    "pillar": "company",
                    "country": "Pelagonia",
                    "contact_email": f"{person}@example.org",
                    "statement": "We commit to the Voluntary Principles.",
                    "documents": [],
                }
                started = time.perf_counter()
                response = await http.post(
                    "/applications", json=body, headers={"Idempotency-Key": person}
                )
                if response.status_code != 201:
                    raise RuntimeError(
                        f"POST /applications: {response.status_code} {response.text}"
                    )
                latencies.append(time.perf_counter() - started)

    before = stack.cpu()
    began = time.perf_counter()
    end = began + seconds
    await asyncio.gather(*(client(i) for i in range(ACTION_CLIENTS)))
    elapsed = time.perf_counter() - began
    return Actions(
        len(latencies) / elapsed,
        percentile(latencies, 0.5) * 1000,
        percentile(latencies, 0.99) * 1000,
        len(latencies),
        spent(before, stack.cpu()),
    )


def run_round(seconds: float, tag: str) -> tuple[Round, int]:
    cores = split_cores()
    stack_cores, load_cores = cores if cores is not None else (None, None)
    with tempfile.TemporaryDirectory(prefix="govsched-bench-use-") as tmp, running_on(load_cores):
        stack = Stack(Path(tmp), stack_cores)
        try:
            token, paths = _tokens(stack.database_url)
            time.sleep(SETTLE_SECONDS)
            alone = asyncio.run(_actions(stack, token, seconds, f"{tag}-alone"))
            feed_seconds = seconds + 2 * FEED_LEAD_SECONDS
            clients = start_clients(stack.http_port, paths, {}, FEED_CLIENTS, feed_seconds)
            time.sleep(FEED_LEAD_SECONDS)
            loaded = asyncio.run(_actions(stack, token, seconds, f"{tag}-loaded"))
            feeds = collect(clients, feed_seconds)
        finally:
            stack.stop()
    return Round(alone, loaded, feeds), len(paths)


def run(seconds: float, rounds: int) -> tuple[list[Round], int]:
    results = [run_round(seconds, f"r{k}") for k in range(rounds)]
    return [r for r, _ in results], results[0][1]


def _tokens(database_url: str) -> tuple[str, list[str]]:
    """The Secretariat's API token and every focal point's feed path, written straight into the
    stack's database (as `govsched tokens issue` and `govsched feeds issue` would, 75 times)."""
    db = Database.from_url(database_url)
    now = datetime.now(UTC)
    try:
        with db.writing() as session:
            token = token_repo.issue(session, SECRETARIAT, now, "bench")
            people = [p.id for p in demo_registry().people if p.member is not None]
            paths = [
                urlsplit(feed_tokens.issue(session, p, "person", "bench", now).url("http://x")).path
                for p in people
            ]
    finally:
        db.dispose()
    return token, paths


def _spread(values: list[float], digits: int = 1, unit: str = "") -> str:
    """The median with the range of the rounds in brackets."""
    if len(values) == 1:
        return f"{values[0]:.{digits}f}{unit}"
    return f"{median(values):.{digits}f}{unit} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def _by_part(phase: list[Actions]) -> str:
    parts = sorted({name for a in phase for name in a.cpu}, key=lambda n: (n == "supervisor", n))
    return ", ".join(
        f"{name} {median([a.cpu.get(name, 0.0) / a.count for a in phase]) * 1000:.1f} ms"
        for name in parts
    )


def report(rounds: list[Round], feed_people: int, seconds: float) -> str:
    pinned = split_cores()
    placement = (
        "The stack (every process `govsched run` starts) runs on one core and the load "
        "generators (the action clients, the feed clients and the benchmark itself) on the "
        "other, in both phases: both phases give the stack the same processor, and the ratio "
        "measures what the feeds take from the actions inside the stack, not what the load "
        "generators take from the stack."
        if pinned is not None
        else "This machine has one core: the stack and the load generators share it."
    )
    method = (
        "Method: `govsched run` as `make run` starts it (Temporal dev server with its SQLite "
        "file, worker, API, scheduler, demo data), on this machine. The Secretariat records "
        f"applications through `POST /applications` from {ACTION_CLIENTS} concurrent clients; "
        "each answers once its workflow has recorded the submission (database transaction, "
        f"audit entry, calendar entries). Baseline: those actions alone for {seconds:.0f} s. "
        f"Under load: the same for {seconds:.0f} s while {FEED_CLIENTS} client processes fetch "
        "personal calendar feeds back to back on keep-alive connections "
        f"({feed_people} members' focal points, each with its own feed token). {placement} "
        "Every part of the stack runs at the usual priority (ARCHITECTURE.md, scaling out: "
        "an API niced behind the worker and Temporal was measured and not adopted), and the "
        "feeds are paced per subscriber as shipped (one answer per feed address a second, "
        "`GOVSCHED_FEED_MIN_INTERVAL_SECONDS`; ARCHITECTURE.md, feeds are paced): the feed "
        "clients still ask back to back, and wait their turns (until 7 December 2026 they were "
        "answered as fast as the API could serve them: 0.62 of the actions alone, rounds "
        "0.59-0.67). "
        "Processor time is the stack's (user and system, every process of the tree, from "
        "/proc) during the phase, divided by the actions recorded in it; under load it "
        f"includes serving the feeds. {len(rounds)} rounds, each on a fresh stack; medians "
        "with the range of the rounds in brackets."
    )
    alone = [r.alone for r in rounds]
    loaded = [r.loaded for r in rounds]
    rows = [
        "## The embedded stack under concurrent use",
        "",
        f"Machine: {machine()}.",
        "",
        method,
        "",
        "| phase | actions | per second | ratio | p50 ms | p99 ms | stack CPU s per action |",
        "|---|---|---|---|---|---|---|",
        f"| actions alone (baseline) | {_spread([a.count for a in alone], 0)} | "
        f"{_spread([a.per_second for a in alone])} | 1.00 | "
        f"{_spread([a.p50_ms for a in alone], 0)} | {_spread([a.p99_ms for a in alone], 0)} | "
        f"{_spread([a.cpu_per_action for a in alone], 3)} |",
        f"| actions with {FEED_CLIENTS} feed clients | {_spread([a.count for a in loaded], 0)} | "
        f"{_spread([a.per_second for a in loaded])} | {_spread([r.ratio for r in rounds], 2)} | "
        f"{_spread([a.p50_ms for a in loaded], 0)} | {_spread([a.p99_ms for a in loaded], 0)} | "
        f"{_spread([a.cpu_per_action for a in loaded], 3)} |",
        "",
        "Ratio in each round: " + ", ".join(f"{r.ratio:.2f}" for r in rounds) + ".",
        "",
        f"Feeds served meanwhile: {_spread([r.feeds.per_second for r in rounds], 0)} per "
        f"second, p50 {_spread([r.feeds.p50_ms for r in rounds])} ms, p99 "
        f"{_spread([r.feeds.p99_ms for r in rounds])} ms.",
        "",
        f"Stack processor time per action by part (medians): alone {_by_part(alone)}; with the "
        f"feed clients {_by_part(loaded)}.",
    ]
    return "\n".join(rows) + "\n"


def main(seconds: float, write: bool, rounds: int = 3) -> str:
    results, people = run(seconds, rounds)
    body = report(results, people, seconds)
    if write:
        write_section("concurrent_use", body)
    return body


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    print(main(seconds, write=False, rounds=int(sys.argv[2]) if len(sys.argv) > 2 else 1))
