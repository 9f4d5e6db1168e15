"""Scaling out (issue 21): two API processes and two workers of each role against one Temporal
server and PostgreSQL, 500 applications through the HTTP API and a roster draw, while one worker
of each role is killed for good; compared with the same work on one API process and one worker.

The parts are the production ones (`govsched api`, `govsched worker` with
GOVSCHED_WORKER_ROLE), started as processes of their own beside the Temporal dev server that
chaos experiments already use (processes.py). The applications are posted by several clients
at once, alternately to each API process, each request with its own Idempotency-Key and repeated
with it after a 503 or a lost connection, as a client behind a load balancer would. The plenary
whose roster is drawn is scheduled through the same service call the API makes, with a fixed
instant, so that its published seed (which breaks ties) is the same in both runs.

Applications are stamped with the real time of their request, so the two runs' records differ
in instants: the comparison reads every instant as its day (`normalised`), and compares the
rest byte for byte.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from temporalio.client import WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError

from governance.kernel.model import Pillar, Role
from governance.registry.changes import (
    AddMember,
    AddPerson,
    RegistryCommand,
    SchedulePlenary,
    SetChair,
)
from governance.registry.contracts import RegistryChange
from govsched.config import Settings
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.tables import ApplicationRow, AuditRow
from govsched.services.registry import submit
from govsched.services.rulebooks import load_rulebook_spec
from tests.chaos.processes import BIN, ChaosStack, wait_for
from tests.chaos.settle import failed_workflows, settle
from tests.chaos.slack_chaos import ChaosSlack
from tests.chaos.snapshot import Snapshot, problems, take
from tests.chaos.workload import connect_retrying
from tests.e2e.stack_process import free_port
from tests.helpers import focal_point_of

APPLICATIONS = int(os.environ.get("GOVSCHED_SCALE_OUT_APPLICATIONS", "500"))
CLIENTS = 8  # requests in flight at once, spread over the API processes
MEMBERS_PER_PILLAR = 15
SECRETARIAT = "sec-ada"
SETTLE_LIMIT = 900.0
# The same for every process of both runs, as docs/deploy.md asks of API replicas.
ID_SECRET = "scale-out-experiment"


@dataclass(frozen=True)
class Topology:
    apis: int
    workflow_workers: int  # GOVSCHED_WORKER_ROLE=workflows; 0: one worker runs everything
    activity_workers: int

    @property
    def name(self) -> str:
        if self.workflow_workers == 0:
            return f"{self.apis} API, 1 worker (all)"
        return (
            f"{self.apis} API, {self.workflow_workers} workflows + "
            f"{self.activity_workers} activities workers"
        )


SINGLE = Topology(apis=1, workflow_workers=0, activity_workers=0)
SCALED = Topology(apis=2, workflow_workers=2, activity_workers=2)


@dataclass
class Processes:
    """The Temporal dev server (ChaosStack's), and the API and worker processes by name."""

    stack: ChaosStack
    today: date
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    killed: list[str] = field(default_factory=list)
    api_urls: list[str] = field(default_factory=list)

    def _environ(self, **extra: str) -> dict[str, str]:
        env = self.stack.environ()
        env.update(GOVSCHED_TODAY=self.today.isoformat(), GOVSCHED_ID_SECRET=ID_SECRET, **extra)
        return env

    def _start(self, name: str, argv: list[str], **extra: str) -> None:
        log = (self.stack.var_dir / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(
            argv, env=self._environ(**extra), stdout=log, stderr=log, start_new_session=True
        )

    def start(self, topology: Topology) -> None:
        if topology.workflow_workers == 0:
            self._start("worker-all", [str(BIN / "govsched"), "worker"])
        for n in range(1, topology.workflow_workers + 1):
            self._start(
                f"worker-workflows-{n}",
                [str(BIN / "govsched"), "worker"],
                GOVSCHED_WORKER_ROLE="workflows",
            )
        for n in range(1, topology.activity_workers + 1):
            self._start(
                f"worker-activities-{n}",
                [str(BIN / "govsched"), "worker"],
                GOVSCHED_WORKER_ROLE="activities",
            )
        for n in range(1, topology.apis + 1):
            port = free_port()
            self._start(f"api-{n}", [str(BIN / "govsched"), "api"], GOVSCHED_HTTP_PORT=str(port))
            self.api_urls.append(f"http://127.0.0.1:{port}")
        for url in self.api_urls:
            wait_for(lambda url=url: _healthy(url), 180, f"the API at {url}")

    def kill(self, name: str) -> None:
        """SIGKILL, never restarted: the others of its kind must carry its work."""
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        self.killed.append(name)

    def check_alive(self) -> None:
        for name, process in self.running.items():
            if process.poll() is not None:
                raise AssertionError(
                    f"{name} exited on its own ({process.returncode}); see {self.stack.var_dir}"
                )

    def stop(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
        self.running.clear()


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


# -- the registry, and the work ----------------------------------------------------------------

PILLAR_PREFIX = {Pillar.GOVERNMENT: "gov", Pillar.COMPANY: "co", Pillar.NGO: "ngo"}


def registry_seed(today: date) -> list[RegistryCommand]:
    """Full members of the three pillars (each with a focal point), the Secretariat, a Chair
    and a Steering Committee member: enough for a roster draw among members past their grace."""
    commands: list[RegistryCommand] = []
    for pillar, prefix in PILLAR_PREFIX.items():
        for n in range(MEMBERS_PER_PILLAR):
            member = f"{prefix}-{n:02d}"
            commands += [
                AddMember(
                    id=member,
                    name=f"{prefix.title()} member {n:02d}",
                    pillar=pillar,
                    country=f"Country {n % 9}",
                    joined=date(2010 + n % 7, 5, 1),
                ),
                focal_point_of(member, f"fp.{member}@scale.example"),
            ]
    commands += [
        AddPerson(
            id=SECRETARIAT,
            name="Ada Secretariat",
            email="ada@scale.example",
            roles=[Role.SECRETARIAT],
        ),
        SetChair(member="gov-00", starts=date(today.year, 1, 1), ends=date(today.year, 12, 31)),
        AddPerson(
            id="sc-ben",
            name="Ben Steering",
            email="ben@scale.example",
            member="gov-00",
            roles=[Role.STEERING_COMMITTEE, Role.CHAIR],
        ),
    ]
    return commands


def prepare(database_url: str, slack: ChaosSlack, today: date) -> str:
    """Migrate, seed, give everyone a Slack account; the Secretariat's API token."""
    upgrade(database_url)
    db = Database.from_url(database_url)
    issued = datetime.combine(today, datetime.min.time(), UTC) - timedelta(days=1)
    try:
        with db.writing() as session:
            seed(session, registry_seed(today), issued, load_rulebook_spec("vpi"))
        with db.writing() as session:
            token = token_repo.issue(session, SECRETARIAT, issued, "scale-out")
    finally:
        db.dispose()
    people = [c for c in registry_seed(today) if isinstance(c, AddPerson)]
    for n, person in enumerate(people):
        slack.add_user(person.email, f"U{n:06d}")
    return token


def application_body(n: int) -> dict[str, Any]:
    pillar = ("government", "company", "ngo")[n % 3]
    return {
        "id": f"app-scale-{n:04d}",
        "organisation": f"Applicant {n:04d}",
        "pillar": pillar,
        "country": f"Country {n % 11}",
        "contact_email": f"applicant{n:04d}@scale.example",
        "statement": f"Applicant {n:04d} commits to the Voluntary Principles.",
        "documents": [f"https://applicants.example/{n:04d}.pdf"],
    }


@dataclass
class Progress:
    accepted: int = 0
    retries: int = 0
    retried_for: Counter[str] = field(default_factory=Counter)  # status code, or "connection"
    last_at: float = 0.0  # time.monotonic() of the last application accepted
    by_api: Counter[str] = field(default_factory=Counter)
    milestones: dict[int, asyncio.Event] = field(default_factory=dict)

    def at(self, count: int) -> asyncio.Event:
        return self.milestones.setdefault(count, asyncio.Event())

    def one_more(self, api: str) -> None:
        self.accepted += 1
        self.last_at = time.monotonic()
        self.by_api[api] += 1
        for count, event in self.milestones.items():
            if self.accepted >= count:
                event.set()


async def post_applications(urls: list[str], token: str, progress: Progress) -> None:
    """Every application once through the APIs, `CLIENTS` at a time; a 503 or a lost connection
    is answered as a client would: the same request, the same key, after a pause."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(APPLICATIONS):
        queue.put_nowait(n)
    headers = {"Authorization": f"Bearer {token}"}

    async def client(index: int) -> None:
        async with httpx.AsyncClient(headers=headers, timeout=120) as http:
            while not queue.empty():
                n = queue.get_nowait()
                body = application_body(n)
                for attempt in range(200):
                    url = urls[(n + attempt) % len(urls)]
                    try:
                        answer = await http.post(
                            f"{url}/applications",
                            json=body,
                            headers={"Idempotency-Key": f"scale-out-{n:04d}"},
                        )
                    except httpx.HTTPError:
                        answer = None
                    if answer is not None and answer.status_code in (200, 201):
                        assert answer.json()["id"] == body["id"], answer.text
                        progress.one_more(url)
                        break
                    if answer is not None and answer.status_code not in (502, 503, 504):
                        raise AssertionError(f"{body['id']}: {answer.status_code} {answer.text}")
                    progress.retries += 1
                    progress.retried_for[
                        "connection" if answer is None else str(answer.status_code)
                    ] += 1
                    await asyncio.sleep(0.5)
                else:
                    raise AssertionError(f"{body['id']} was never accepted")

    await asyncio.gather(*(client(i) for i in range(CLIENTS)))


async def schedule_plenary(processes: Processes, today: date) -> None:
    """The year's plenary, 50 days ahead: its call for presenters has passed, so the roster is
    drawn at once. Issued at a fixed instant of the day, which fixes the roster's seed."""
    starts = today + timedelta(days=50)
    change = RegistryChange(
        key=f"scale-out-plenary-{starts.year}",
        at=datetime.combine(today, datetime.min.time(), UTC) + timedelta(minutes=1),
        actor=SECRETARIAT,
        command=SchedulePlenary(
            year=starts.year,
            starts=starts,
            ends=starts + timedelta(days=2),
            location="Scale-out City",
            host="gov-01",
        ),
    )
    settings = processes.stack.settings
    client = await connect_retrying(settings)
    offset = Settings(today=today).clock_offset
    for _ in range(200):
        try:
            outcome = await submit(client, change, settings.task_queue, offset)
            break
        except (RPCError, WorkflowUpdateRPCTimeoutOrCancelledError):
            await asyncio.sleep(0.5)  # the same request, the same key, as after a 503
    else:
        raise AssertionError("the plenary was never scheduled")
    assert outcome.refusal is None, outcome.refusal


# -- one run --------------------------------------------------------------------------------


@dataclass
class Run:
    topology: Topology
    snapshot: Snapshot
    problems: list[str]
    failed: list[str]
    counts: dict[str, object]
    seconds: float
    figures: dict[str, object]


async def run(
    var_dir: Path, database_url: str, topology: Topology, today: date, kills: bool
) -> Run:
    slack = ChaosSlack()
    slack.start()
    stack = ChaosStack(var_dir, slack.base_url, database_url)
    processes = Processes(stack, today)
    started = time.monotonic()
    try:
        token = prepare(database_url, slack, today)
        stack.start_temporal()
        client = await connect_retrying(stack.settings)
        processes.start(topology)
        progress = Progress()
        figures: dict[str, object] = {}
        killing = asyncio.create_task(_kill_one_of_each(processes, slack, progress, figures))
        if not kills:
            killing.cancel()
        watching = asyncio.create_task(_watch(processes))
        began = time.monotonic()
        half = asyncio.create_task(_plenary_at_half(processes, today, progress))
        work = asyncio.gather(post_applications(processes.api_urls, token, progress), half)
        await _unless_died(work, watching)
        posting_seconds = progress.last_at - began
        if kills:
            await killing
        calm = await settle(client, SETTLE_LIMIT)
        watching.cancel()
        processes.check_alive()
        failed = await failed_workflows(client)
        slack.on_post = None
        figures.update(
            seconds_to_last_application=round(posting_seconds, 1),
            applications_per_second=round(APPLICATIONS / posting_seconds, 1),
            repeated_requests=progress.retries,
            repeated_after=dict(progress.retried_for),
            accepted_by_api=dict(progress.by_api),
            killed=list(processes.killed),
            seconds_to_calm=round(calm - started, 1),
        )
        snapshot = normalised(take(database_url, slack))
        _keep(snapshot, var_dir / "snapshot")
        return Run(
            topology,
            snapshot,
            problems(database_url, slack),
            failed,
            exactly_once_counts(database_url, slack),
            calm - started,
            figures,
        )
    finally:
        processes.stop()
        stack.stop()
        slack.stop()


async def _plenary_at_half(processes: Processes, today: date, progress: Progress) -> None:
    await progress.at(APPLICATIONS // 2).wait()
    await schedule_plenary(processes, today)


async def _kill_one_of_each(
    processes: Processes, slack: ChaosSlack, progress: Progress, figures: dict[str, object]
) -> None:
    """A workflows worker at a fifth of the applications, while requests are in flight; an
    activities worker once the roster is being drawn and announced, at the moment Slack has
    taken a post and the worker has not heard back (the riskiest instant for "no notice
    twice")."""
    await progress.at(APPLICATIONS // 5).wait()
    processes.kill("worker-workflows-1")
    figures["workflows_worker_killed_after"] = progress.accepted
    await progress.at(APPLICATIONS // 2 + APPLICATIONS // 10).wait()
    killed = threading.Event()
    target = len(slack.posted) + 3

    def at_post(count: int) -> None:
        if count >= target and not killed.is_set():
            killed.set()
            processes.kill("worker-activities-1")

    slack.on_post = at_post
    loop = asyncio.get_running_loop()
    if not await loop.run_in_executor(None, killed.wait, 60.0):
        slack.on_post = None
        processes.kill("worker-activities-1")
        figures["activities_worker_killed_at"] = "no post within 60 s: killed idle"
    else:
        figures["activities_worker_killed_at"] = f"post #{target}, {progress.accepted} accepted"
    slack.on_post = None


async def _watch(processes: Processes) -> None:
    while True:
        await asyncio.sleep(0.5)
        processes.check_alive()


async def _unless_died(work: asyncio.Future[Any], watcher: asyncio.Task[None]) -> None:
    await asyncio.wait({work, watcher}, return_when=asyncio.FIRST_COMPLETED)
    if not work.done():
        work.cancel()
        watcher.result()
    work.result()


# -- what a run ended with --------------------------------------------------------------------

_INSTANT = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_ICS_INSTANT = re.compile(r"(\d{8})T\d{6}Z?")


def _day_only(text: str) -> str:
    return _ICS_INSTANT.sub(r"\1", _INSTANT.sub(r"\1", text))


def _by_id(value: Any) -> Any:
    """Lists of records with ids in the order of their ids (they come in the order of their
    instants); every other list keeps its order."""
    if isinstance(value, dict):
        return {k: _by_id(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_by_id(v) for v in value]
        if items and all(isinstance(v, dict) and "id" in v for v in items):
            items.sort(key=lambda v: str(v["id"]))
        return items
    return value


def normalised(snapshot: Snapshot) -> Snapshot:
    """The snapshot with every instant read as its day, and lines of record files (whose order
    follows the instants) sorted."""

    def file(name: str, data: bytes) -> bytes:
        text = _day_only(data.decode())
        if name.endswith(".jsonl"):
            text = "".join(sorted(text.splitlines(keepends=True)))
        elif name.endswith(".json"):
            text = json.dumps(_by_id(json.loads(text)), sort_keys=True, indent=1)
        return text.encode()

    return Snapshot(
        {name: file(name, data) for name, data in snapshot.files.items()},
        [{k: _day_only(str(v)) for k, v in row.items()} for row in snapshot.ledger],
        [{k: _day_only(str(v)) for k, v in row.items()} for row in snapshot.slack],
        snapshot.posts,
    )


def _keep(snapshot: Snapshot, out: Path) -> None:
    """The normalised snapshot as files, to diff two runs by hand when they differ."""
    for name, data in snapshot.files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    for name, rows in (("ledger", snapshot.ledger), ("slack", snapshot.slack)):
        (out / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def exactly_once_counts(database_url: str, slack: ChaosSlack) -> dict[str, object]:
    """Applications recorded, and their submissions audited, each once; posts per key."""
    db = Database.from_url(database_url)
    try:
        with db.reading() as session:
            ids = list(session.scalars(select(ApplicationRow.id)))
            submitted = Counter(
                session.scalars(
                    select(AuditRow.item_id).where(AuditRow.action == "application.submitted")
                )
            )
    finally:
        db.dispose()
    expected = {application_body(n)["id"] for n in range(APPLICATIONS)}
    return {
        "applications": len(ids),
        "distinct_applications": len(set(ids)),
        "missing": sorted(expected - set(ids))[:10],
        "unexpected": sorted(set(ids) - expected)[:10],
        "submissions_audited_twice": sorted(k for k, n in submitted.items() if n > 1)[:10],
        "submissions_not_audited": sorted(expected - set(submitted))[:10],
        "posts": len(slack.posted),
        "keys_posted_twice": len(slack.duplicates()),
    }
