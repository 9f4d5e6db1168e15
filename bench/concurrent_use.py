"""The embedded stack under concurrent use: API actions while 32 clients fetch calendar feeds.

`govsched run` starts as `make run` does (Temporal dev server with its SQLite file, the worker,
the API, the scheduler, demo data). Two phases of the same length, on the same stack:

- baseline: the Secretariat's actions alone: applications recorded through `POST /applications`
  (each answers once its workflow has recorded the submission: a database transaction, its audit
  entry and its calendar entries), from 4 concurrent clients;
- under load: the same actions while 32 client processes fetch personal calendar feeds back to
  back, each on its own keep-alive connection, each with its own member's feed token.

Reported: actions per second and their p50/p99 latency in both phases with the ratio, and the
feeds served per second (with p50/p99) during the second phase.
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
from bench.report import machine, percentile, write_section
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.rehearsal.demo_registry import demo_registry
from govsched.services.feeds import tokens as feed_tokens

READY_LINE = "Press Ctrl-C to stop."
SECRETARIAT = "sec-amina-okafor"
ACTION_CLIENTS = 4
FEED_CLIENTS = 32
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Stack:
    """`govsched run` in its own var directory, on free ports."""

    def __init__(self, var_dir: Path) -> None:
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

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=90)


@dataclass(frozen=True)
class Actions:
    per_second: float
    p50_ms: float
    p99_ms: float
    count: int


async def _actions(base_url: str, token: str, seconds: float, tag: str) -> Actions:
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

    began = time.perf_counter()
    end = began + seconds
    await asyncio.gather(*(client(i) for i in range(ACTION_CLIENTS)))
    elapsed = time.perf_counter() - began
    return Actions(
        len(latencies) / elapsed,
        percentile(latencies, 0.5) * 1000,
        percentile(latencies, 0.99) * 1000,
        len(latencies),
    )


def run(seconds: float) -> tuple[Actions, Actions, Load, int]:
    with tempfile.TemporaryDirectory(prefix="govsched-bench-use-") as tmp:
        stack = Stack(Path(tmp))
        try:
            token, paths = _tokens(stack.database_url)
            base_url = f"http://127.0.0.1:{stack.http_port}"
            alone = asyncio.run(_actions(base_url, token, seconds, "alone"))
            clients = start_clients(stack.http_port, paths, {}, FEED_CLIENTS, seconds)
            loaded = asyncio.run(_actions(base_url, token, seconds, "loaded"))
            feeds = collect(clients, seconds)
        finally:
            stack.stop()
    return alone, loaded, feeds, len(paths)


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


def report(alone: Actions, loaded: Actions, feeds: Load, feed_people: int, seconds: float) -> str:
    method = (
        "Method: `govsched run` as `make run` starts it (Temporal dev server with its SQLite "
        "file, worker, API, scheduler, demo data), on this machine. The Secretariat records "
        f"applications through `POST /applications` from {ACTION_CLIENTS} concurrent clients; "
        "each answers once its workflow has recorded the submission (database transaction, "
        f"audit entry, calendar entries). Baseline: those actions alone for {seconds:.0f} s. "
        f"Under load: the same for {seconds:.0f} s while {FEED_CLIENTS} client processes fetch "
        "personal calendar feeds back to back on keep-alive connections "
        f"({feed_people} members' focal points, each with its own feed token). One run; the "
        "load generators share the machine's two cores with the stack."
    )
    ratio = loaded.per_second / alone.per_second
    rows = [
        "## The embedded stack under concurrent use",
        "",
        f"Machine: {machine()}.",
        "",
        method,
        "",
        "| phase | actions | per second | ratio | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|",
        f"| actions alone (baseline) | {alone.count} | {alone.per_second:.1f} | 1.00 | "
        f"{alone.p50_ms:.0f} | {alone.p99_ms:.0f} |",
        f"| actions with {FEED_CLIENTS} feed clients | {loaded.count} | "
        f"{loaded.per_second:.1f} | {ratio:.2f} | {loaded.p50_ms:.0f} | {loaded.p99_ms:.0f} |",
        "",
        f"Feeds served meanwhile: {feeds.per_second:,.0f} per second, p50 "
        f"{feeds.p50_ms:.1f} ms, p99 {feeds.p99_ms:.1f} ms.",
    ]
    return "\n".join(rows) + "\n"


def main(seconds: float, write: bool) -> str:
    alone, loaded, feeds, people = run(seconds)
    body = report(alone, loaded, feeds, people, seconds)
    if write:
        write_section("concurrent_use", body)
    return body


if __name__ == "__main__":
    print(main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0, write=False))
