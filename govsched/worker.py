"""The worker: every workflow and activity of govsched on one task queue.

`build_worker` is used by `govsched worker`, by the embedded stack, by rehearsals and by the
tests, so all of them run exactly the same workflows and activities. Several workers may run
against one cluster: they share the task queue and Temporal spreads the work.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import hashlib
import importlib
import logging
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import temporalio
from sqlalchemy.exc import OperationalError
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Interceptor, Worker

from activities.applications import ApplicationActivities
from activities.concerns import ConcernActivities
from activities.group_plans import GroupPlanActivities
from activities.handover import HandoverActivities
from activities.notifications import NotificationActivities
from activities.processes import ProcessActivities
from activities.registry import RegistryActivities
from activities.reports import ReportActivities
from activities.roster import RosterActivities
from activities.year import YearActivities, YearWaker
from governance.rulebook.model import Rulebook
from govsched.config import DEFAULT_WORKFLOW_CACHE, Settings, WorkerRole
from govsched.notify.port import Notifier
from govsched.persistence.db import Database
from govsched.services.notifiers import notifier_for
from govsched.services.processes import ensure_processes
from govsched.services.rulebooks import load_rulebook_spec
from govsched.temporal.client import ServiceUnavailable, connect
from workflows import WORKFLOWS
from workflows.base.keepalive import KEEPALIVE_EVERY, StoreKeepalive
from workflows.base.sandbox import workflow_runner
from workflows.base.search import SEARCH_ATTRIBUTES

log = logging.getLogger("govsched.worker")

# Activities are synchronous (SQLAlchemy sessions) and run on these threads.
ACTIVITY_THREADS = 16
STICKY_WAIT = timedelta(seconds=3)
STOP_GRACE = timedelta(seconds=2)


def activities_for(
    db: Database,
    rulebook: Rulebook,
    notifier: Notifier,
    client: Client,
    task_queue: str,
    apart: bool = False,
) -> Sequence[Callable[..., Any]]:
    registry = RegistryActivities(db, rulebook)
    notify = NotificationActivities(db, notifier)
    applications = ApplicationActivities(db, rulebook, notifier)
    rosters = RosterActivities(db, rulebook, notifier, apart)
    processes = ProcessActivities(client, task_queue)
    year = YearActivities(db, rulebook)
    waker = YearWaker(client, task_queue, rulebook, db)
    handover = HandoverActivities(db, rulebook)
    reports = ReportActivities(db, rulebook, notifier, apart)
    concerns = ConcernActivities(db, rulebook)
    group_plans = GroupPlanActivities(db, rulebook)
    return [
        processes.start,
        processes.signal,
        registry.apply,
        registry.record_audit,
        notify.deliver,
        applications.plan_deadline,
        applications.plan_engaged,
        applications.record_step,
        applications.record_engaged_step,
        applications.full_member_focal_points,
        applications.announce_proposal,
        applications.member_focal_points,
        applications.next_plenary,
        applications.sitting_reviewers,
        rosters.plan,
        rosters.draw,
        rosters.apply_deferral,
        rosters.unrecorded,
        rosters.move_slots,
        rosters.draw_stored,
        rosters.announce,
        rosters.announce_move,
        rosters.move_stored,
        rosters.presenter,
        rosters.apply_stored_deferral,
        year.agenda,
        waker.wake,
        handover.status,
        handover.hand_over,
        reports.status,
        reports.run_step,
        reports.assign_late,
        reports.send_feedback,
        concerns.status,
        group_plans.status,
    ]


def local_activities(
    db: Database, rulebook: Rulebook, notifier: Notifier
) -> Sequence[Callable[..., Any]]:
    """The activities workflows run as local activities, in the process that runs the workflow
    (workflows/application.py: an admission's first step). A worker with workflows registers
    them whatever its role."""
    return [ApplicationActivities(db, rulebook, notifier).record_step]


def build_worker(
    client: Client,
    db: Database,
    rulebook: Rulebook,
    notifier: Notifier,
    task_queue: str,
    executor: ThreadPoolExecutor,
    max_concurrent_activities: int = 16,
    role: WorkerRole = WorkerRole.ALL,
    interceptors: Sequence[Interceptor] = (),
    max_cached_workflows: int = DEFAULT_WORKFLOW_CACHE,
    apart: bool = False,
) -> Worker:
    """A worker for `task_queue`, running what `role` says (`interceptors` go outside the
    worker's own, so they see the activity options the workflows asked for). With `apart` the
    roster's draw and the peer-review assignment run in short-lived processes of their own
    (activities/own_process.py), as `govsched worker` does.

    Workflow code runs under the SDK's deadlock detector (two seconds per activation). In one
    process, sixteen busy activity threads share the interpreter lock with it; under load a
    workflow can then be starved past the limit (seen at 20,000 members). Processes with the
    `workflows` and `activities` roles on the same task queue keep the two apart. A
    `workflows` worker still runs the local activities its workflows ask for (an admission's
    first step, `local_activities`) and polls for no activity task.
    """
    activities = (
        local_activities(db, rulebook, notifier)
        if role is WorkerRole.WORKFLOWS
        else activities_for(db, rulebook, notifier, client, task_queue, apart)
    )
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[] if role is WorkerRole.ACTIVITIES else WORKFLOWS,
        workflow_runner=workflow_runner(),
        build_id=build_id(),
        activities=activities,
        # each cached workflow keeps its sandbox's copy of the modules not passed through
        # (about 25 KB with the project's packages passed through; docs/deploy.md)
        max_cached_workflows=max_cached_workflows,
        activity_executor=executor if activities else None,
        max_concurrent_activities=max_concurrent_activities,
        no_remote_activities=role is WorkerRole.WORKFLOWS,
        # store activities are kept alive while they run, so a dead worker's are retried at
        # once (workflows/base/keepalive.py); heartbeats are sent as often as they are made
        interceptors=[*interceptors, StoreKeepalive()],
        max_heartbeat_throttle_interval=KEEPALIVE_EVERY,
        # A workflow's next task waits this long for the worker that ran its last one before
        # any worker may take it (the SDK's default is 10 s): after a worker dies, this is
        # what a repeated request waits on. A busy worker that misses it replays the history
        # from the start instead of using its cache: a cost only under overload.
        sticky_queue_schedule_to_start_timeout=STICKY_WAIT,
        # asked to stop, the worker lets the activities in hand finish (store activities take
        # milliseconds) and reports them, so nothing waits for a timeout after a restart
        graceful_shutdown_timeout=STOP_GRACE,
    )


# The packages whose code a worker runs; their sources make the worker's build ID.
BUILD_ID_PACKAGES = ("workflows", "activities", "governance", "govsched")


@functools.cache
def build_id() -> str:
    """The worker's build ID (Temporal records it on each workflow task it completes): a hash
    of the project's sources and the SDK's version, so it changes when they do. Without one
    the SDK makes its own by reading back the bytecode of every module loaded: about 0.3 CPU-s
    at each worker's start, against 0.02 for this."""
    digest = hashlib.md5(usedforsecurity=False)
    digest.update(temporalio.__version__.encode())
    for package in BUILD_ID_PACKAGES:
        file = importlib.import_module(package).__file__
        assert file is not None, package
        root = Path(file).parent
        for source in sorted(root.rglob("*.py")):
            digest.update(f"{package}/{source.relative_to(root).as_posix()}".encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


class SearchAttributesMissing(RuntimeError):
    """The cluster lacks search attributes the workflows upsert, and will not let us add them."""


async def register_search_attributes(client: Client) -> None:
    """Register the search attributes the workflows upsert (workflows/base/search.py).

    Adding is idempotent on the dev server and refused as ALREADY_EXISTS by the test server;
    a cluster that does not let a worker add them (Temporal Cloud, a restricted role) must
    have them already, or no worker starts: an upsert of an unregistered attribute would fail
    workflow tasks over and over.
    """
    for key in SEARCH_ATTRIBUTES:
        request = AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={key.name: IndexedValueType.ValueType(key.indexed_value_type.value)},
        )
        try:
            await client.operator_service.add_search_attributes(request)
        except RPCError as exc:
            if exc.status == RPCStatusCode.ALREADY_EXISTS or await _registered(client, key.name):
                continue
            if exc.status not in (RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.UNIMPLEMENTED):
                raise
            raise SearchAttributesMissing(
                f"search attribute {key.name} ({key.indexed_value_type.name}) is not "
                f"registered in namespace {client.namespace} and could not be added "
                f"({exc.message}); register it: temporal operator search-attribute create "
                f"--name {key.name} --type {key.indexed_value_type.name.title()}"
            ) from None


async def _registered(client: Client, name: str) -> bool:
    try:
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=client.namespace)
        )
    except RPCError:
        return False
    return name in listed.custom_attributes


# mallopt's parameter for the most arenas glibc's malloc may make (malloc.h: M_ARENA_MAX)
_M_ARENA_MAX = -8
MALLOC_ARENAS = 2


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Let glibc's malloc make at most `arenas` arenas in this process; False where it is not
    glibc. By default it makes up to eight per core as threads contend (the activity threads,
    the SDK's own), and each keeps the memory its threads freed: in an activities worker that
    was tens of MiB of resident memory held for good (docs/benchmarks.md, the governance year).
    Called before the worker starts its threads; allocation then contends a little more on
    two arenas, which costs nothing measurable beside the database round trips."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, arenas))


async def run(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM, then finish the tasks in hand and stop."""
    limit_malloc_arenas()
    rulebook = load_rulebook_spec(settings.rulebook)
    db = Database.from_url(settings.database_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    client = await connect_waiting(settings, stop)
    if client is None:
        db.dispose()
        return
    await register_search_attributes(client)
    with ThreadPoolExecutor(
        max_workers=ACTIVITY_THREADS, thread_name_prefix="activity"
    ) as executor:
        worker = build_worker(
            client,
            db,
            rulebook,
            notifier_for(settings, db, rulebook),
            settings.task_queue,
            executor,
            ACTIVITY_THREADS,
            settings.worker_role,
            max_cached_workflows=settings.workflow_cache_size,
            apart=True,
        )
        async with worker:
            log.info(
                "worker (%s) polling %s on %s",
                settings.worker_role.value,
                settings.task_queue,
                settings.temporal_target,
            )
            await start_seeded_processes(
                client, db, rulebook, settings.task_queue, stop, settings.clock_offset
            )
            await stop.wait()
            log.info("worker stopping")
    db.dispose()


async def connect_waiting(
    settings: Settings, stop: asyncio.Event, first_delay: float = 1.0
) -> Client | None:
    """A client, once Temporal answers; None if told to stop first. A worker started while
    Temporal is down or restarting (the embedded stack restarts both) waits for it instead of
    exiting."""
    delay = first_delay
    while not stop.is_set():
        try:
            return await connect(settings)
        except ServiceUnavailable as exc:
            log.warning("%s (retrying in %.0f s)", exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, 60.0)
    return None


async def start_seeded_processes(
    client: Client,
    db: Database,
    rulebook: Rulebook,
    task_queue: str,
    stop: asyncio.Event,
    clock_offset: timedelta = timedelta(0),
    first_delay: float = 1.0,
) -> list[str]:
    """Start the processes of seeded records, trying again while the database or Temporal is
    unreachable (until `stop`). A lost connection at this moment once made the whole worker
    exit, and the embedded stack with it, although every activity rides out the same fault."""
    delay = first_delay
    while not stop.is_set():
        try:
            started = await ensure_processes(
                client,
                db,
                rulebook,
                task_queue,
                datetime.now(UTC) + clock_offset,
                clock_offset,
            )
        except (OperationalError, RPCError) as exc:
            log.warning("cannot start seeded processes yet (%s); retrying in %.0f s", exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, 60.0)
            continue
        if started:
            log.info("started %d processes for seeded records", len(started))
        return started
    return []
