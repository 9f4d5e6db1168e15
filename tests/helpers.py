"""Small helpers shared by tests: a worker on a fresh task queue, fixed instants, commands."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta

from temporalio.client import Client

from governance.kernel.model import Pillar, PlenaryKind, Role
from governance.kernel.timekeeping import local_date
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SchedulePlenary
from governance.registry.contracts import RegistryChange
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.notify.port import Notifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from worker import build_worker

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
NORLAND = AddMember(
    id="gov-norland", name="Government of Norland", pillar=Pillar.GOVERNMENT, country="Norland"
)
PLENARY = SchedulePlenary(
    year=2027,
    starts=date(2027, 5, 18),
    ends=date(2027, 5, 21),
    location="Norland Harbour",
    host="gov-norland",
)


@asynccontextmanager
async def running_worker(
    client: Client,
    db: Database,
    rulebook: Rulebook | None = None,
    notifier: Notifier | None = None,
) -> AsyncIterator[str]:
    """The real worker on a task queue of its own; yields the task queue's name."""
    task_queue = f"test-{uuid.uuid4().hex}"
    with ThreadPoolExecutor(8, thread_name_prefix="test-activity") as executor:
        worker = build_worker(
            client,
            db,
            rulebook or Rulebook(),
            notifier or RecordingNotifier(),
            task_queue,
            executor,
            8,
        )
        async with worker:
            yield task_queue


def record_sitting_plenary(db: Database, at: datetime, rulebook: Rulebook | None = None) -> str:
    """An extraordinary plenary from the local day before `at` to the day after, recorded as
    seeded plenaries are: plenary decisions are only taken while one sits (issue 17.8)."""
    rules = rulebook or Rulebook()
    today = local_date(at, rules.initiative.timezone)
    starts = today - timedelta(days=1)
    command = SchedulePlenary(
        year=starts.year,
        starts=starts,
        ends=today + timedelta(days=1),
        location="Norland Harbour",
        kind=PlenaryKind.EXTRAORDINARY,
    )
    with db.writing() as session:
        seed(session, [command], at, rules)
        plenaries = registry_repo.list_plenaries(session)
    return next(p.id for p in plenaries if p.starts == starts)


def change(command: RegistryCommand, at: datetime = T0, key: str | None = None) -> RegistryChange:
    return RegistryChange(
        key=key or f"test-{uuid.uuid4().hex}", at=at, actor="sec-test", command=command
    )


def focal_point_of(member: str, email: str | None = None) -> AddPerson:
    """The one focal point a test registry gives `member`."""
    return AddPerson(
        id=f"fp-{member}",
        name=f"Focal point of {member}",
        email=email or f"fp@{member}.example",
        member=member,
        roles=[Role.FOCAL_POINT],
    )
