"""A reporting cycle, or a whole governance year, rehearsed for generated registries of 80,
2,000 and 20,000 members.

For each size, on one time-skipping test server:

- baseline: one bare one-activity workflow per member (at most 32 in flight), run by a worker
  process that registers nothing else;
- the cycle: the annual plenary is scheduled (which plans the governance year, the Chair handover,
  the roster and the reporting cycle), time skips to three weeks before the due date (the opening
  and the reminders go out), 95% of members report through the same service call the API makes,
  time skips past the due date (the rest go overdue and are referred; reviewers are assigned for
  every report), 90% of assigned reviews come in (each reaches the reported member), and time
  runs past the end of the plenary (review reminders, late reviews, the close);
- the year (`year=True`) adds around it the Chair in office, applications from intake to
  admission at the plenary, the incoming Chair's designation, every presenter's outcome and the
  handover.

The worker is govsched's own, in its own process. Measured: wall time from the first event to
the last settled workflow (the driver's own submissions included, as an API's would be),
Temporal history events (every run of every workflow, continue-as-new included, and the largest
single run), notifications in the ledger, and the worker process's peak resident memory (VmHWM).
The driver settles once per instant, not after each of 60,000 submissions.

`--server-core N` gives the test server core N to itself and runs the driver and the workers on
the others, as a Temporal cluster on machines of its own would leave them (`--rounds`, `--keep
FILE` and `--from FILES` as for the other benchmarks; `--one-worker` runs both roles in one
process).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from pathlib import Path
from typing import Any, TypeVar, cast

from google.protobuf.empty_pb2 import Empty
from sqlalchemy import func, inspect, select, table
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from bench.process_cpu import children_running, difference, parts_cpu, pin
from bench.report import machine, median, write_section
from bench.worker_process import peak_rss_mib
from bench.workflows import OneActivityWorkflow
from governance.registry.contracts import registry_change_workflow_id
from governance.reports.contracts import report_cycle_id
from governance.reports.cycle import SubmitReport, SubmitReview, cycle_dates, expected_kind
from governance.roster.presentations import RecordPresentation
from governance.roster.rule import PresentationOutcome
from governance.rulebook.model import Rulebook
from govsched.config import Settings, WorkerRole
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.repos import roster as roster_repo
from govsched.persistence.tables import NotificationRow
from govsched.rehearsal.action_schemas import ACTIONS
from govsched.rehearsal.actions import HANDLERS, MINUTES, Refusal, RehearsalContext
from govsched.rehearsal.clock import ScenarioClock
from govsched.rehearsal.scenario import ScenarioEvent, parse_scenario
from govsched.rehearsal.settle import WorkflowTracker
from govsched.services.applications import ApplicationService
from govsched.services.reports import ReportService
from govsched.services.roster import RosterService
from govsched.services.rulebooks import load_rulebook_spec
from worker import register_search_attributes

YEAR = 2027
# The same at every size: each application is announced to every Full member, so a number of
# applications growing with the membership would make the year's notices grow with its square.
APPLICATIONS = 3
START = datetime(2026, 12, 1, 12, tzinfo=UTC)
SCHEDULED_AT = datetime(2026, 12, 2, 15, tzinfo=UTC)
PLENARY = (date(2027, 6, 8), date(2027, 6, 11))
MIX = (("government", "gov", 0.19), ("company", "co", 0.56), ("ngo", "ngo", 0.25))
REPORTING_SHARE = 0.95
REVIEWING_SHARE = 0.90
IN_FLIGHT = 32
SETTLE_SECONDS = 4 * 3600.0
TASK_QUEUE = "bench-cycle"
T = TypeVar("T")
# With 56% companies reviewed only by the other pillars, a load within one of the average has no
# assignment once a few members fail to report (the Secretariat is told to raise the tolerance,
# see ARCHITECTURE.md); the benchmark runs with the tolerance the Secretariat would set.
OVERRIDES: dict[str, Any] = {"peer_review": {"load_tolerance": 2}}


def registry(size: int) -> dict[str, Any]:
    """A scenario document's members and people: the pillar mix, one focal point each, a
    Secretariat, and the Chair as the first government's focal point."""
    rnd = random.Random(size)
    members, people = (
        [],
        [
            {
                "id": "sec-bench",
                "name": "Bench Secretariat",
                "email": "secretariat@bench.example",
                "roles": ["secretariat"],
            },
        ],
    )
    for pillar, prefix, share in MIX:
        for k in range(round(size * share)):
            member = f"{prefix}-{k:05d}"
            members.append(
                {
                    "id": member,
                    "name": f"{pillar.title()} {k:05d}",
                    "pillar": pillar,
                    "country": f"C{rnd.randrange(max(5, size // 10))}",
                    "joined": date(2000 + rnd.randrange(25), 1 + rnd.randrange(12), 1),
                }
            )
            roles = ["focal_point"]
            if k == 0:  # the first of each pillar sits on the Steering Committee
                roles.append("steering_committee")
            if member == "gov-00000":
                roles.append("chair")
            people.append(
                {
                    "id": f"fp-{member}",
                    "name": f"Focal {member}",
                    "email": f"{member}@bench.example",
                    "member": member,
                    "roles": roles,
                }
            )
    return {"members": members, "people": people}


def _at(day: date, hour: int = 15) -> str:
    return datetime.combine(day, datetime.min.time(), UTC).replace(hour=hour).isoformat()


def year_events() -> list[dict[str, Any]]:
    """The rest of a governance year around the reporting cycle: the Chair in office,
    APPLICATIONS applications from intake to the plenary's admission, the incoming Chair
    designated (the handover happens when the plenary ends)."""
    apps = [f"app-bench-{k:04d}" for k in range(APPLICATIONS)]
    events: list[dict[str, Any]] = [
        {
            "at": _at(date(2026, 12, 1), 13),
            "do": "set_chair",
            "with": {"member": "gov-00000", "starts": "2026-05-22", "ends": "2027-06-12"},
        }
    ]
    events += [
        {
            "at": _at(date(2027, 1, 11)),
            "do": "submit_application",
            "with": {
                "id": app,
                "organisation": f"Applicant {k:04d}",
                "pillar": MIX[k % 3][0],
                "country": f"A{k % 7}",
                "contact_email": f"{app}@applicants.example",
                "statement": "We commit to implement the Voluntary Principles.",
            },
        }
        for k, app in enumerate(apps)
    ]
    steps: list[tuple[date, str, str, dict[str, str]]] = [
        (date(2027, 1, 18), "mark_complete", "sec-bench", {}),
        (date(2027, 1, 25), "start_review", "sec-bench", {}),
    ]
    steps += [
        (date(2027, 1, 26), "recommend", f"fp-{prefix}-00000", {"recommendation": "support"})
        for _, prefix, _ in MIX
    ]
    for hour, (day, action, by, extra) in enumerate(steps):
        events += [
            {
                "at": _at(day, 13 + hour),
                "do": action,
                "with": {"application": app, "by": by, **extra},
            }
            for app in apps
        ]
    events.append(
        {
            "at": _at(date(2027, 3, 1)),
            "do": "designate_incoming_chair",
            "with": {"member": "gov-00001", "by": "sec-bench"},
        }
    )
    decision = {"by": "sec-bench", "decision": "admit", "note": "Admitted by the plenary."}
    events += [
        {
            "at": _at(PLENARY[0] + timedelta(days=1)),
            "do": "record_plenary_decision",
            "with": {"application": app, **decision},
        }
        for app in apps
    ]
    return events


def scenario_document(size: int, year: bool = False) -> dict[str, Any]:
    starts, ends = PLENARY
    plenary: dict[str, Any] = {
        "at": SCHEDULED_AT.isoformat(),
        "do": "schedule_plenary",
        "with": {
            "year": YEAR,
            "starts": starts.isoformat(),
            "ends": ends.isoformat(),
            "location": "Bench Harbour",
            "host": "gov-00000",
        },
    }
    events = [plenary, *(year_events() if year else [])]
    return {
        "rulebook": "vpi",
        "start": START.isoformat(),
        "until": datetime(2027, 6, 20, tzinfo=UTC).isoformat(),
        **registry(size),
        "events": sorted(events, key=lambda e: str(e["at"])),
    }


@dataclass
class Measure:
    seconds: float
    events: int
    largest_history: int
    workflows: int
    notifications: int
    peak_mib: float  # every worker process's peak resident set, summed
    # capacity inputs (docs/deploy.md): the worker processes' CPU, the database's rows at the end
    cpu_seconds: float = 0.0
    db_rows: int = 0
    # each worker process's peak (workflows, activities), and the largest of the short-lived
    # processes the worker starts for the roster's draw and the peer-review assignment
    role_mib: tuple[float, ...] = ()
    solver_mib: float = 0.0
    # processor seconds while measured: the time-skipping test server's, and the driver's (this
    # process: the service calls the API makes, the rehearsal's client)
    server_cpu_seconds: float = 0.0
    driver_cpu_seconds: float = 0.0


@dataclass
class Year:
    measure: Measure
    reports: int
    reviews: int
    applications: int
    presenters: int
    phases: dict[str, float]
    # processor seconds of each phase by part: "workers" (govsched's worker processes, their
    # short-lived jobs included), "server" (the test server), "driver" (this process)
    phase_cpu: dict[str, dict[str, float]] = field(default_factory=dict)
    # requests the driver made again after the test server failed them (`_asking_again`)
    asked_again: int = 0


@dataclass
class Result:
    size: int
    baseline: Measure
    year: Year
    # the core the test server had to itself (`--server-core`), or None: it shared them all
    server_core: int | None = None

    @property
    def cycle(self) -> Measure:
        return self.year.measure

    @property
    def reports(self) -> int:
        return self.year.reports

    @property
    def reviews(self) -> int:
        return self.year.reviews

    @property
    def phases(self) -> dict[str, float]:
        return self.year.phases


class WorkerProcess:
    def __init__(self, target: str, kind: str, *rest: str) -> None:
        args = [sys.executable, "-m", "bench.worker_process", target, TASK_QUEUE, kind, *rest]
        self._proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        self.children_peak_mib = 0.0
        assert self._proc.stdout is not None
        if self._proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the {kind} worker did not start")

    def cpu_seconds(self) -> float:
        """User and system CPU the process and the children it has waited for (its short-lived
        jobs) have used (/proc/<pid>/stat, clock ticks)."""
        fields = Path(f"/proc/{self._proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> float:
        peak = peak_rss_mib(self._proc.pid)
        self._proc.terminate()
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            if line.startswith("children-peak "):
                self.children_peak_mib = float(line.split()[1])
        self._proc.wait(timeout=60)
        return peak


# The parts whose processor time a run reads from /proc: every process this one started.
PARTS = ("workers", "server", "driver")


# govsched's workers one role at a time as well ("workers workflows", "workers activities",
# "workers all"): which process a phase's time went to
ROLE_PART = "workers "


def _part(command: list[str]) -> str:
    if command and "temporal-test-server" in Path(command[0]).name:
        return "server"
    if "bench.worker_process" in command:
        # govsched's worker is given its role last (WorkerProcess)
        return "bare" if "bare" in command else ROLE_PART + command[-1]
    return "other"


def _cpu() -> dict[str, float]:
    """Processor seconds so far: govsched's workers (with their short-lived jobs), in all and
    by role, the bare baseline's worker, the test server, and this process (the driver)."""
    parts = parts_cpu(os.getpid(), _part)
    parts["driver"] = parts.pop("supervisor", 0.0)
    parts["workers"] = sum(v for k, v in parts.items() if k.startswith(ROLE_PART))
    return parts


async def _run_lengths(client: Client, workflow_id: str) -> list[int]:
    """History lengths of every run of a workflow, newest first (continue-as-new walked back)."""
    lengths, run_id = [], None
    while True:
        handle: WorkflowHandle[Any, Any] = client.get_workflow_handle(workflow_id, run_id=run_id)
        history = await handle.fetch_history()
        lengths.append(len(history.events))
        first = history.events[0]
        if first.event_type != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            return lengths
        previous = first.workflow_execution_started_event_attributes.continued_execution_run_id
        if not previous:
            return lengths
        run_id = previous


async def _bounded(calls: Iterable[Callable[[], Awaitable[T]]]) -> list[T]:
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await call()

    return list(await asyncio.gather(*(one(call) for call in calls)))


async def _apply(
    context: RehearsalContext, clock: ScenarioClock, events: list[ScenarioEvent]
) -> None:
    """Scenario events as a rehearsal applies them, except that the events of one instant go
    in together (32 at a time) after one settle; any refusal stops the benchmark."""
    for at, group in groupby(events, key=lambda e: e.at):
        await clock.advance_to(at)
        await context.tracker.settle(SETTLE_SECONDS)

        def handle(event: ScenarioEvent) -> Callable[[], Awaitable[Refusal | None]]:
            return lambda: HANDLERS[event.action](context, event)

        refused = [r for r in await _bounded(handle(e) for e in group) if r is not None]
        if refused:
            raise RuntimeError(f"{len(refused)} events refused, the first: {refused[0]}")


# The time-skipping test server can fail an update-with-start whose answer it waited long for
# (a NullPointerException in its waitForUpdateResponse, seen at 20,000 members): the driver then
# asks again with the same key, as an API client would, which joins the change already made.
ASKED_AGAIN = 5
asked_again = 0


async def _asking_again(call: Callable[[], Awaitable[T]]) -> T:
    global asked_again
    for attempt in itertools.count():
        try:
            return await call()
        except (WorkflowUpdateRPCTimeoutOrCancelledError, RPCError):
            if attempt >= ASKED_AGAIN:
                raise
            asked_again += 1
            await asyncio.sleep(1.0)
    raise AssertionError("unreachable")


async def _record_outcomes(context: RehearsalContext, db: Database, clock: ScenarioClock) -> int:
    """Every presenter presented, recorded from the minutes on the plenary's last day."""
    await clock.advance_to(
        datetime.combine(PLENARY[1], datetime.min.time(), UTC) + timedelta(hours=20)
    )
    await context.tracker.settle(SETTLE_SECONDS)
    with db.reading() as session:
        document = roster_repo.document(session, f"plenary-{YEAR}")
    assert document is not None
    at = await clock.now()

    def record(member: str) -> Callable[[], Awaitable[object]]:
        key = f"bench-outcome-{member}"
        context.tracker.track(registry_change_workflow_id(key))
        request = RecordPresentation(
            year=YEAR, member=member, outcome=PresentationOutcome.PRESENTED
        )
        return lambda: _asking_again(
            lambda: context.rosters.record_presentation(request, MINUTES, at, key)
        )

    return len(await _bounded(record(slot.member) for slot in document.slots))


async def _baseline(env: WorkflowEnvironment, size: int) -> Measure:
    target = env.client.service_client.config.target_host
    # A plain client: the environment's own would unlock time skipping around every result it
    # waits for, and 32 concurrent waits leave the server's skipping lock unbalanced.
    plain = await Client.connect(target, data_converter=pydantic_data_converter)
    worker = WorkerProcess(target, "bare")
    try:
        before = _cpu()
        started = time.perf_counter()
        ids = [f"bench-bare-{size}-{k}" for k in range(size)]

        def run_one(workflow_id: str, k: int) -> Callable[[], Awaitable[object]]:
            return lambda: plain.execute_workflow(
                OneActivityWorkflow.run, k, id=workflow_id, task_queue=TASK_QUEUE
            )

        await _bounded(run_one(wid, k) for k, wid in enumerate(ids))
        seconds = time.perf_counter() - started
        cpu = difference(before, _cpu())
    finally:
        peak = worker.stop()
    sampled = [
        len((await env.client.get_workflow_handle(w).fetch_history()).events) for w in ids[:20]
    ]
    per = max(sampled)
    return Measure(
        seconds,
        per * size,
        per,
        size,
        0,
        peak,
        cpu.get("bare", 0.0),
        server_cpu_seconds=cpu.get("server", 0.0),
        driver_cpu_seconds=cpu.get("driver", 0.0),
    )


class PatientServer:
    """The parts of the time-skipping environment the driver uses, on a connection without
    keep-alive pings: at 20,000 members the server can be too busy to answer a ping in time,
    and the client would then drop the connection in the middle of a long skip."""

    def __init__(self, client: Client) -> None:
        self.client = client

    @classmethod
    async def of(cls, env: WorkflowEnvironment) -> PatientServer:
        target = env.client.service_client.config.target_host
        return cls(
            await Client.connect(
                target, data_converter=pydantic_data_converter, keep_alive_config=None
            )
        )

    async def get_current_time(self) -> datetime:
        answer = await self.client.test_service.get_current_time(Empty())
        return answer.time.ToDatetime().replace(tzinfo=UTC)


# The worker processes of a run: both roles apart (the default, as ARCHITECTURE.md advises at
# scale), or one process running both (`--one-worker`), to compare the memory of the two shapes.
APART = (WorkerRole.WORKFLOWS, WorkerRole.ACTIVITIES)
TOGETHER = (WorkerRole.ALL,)


async def _cycle(
    env: WorkflowEnvironment,
    size: int,
    tmp: Path,
    year: bool,
    roles: tuple[WorkerRole, ...] = APART,
) -> Year:
    rulebook: Rulebook = load_rulebook_spec("vpi", Path.cwd(), OVERRIDES)
    document = scenario_document(size, year)
    scenario = parse_scenario(document, rulebook.initiative.timezone, ACTIONS)
    url = f"sqlite:///{tmp / f'cycle-{size}.db'}"
    upgrade(url)
    db = Database.from_url(url)
    with db.writing() as session:
        seed(session, [*scenario.members, *scenario.people], scenario.start, rulebook)
    target = env.client.service_client.config.target_host
    workers = [
        WorkerProcess(target, "govsched", url, json.dumps(OVERRIDES), role.value) for role in roles
    ]
    phases: dict[str, float] = {}
    phase_cpu: dict[str, dict[str, float]] = {}
    global asked_again
    asked_again = 0
    try:
        server = await PatientServer.of(env)
        client = server.client
        clock = await ScenarioClock.starting_at(cast(WorkflowEnvironment, server), scenario.start)
        tracker = WorkflowTracker(client)
        reports = ReportService(client, db, rulebook, TASK_QUEUE, clock.offset)
        context = RehearsalContext(
            client,
            TASK_QUEUE,
            clock.offset,
            tracker,
            ApplicationService(client, db, rulebook, TASK_QUEUE, clock.offset),
            RosterService(client, db, rulebook, TASK_QUEUE, clock.offset),
            reports,
        )
        started = time.perf_counter()
        mark = started
        first = reading = _cpu()

        def phase(name: str) -> None:
            nonlocal mark, reading
            now, cpu = time.perf_counter(), _cpu()
            phases[name] = now - mark
            spent = difference(reading, cpu)
            phase_cpu[name] = {part: spent.get(part, 0.0) for part in PARTS} | {
                part: seconds for part, seconds in spent.items() if part.startswith(ROLE_PART)
            }
            mark, reading = now, cpu

        await _apply(context, clock, [e for e in scenario.events if e.at.date() < PLENARY[0]])
        phase("before the reports")
        with db.reading() as session:
            plenary = registry_repo.get_plenary(session, f"plenary-{YEAR}")
            assert plenary is not None
            members = registry_repo.list_members(session)
        dates = cycle_dates(plenary, rulebook)
        tz_noon = timedelta(hours=16)  # mid-day in the initiative's zone
        await clock.advance_to(
            datetime.combine(dates.due - timedelta(days=21), datetime.min.time(), UTC) + tz_noon
        )
        await tracker.settle(SETTLE_SECONDS)
        phase("opened and reminded")

        rnd = random.Random(size)
        # admitted applicants have no focal point in the generated registry: they go overdue
        generated = {m["id"] for m in document["members"]}
        reporting = [m for m in members if m.id in generated and rnd.random() < REPORTING_SHARE]
        at = await clock.now()
        tracker.track(report_cycle_id(YEAR))

        def report(member: Any) -> Callable[[], Awaitable[object]]:
            cmd = SubmitReport(
                year=YEAR,
                member=member.id,
                by=f"fp-{member.id}",
                kind=expected_kind(YEAR, member.joined, rulebook),
                url=f"https://reports.example/{member.id}-{YEAR}.pdf",
            )
            return lambda: reports.submit_report(cmd, at)

        submitted = len(await _bounded(report(m) for m in reporting))
        phase("reports submitted")
        await tracker.settle(SETTLE_SECONDS)
        phase("reports settled")

        review_due = datetime.combine(dates.review_due, datetime.min.time(), UTC)
        await clock.advance_to(review_due - timedelta(days=10) + tz_noon)
        await tracker.settle(SETTLE_SECONDS)
        phase("overdue, escalated, assigned")
        with db.reading() as session:
            assigned = report_repo.reviews(session, YEAR)
        at = await clock.now()

        def review(r: Any) -> Callable[[], Awaitable[object]]:
            cmd = SubmitReview(
                year=YEAR,
                report_of=r.report_of,
                reviewer=r.reviewer,
                by=f"fp-{r.reviewer}",
                url=f"https://reviews.example/{r.reviewer}-{r.report_of}.pdf",
            )
            return lambda: reports.submit_review(cmd, at)

        chosen = [r for r in assigned if r.reviewer in generated and rnd.random() < REVIEWING_SHARE]
        reviewed = len(await _bounded(review(r) for r in chosen))
        # the reviews' feedback is sent while they come in; what is still going out when the
        # last one is in counts here too, not in the close (until 7 December 2026 the close
        # counted between 1% and 62% of it in rounds of one size)
        await tracker.settle(SETTLE_SECONDS)
        phase("reviews submitted, feedback sent")
        await _apply(context, clock, [e for e in scenario.events if e.at.date() >= PLENARY[0]])
        presenters = await _record_outcomes(context, db, clock) if year else 0
        await clock.advance_to(scenario.until)
        await tracker.settle(SETTLE_SECONDS)
        phase("plenary, outcomes, close")
        seconds = time.perf_counter() - started
        whole = difference(first, _cpu())
    finally:
        cpu = sum(worker.cpu_seconds() for worker in workers)
        peaks = tuple(worker.stop() for worker in workers)
        peak = sum(peaks)
        solver = max(worker.children_peak_mib for worker in workers)
    lengths: list[int] = []
    for workflow_id in sorted(tracker.all_workflows):
        lengths += await _run_lengths(client, workflow_id)
    with db.reading() as session:
        notifications = session.scalar(select(func.count()).select_from(NotificationRow)) or 0
        chairs = [t.member for t in registry_repo.list_chair_terms(session)]
        tables = inspect(db.engine).get_table_names()
        rows = sum(
            session.scalar(select(func.count()).select_from(table(name))) or 0
            for name in tables
            if name != "alembic_version"
        )
    if year and chairs[-1:] != ["gov-00001"]:
        raise RuntimeError(f"the Chair was not handed over: terms {chairs}")
    db.dispose()
    measure = Measure(
        seconds,
        sum(lengths),
        max(lengths),
        len(lengths),
        notifications,
        peak,
        cpu,
        rows,
        peaks,
        solver,
        whole.get("server", 0.0),
        whole.get("driver", 0.0),
    )
    applications = sum(e.action == "submit_application" for e in scenario.events)
    return Year(
        measure, submitted, reviewed, applications, presenters, phases, phase_cpu, asked_again
    )


def _server_apart(core: int) -> None:
    """The test server on `core` alone, this process (and the workers it starts from now on)
    on the others. On a deployment the Temporal cluster has machines of its own; on two shared
    cores the test server's time (a whole core through the 20,000-member year's close) is
    otherwise spent on the cores govsched's workers are measured on."""
    servers = children_running(os.getpid(), "temporal-test-server")
    if len(servers) != 1:
        raise RuntimeError(f"expected one test server under this process, found {servers}")
    others = os.sched_getaffinity(0) - {core}
    if core not in os.sched_getaffinity(0) or not others:
        raise RuntimeError(f"--server-core {core} needs that core and another one to run on")
    pin(servers[0], {core})
    pin(os.getpid(), others)


async def _one_size(
    size: int,
    test_server: str,
    year: bool = False,
    roles: tuple[WorkerRole, ...] = APART,
    server_core: int | None = None,
) -> Result:
    with tempfile.TemporaryDirectory(prefix="govsched-bench-cycle-") as tmp:
        everywhere = os.sched_getaffinity(0)
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=test_server, data_converter=pydantic_data_converter
        )
        try:
            if server_core is not None:
                _server_apart(server_core)
            await register_search_attributes(env.client)
            baseline = await _baseline(env, size)
            measured = await _cycle(env, size, Path(tmp), year, roles)
        finally:
            await env.shutdown()
            pin(os.getpid(), everywhere)
    return Result(size, baseline, measured, server_core)


CYCLE_METHOD = (
    "The annual plenary is scheduled; time skips to three weeks before the due date; "
    f"{REPORTING_SHARE:.0%} of members report through the service call the API makes "
    f"({IN_FLIGHT} at a time); time skips past the due date (the rest go overdue and are "
    f"referred; reviewers are assigned); {REVIEWING_SHARE:.0%} of assigned reviews come in "
    "(each reaches its reported member); time runs past the end of the plenary."
)
YEAR_METHOD = (
    "The year: the Chair in office; the annual plenary scheduled (which plans the governance "
    "year's milestones, the Chair handover, the verification roster and the reporting cycle); "
    f"{APPLICATIONS} applications at every size (the VPI receives a few a year; each proposal "
    "is told to every Full member, so their number would multiply the membership: "
    "RELIABILITY.md) submitted, marked complete, put to review and supported by three "
    "Steering Committee members, then admitted at the plenary; "
    "the incoming Chair designated; the reporting cycle as in the section above; every "
    "presenter's outcome recorded on the plenary's last day; the handover when the plenary "
    "ends (checked: the new Chair holds the last term)."
)
COMMON_METHOD = (
    "Generated registries in the VPI's pillar mix (19% governments, 56% companies, 25% NGOs), "
    "one focal point per member, the first of each pillar on the Steering Committee; the "
    "time-skipping test server with govsched's real worker in its own process and a SQLite "
    "file; the VPI rulebook with `peer_review.load_tolerance: 2` (ARCHITECTURE.md, peer "
    "review: with this mix the default has no assignment once a few members miss the due "
    "date). Events at one instant are applied together, 32 at a time, after one settle (a "
    "rehearsal settles after each; at 60,000 submissions that would measure the driver). Wall "
    "time runs from the first event to the last settled workflow, the driver's submissions "
    "included. Events count every run of every workflow the year started (continue-as-new "
    "included). {shape} with the shipped workflow cache size, and the roster's draw and the "
    "peer-review assignment in short-lived processes of their own as `govsched worker` runs "
    "them, and a notifier that sends "
    "nowhere and keeps nothing (the ledger counts the notices; until 7 December 2026 the "
    "workers kept every notice they sent, about 60 MiB of the activities worker's peak at 2,000 "
    "members); memory is the sum of the "
    "workers' peak resident sets (VmHWM), the largest short-lived job process's shown apart, "
    "and its ratio is to as many "
    "bare worker processes as govsched's (one measured, counted once per process). Processor "
    "time is read from /proc at the start and end of every phase, for three parts: govsched's "
    "worker processes (their short-lived jobs included), the time-skipping test server, and the "
    "driver (the benchmark's own process: the service calls the API makes and the rehearsal's "
    "client); unlike wall time, other work on the machine inflates it little. The baseline, on "
    "the same server in the same run, is one bare one-activity workflow per member (32 in "
    "flight) on a worker process that registers nothing else, with the same three parts "
    "measured. {rounds}"
)
APART_SHAPE = (
    "govsched's worker runs as two processes on one task queue, one for workflows and one for "
    "activities (ARCHITECTURE.md, scaling out),"
)
TOGETHER_SHAPE = (
    "govsched's worker runs as one process for both roles (`--one-worker`, "
    "`GOVSCHED_WORKER_ROLE=all`),"
)


MEMORY_GOAL_MIB = 300  # issue 21: every worker process together


def _by_size(results: list[Result]) -> list[list[Result]]:
    """The rounds of each size, in the order the sizes first appear."""
    sizes: dict[int, list[Result]] = {}
    for r in results:
        sizes.setdefault(r.size, []).append(r)
    return list(sizes.values())


def _spread(values: list[float], spec: str = ".1f") -> str:
    """The median, with the range of the rounds in brackets when they differ."""
    mid = format(median(values), spec)
    low, high = format(min(values), spec), format(max(values), spec)
    return mid if len(values) == 1 or low == high else f"{mid} ({low}-{high})"


def _mid(rounds: list[Result], value: Callable[[Result], float]) -> float:
    return median([value(r) for r in rounds])


def _rounds_list(groups: list[list[Result]]) -> str:
    if all(len(g) == 1 for g in groups):
        return "one round per size"
    return "rounds: " + ", ".join(f"{len(g)} at {g[0].size:,}" for g in groups)


def _rounds_text(groups: list[list[Result]]) -> str:
    if all(len(g) == 1 for g in groups):
        return "One round per size."
    return (
        f"{_rounds_list(groups).capitalize()} (each round on a fresh server and database); "
        "medians, with the range of the rounds in brackets."
    )


def _one_process(r: Result) -> bool:
    return len(r.cycle.role_mib) == 1


def report(results: list[Result], year: bool = False) -> str:
    """The section: every table from the rounds of the shape `govsched worker` is deployed in
    at scale (two processes), or from the one-process rounds when there are no others; rounds
    of one process beside two also get rows of their own in the memory table."""
    apart = [r for r in results if not _one_process(r)]
    together = [r for r in results if _one_process(r)]
    main_rounds = apart or together
    groups = _by_size(main_rounds)
    sizes = [f"{g[0].size:,}" for g in groups]
    at = ", ".join(sizes[:-1]) + (" and " if len(sizes) > 1 else "") + sizes[-1]
    title = (
        f"## A governance year rehearsed at {at} members"
        if year
        else f"## Reporting cycle: one year rehearsed at {at} members"
    )
    common = COMMON_METHOD.format(
        shape=APART_SHAPE if apart else TOGETHER_SHAPE, rounds=_rounds_text(groups)
    )
    pinned = {r.server_core for r in results}
    if pinned != {None}:
        common += (
            " The test server had a core of its own (`--server-core`; the driver and the "
            "workers ran on the other) in "
            + ("every round" if None not in pinned else "some rounds: do not compare them")
            + "."
        )
    if apart and together:
        common += (
            " The memory table also shows the year run with one process for both roles "
            f"(`--one-worker`, `GOVSCHED_WORKER_ROLE=all`; {_rounds_list(_by_size(together))})."
        )
    lines = [
        title,
        "",
        f"Machine: {machine()}.",
        "",
        f"Method: {YEAR_METHOD if year else CYCLE_METHOD} {common}",
        "",
        "| members | applications | presenters | reports | reviews | wall s | baseline s | "
        "ratio | events | baseline events | ratio | largest history | workflow runs | "
        "notifications | per member | worker MiB | baseline MiB | ratio |",
        "|" + "---|" * 18,
    ]
    for g in groups:
        r = g[len(g) // 2]
        b, c, y = r.baseline, r.cycle, r.year

        def bare(x: Result) -> float:
            return max(1, len(x.cycle.role_mib)) * x.baseline.peak_mib

        lines.append(
            f"| {r.size:,} | {y.applications:,} | {y.presenters:,} | {y.reports:,} | "
            f"{y.reviews:,} | {_spread([x.cycle.seconds for x in g])} | "
            f"{_spread([x.baseline.seconds for x in g])} | "
            f"{_spread([x.cycle.seconds / x.baseline.seconds for x in g], '.2f')} | "
            f"{c.events:,} | {b.events:,} | {c.events / b.events:.3f} | "
            f"{c.largest_history:,} | {c.workflows} | {c.notifications:,} | "
            f"{c.notifications / r.size:.1f} | {_spread([x.cycle.peak_mib for x in g], '.0f')} | "
            f"{_spread([bare(x) for x in g], '.0f')} | "
            f"{_spread([x.cycle.peak_mib / bare(x) for x in g], '.2f')} |"
        )
    lines += [
        "",
        "Worker memory, peak resident set in MiB (goal: the always-on workers together at most "
        f"{MEMORY_GOAL_MIB} through the 20,000-member year):",
        "",
        "| members | workers | workflows worker | activities worker | together | within the goal | "
        "largest short-lived job process (draw, assignment) | one bare worker | "
        "worker CPU ms per member |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for g in _by_size(apart) + _by_size(together):
        peak = median([x.cycle.peak_mib for x in g])
        # one process running both roles shows its peak under workflows, as "both"
        if all(len(x.cycle.role_mib) == 2 for x in g):
            workflows = _spread([x.cycle.role_mib[0] for x in g], ".0f")
            activities = _spread([x.cycle.role_mib[1] for x in g], ".0f")
        else:
            workflows = f"both: {_spread([x.cycle.peak_mib for x in g], '.0f')}"
            activities = "-"
        lines.append(
            f"| {g[0].size:,} | {'one process' if _one_process(g[0]) else 'two processes'} | "
            f"{workflows} | {activities} | "
            f"{_spread([x.cycle.peak_mib for x in g], '.0f')} | "
            f"{'yes' if peak <= MEMORY_GOAL_MIB else 'no'} | "
            f"{_spread([x.cycle.solver_mib for x in g], '.0f')} | "
            f"{_spread([x.baseline.peak_mib for x in g], '.0f')} | "
            f"{_spread([x.cycle.cpu_seconds / x.size * 1000 for x in g])} |"
        )
    lines += [
        "",
        "Per member, the inputs of the capacity model (docs/deploy.md): "
        + "; ".join(
            f"{g[0].size:,}: "
            f"{_spread([x.cycle.cpu_seconds / x.size * 1000 for x in g])} ms of worker CPU, "
            f"{g[0].cycle.events / g[0].size:.2f} history events, "
            f"{g[0].cycle.db_rows / g[0].size:.1f} database rows"
            for g in groups
        )
        + ". Worker CPU here is the worker processes' user and system time over their whole "
        "life, their short-lived jobs' included (until 7 December 2026 the solver's child was "
        "not); rows are every table's at the end of the year.",
    ]
    again = sum(r.year.asked_again for r in results)
    if again:
        lines += [
            "",
            f"The driver asked again {again:,} times in all (the same key, as an API client "
            "would) after the time-skipping test server failed an update-with-start it had "
            "waited long for.",
        ]
    lines += ["", "Where the wall time went (seconds):", ""]
    names = list(main_rounds[0].phases)
    lines.append("| members | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for g in groups:
        lines.append(
            f"| {g[0].size:,} | "
            + " | ".join(_spread([x.phases[n] for x in g]) for n in names)
            + " |"
        )
    if all(r.year.phase_cpu for r in main_rounds):
        lines += [
            "",
            "Where the processor time went (seconds, from /proc): govsched's workers, the test "
            "server, the driver; the baseline's bare worker and the test server over the whole "
            "baseline run in the last column:",
            "",
            "| members | part | " + " | ".join(names) + " | whole year | baseline |",
            "|---|---|" + "---|" * (len(names) + 2),
        ]
        baseline_of = {
            "workers": lambda x: x.baseline.cpu_seconds,
            "server": lambda x: x.baseline.server_cpu_seconds,
            "driver": lambda x: x.baseline.driver_cpu_seconds,
        }
        for g in groups:
            for part in PARTS:
                cells = [_spread([x.year.phase_cpu[n][part] for x in g]) for n in names]
                whole = _spread([sum(x.year.phase_cpu[n][part] for n in names) for x in g])
                base = _spread([baseline_of[part](x) for x in g])
                lines.append(
                    f"| {g[0].size:,} | {part} | " + " | ".join(cells) + f" | {whole} | {base} |"
                )
    return "\n".join(lines) + "\n"


def main(
    sizes: tuple[int, ...],
    write: bool,
    year: bool = False,
    roles: tuple[WorkerRole, ...] = APART,
    rounds: int = 1,
    keep: Path | None = None,
    server_core: int | None = None,
) -> str:
    """Run `rounds` rounds of each size; with `keep`, every round is appended to that file as
    a JSON line as soon as it ends (`--from` reports from such files without running)."""
    test_server = Settings().temporal_test_server
    results = []
    for size in sizes:
        for _ in range(rounds):
            result = asyncio.run(_one_size(size, test_server, year, roles, server_core))
            results.append(result)
            if keep is not None:
                with keep.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(asdict(result)) + "\n")
    return publish(results, write, year)


def publish(results: list[Result], write: bool, year: bool) -> str:
    results = sorted(results, key=lambda r: r.size)
    body = report(results, year) + growth([r for r in results if not _one_process(r)] or results)
    if write:
        write_section("governance_year" if year else "report_cycle", body)
    return body


def load(paths: list[Path]) -> list[Result]:
    """Rounds kept by `main(keep=...)`."""
    results = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            raw = json.loads(line)
            baseline = Measure(
                **{**raw["baseline"], "role_mib": tuple(raw["baseline"]["role_mib"])}
            )
            y = raw["year"]
            measure = Measure(**{**y["measure"], "role_mib": tuple(y["measure"]["role_mib"])})
            year = Year(**{**y, "measure": measure})
            results.append(Result(raw["size"], baseline, year, raw.get("server_core")))
    return results


# seconds below which a figure's growth says nothing (clock ticks, a phase with nothing to do)
TOO_SMALL_TO_COMPARE = 0.5


def _growth_of(small: list[Result], large: list[Result], value: Callable[[Result], float]) -> str:
    """Growth per member of a figure from one size to the next, from the medians of the rounds
    (1.00 = linear), with the range over every pair of rounds when there are several."""
    scale = large[0].size / small[0].size
    if min(value(r) for r in small) < TOO_SMALL_TO_COMPARE:
        return "-"

    def ratio(a: float, b: float) -> float:
        return b / a / scale

    mid = ratio(_mid(small, value), _mid(large, value))
    pairs = [ratio(value(a), value(b)) for a in small for b in large]
    if len(pairs) == 1 or f"{min(pairs):.2f}" == f"{max(pairs):.2f}":
        return f"x{mid:.2f}"
    return f"x{mid:.2f} ({min(pairs):.2f}-{max(pairs):.2f})"


def _phase_wall(name: str) -> Callable[[Result], float]:
    return lambda r: r.phases[name]


def _phase_cpu(name: str | None, part: str) -> Callable[[Result], float]:
    """A part's processor seconds in one phase, or in the whole year (`name` None)."""
    if name is None:
        return lambda r: sum(spent[part] for spent in r.year.phase_cpu.values())
    return lambda r: r.year.phase_cpu[name][part]


def growth(results: list[Result], from_size: int = 2_000) -> str:
    """How the cost grows per member, phase by phase, from each size of at least 2,000 to the
    next (the 80-member run is mostly fixed costs, so growth measured from it flatters): in
    wall time, and in the processor time of govsched's workers and of the test server."""
    groups = _by_size(results)
    pairs = [(a, b) for a, b in itertools.pairwise(groups) if a[0].size >= from_size]
    if not pairs:
        return ""
    lines = [
        "",
        "Growth per member from one size to the next (1.00 = linear; from the medians, the "
        "range over every pair of rounds in brackets; - where the smaller size spent under "
        f"{TOO_SMALL_TO_COMPARE} s):",
        "",
    ]
    for small, large in pairs:
        scale = large[0].size / small[0].size
        events = large[0].cycle.events / small[0].cycle.events / scale
        notices = large[0].cycle.notifications / small[0].cycle.notifications / scale
        phases = ", ".join(
            f"{name} {_growth_of(small, large, _phase_wall(name))}" for name in small[0].phases
        )
        lines.append(
            f"- {small[0].size:,} to {large[0].size:,} members: wall time "
            f"{_growth_of(small, large, lambda r: r.cycle.seconds)}, events x{events:.3f}, "
            f"notifications x{notices:.2f}, worker CPU "
            f"{_growth_of(small, large, lambda r: r.cycle.cpu_seconds)} per member; the "
            f"baseline's wall time {_growth_of(small, large, lambda r: r.baseline.seconds)}; "
            f"wall time by phase: {phases}"
        )
        if not all(r.year.phase_cpu for r in small + large):
            continue
        # the workers' time by process, where every round kept it (from 7 December 2026)
        roles = [
            part
            for part in (ROLE_PART + "workflows", ROLE_PART + "activities")
            if all(part in spent for r in small + large for spent in r.year.phase_cpu.values())
        ]
        lines += [
            "",
            f"Processor time per member from {small[0].size:,} to {large[0].size:,} members, "
            "by phase (1.00 = linear; issue 21's goal for govsched: at most 1.05):",
            "",
            "| phase | wall | govsched's workers | test server | driver |"
            + "".join(f" {part.removeprefix(ROLE_PART)} worker |" for part in roles),
            "|---|---|---|---|---|" + "---|" * len(roles),
        ]
        for name in [*small[0].phases, None]:
            wall = (lambda r: r.cycle.seconds) if name is None else _phase_wall(name)
            lines.append(
                f"| {name or 'whole year'} | {_growth_of(small, large, wall)} | "
                + " | ".join(
                    _growth_of(small, large, _phase_cpu(name, p)) for p in (*PARTS, *roles)
                )
                + " |"
            )
        lines.append(
            f"| baseline (bare workflows) | "
            f"{_growth_of(small, large, lambda r: r.baseline.seconds)} | "
            f"{_growth_of(small, large, lambda r: r.baseline.cpu_seconds)} | "
            f"{_growth_of(small, large, lambda r: r.baseline.server_cpu_seconds)} | "
            f"{_growth_of(small, large, lambda r: r.baseline.driver_cpu_seconds)} |"
            + " - |"
            * len(roles)
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    args = sys.argv[1:]

    def option(name: str) -> str | None:
        return args[args.index(name) + 1] if name in args else None

    year = "--year" in args
    if "--from" in args:
        # report (and with --write, write the section) from rounds kept by --keep
        kept = [Path(a) for a in args[args.index("--from") + 1 :] if not a.startswith("--")]
        print(publish(load(kept), "--write" in args, year))
    else:
        values = {option("--rounds"), option("--keep"), option("--server-core")}
        sizes = tuple(int(a) for a in args if a.isdigit() and a not in values) or (80,)
        roles = TOGETHER if "--one-worker" in args else APART
        keep = option("--keep")
        print(
            main(
                sizes,
                write="--write" in args,
                year=year,
                roles=roles,
                rounds=int(option("--rounds") or 1),
                keep=Path(keep) if keep else None,
                server_core=int(core) if (core := option("--server-core")) else None,
            )
        )
