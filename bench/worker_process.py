"""A worker in its own process, so a benchmark can read its peak memory from /proc.

`python -m bench.worker_process TARGET TASK_QUEUE govsched DB_URL OVERRIDES_JSON [ROLE]` runs
govsched's worker (a notifier that sends nowhere, the ledger being the record; the VPI rulebook
with the overrides; every workflow and activity, or only those of ROLE);
`... bare` runs only the one-activity baseline. It prints "ready" once polling and stops on
SIGTERM, printing "children-peak MIB": the largest peak resident set of the processes it
started (the roster's draw and the peer-review assignment, which run apart as under `govsched
worker`). The workflow
cache has the shipped default, or GOVSCHED_WORKFLOW_CACHE_SIZE.

With GOVSCHED_BENCH_ACTIVITY_MEMORY set to a directory (off by default), govsched's worker (not
the bare one) measures each activity's effect on its resident memory and writes it there when it
stops (bench/activity_memory.py: `python -m bench.activity_memory FILE` prints the table), e.g.
`GOVSCHED_BENCH_ACTIVITY_MEMORY=/tmp/mem python -m bench.report_cycle 2000 --year`.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker

from bench.activity_memory import ENV as ACTIVITY_MEMORY_ENV
from bench.activity_memory import ActivityMemory
from bench.workflows import OneActivityWorkflow, noop
from governance.kernel.notices import Notification
from govsched.config import Settings, WorkerRole
from govsched.persistence.db import Database
from govsched.services.rulebooks import load_rulebook_spec
from worker import ACTIVITY_THREADS, build_worker, limit_malloc_arenas


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the most resident memory the process has had."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


class NowhereNotifier:
    """Delivers nowhere and keeps nothing: the ledger records every notice, which is what the
    benchmark counts. A notifier that kept each notice it sent (the rehearsals' recording one)
    would grow the worker by every notice of the year (about 150,000 at 20,000 members), which
    no real channel (Slack, e-mail) does."""

    def deliver(self, notification: Notification) -> str | None:
        del notification  # sent nowhere
        return None


async def _serve(target: str, task_queue: str, kind: str, rest: list[str]) -> None:
    client = await Client.connect(target, data_converter=pydantic_data_converter)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    memory: ActivityMemory | None = None
    memory_dir = os.environ.get(ACTIVITY_MEMORY_ENV)
    role_name = "bare"
    with ThreadPoolExecutor(ACTIVITY_THREADS) as executor:
        if kind == "bare":
            worker = Worker(
                client,
                task_queue=task_queue,
                workflows=[OneActivityWorkflow],
                activities=[noop],
                max_concurrent_activities=ACTIVITY_THREADS,
            )
            db = None
        else:
            db_url, overrides, *role = rest
            db = Database.from_url(db_url)
            role_name = role[0] if role else WorkerRole.ALL.value
            memory = ActivityMemory() if memory_dir else None
            worker = build_worker(
                client,
                db,
                load_rulebook_spec("vpi", Path.cwd(), json.loads(overrides)),
                NowhereNotifier(),
                task_queue,
                executor,
                ACTIVITY_THREADS,
                WorkerRole(role[0]) if role else WorkerRole.ALL,
                max_cached_workflows=Settings().workflow_cache_size,
                apart=True,
                interceptors=[memory] if memory is not None else [],
            )
        async with worker:
            print("ready", flush=True)
            await stop.wait()
        if db is not None:
            db.dispose()
    if memory is not None and memory_dir:
        memory.write(Path(memory_dir), role_name, os.getpid())
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"children-peak {children:.1f}", flush=True)


def main() -> None:
    target, task_queue, kind, *rest = sys.argv[1:]
    limit_malloc_arenas()  # as `govsched worker` does; the bare baseline too, for a like ratio
    asyncio.run(_serve(target, task_queue, kind, rest))
    sys.stdout.flush()
    # temporalio/sdk-python#300: interpreter finalisation with the SDK's threads still around
    # can abort ("PyGILState_Release"); the worker has shut down, so skip finalisation
    os._exit(0)


if __name__ == "__main__":
    main()
