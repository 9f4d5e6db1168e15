"""The work every chaos experiment drives: a small registry, then a batch of registry changes.

Each annual plenary scheduled runs the registry-change workflow (apply, wake the governance year,
start the roster, announce), the roster process (plan, announce its seed) and a Chair handover;
each move edits the announcement in place and tells the roster. Every command carries its own
instant, and every plenary lies far in the future, so the outcome depends on nothing but the
commands: an undisturbed run and a disturbed one must end in the same bytes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from temporalio.client import Client, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError

from governance.kernel.model import Pillar, Role
from governance.registry.changes import (
    AddMember,
    AddPerson,
    MovePlenary,
    RegistryCommand,
    SchedulePlenary,
    SetChair,
)
from governance.registry.contracts import CommandOutcome, RegistryChange
from govsched.config import Settings
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.services.registry import submit
from govsched.services.rulebooks import load_rulebook_spec
from govsched.temporal.client import connect
from tests.slack_fake import SlackFake

# The instant the whole batch is issued at (each command a minute after the previous one).
ISSUED = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
FIRST_YEAR = 2101
GOVERNMENTS = ("estavia", "norland", "quorra", "tessaly")


@dataclass(frozen=True)
class Workload:
    plenaries: int
    moves: int
    people: int

    def commands(self) -> list[tuple[str, RegistryCommand]]:
        """(idempotency key, command), in the order they are issued; moves after their plenary."""
        out: list[tuple[str, RegistryCommand]] = []
        for i in range(self.plenaries):
            year = FIRST_YEAR + i
            host = f"gov-{GOVERNMENTS[i % len(GOVERNMENTS)]}"
            starts = date(year, 3, 10 + i % 7)
            out.append(
                (
                    f"chaos-plenary-{year}",
                    SchedulePlenary(
                        year=year,
                        starts=starts,
                        ends=starts + timedelta(days=3),
                        location=f"Plenary city {i}",
                        host=host,
                    ),
                )
            )
        for i in range(self.people):
            out.append(
                (
                    f"chaos-person-{i}",
                    AddPerson(
                        id=f"delegate-{i}",
                        name=f"Delegate {i}",
                        email=f"delegate{i}@chaos.example",
                        member=f"gov-{GOVERNMENTS[i % len(GOVERNMENTS)]}",
                        roles=[Role.FOCAL_POINT],
                    ),
                )
            )
        for i in range(self.moves):
            year = FIRST_YEAR + i
            starts = date(year, 4, 20)
            out.append(
                (
                    f"chaos-move-{year}",
                    MovePlenary(year=year, starts=starts, ends=starts + timedelta(days=2)),
                )
            )
        return out

    def second_moves(self) -> list[tuple[str, RegistryCommand]]:
        """A second move of the first plenaries moved: the change notice is edited in place."""
        out: list[tuple[str, RegistryCommand]] = []
        for i in range(self.moves // 2):
            year = FIRST_YEAR + i
            starts = date(year, 5, 4)
            out.append(
                (
                    f"chaos-move-again-{year}",
                    MovePlenary(year=year, starts=starts, ends=starts + timedelta(days=3)),
                )
            )
        return out


SMALL = Workload(plenaries=4, moves=2, people=2)
FULL = Workload(plenaries=24, moves=10, people=12)


def registry_seed() -> list[RegistryCommand]:
    """Members and people with roles; no plenary, no Engaged member, so no process at start."""
    commands: list[RegistryCommand] = []
    members = [(f"gov-{g}", f"Government of {g.title()}", Pillar.GOVERNMENT) for g in GOVERNMENTS]
    members += [
        ("co-granite", "Granite Mining", Pillar.COMPANY),
        ("co-delta", "Delta Energy", Pillar.COMPANY),
        ("ngo-watch", "Rights Watch", Pillar.NGO),
    ]
    for member, name, pillar in members:
        commands.append(
            AddMember(id=member, name=name, pillar=pillar, country=name, joined=date(2010, 5, 1))
        )
        commands.append(
            AddPerson(
                id=f"fp-{member}",
                name=f"Focal point of {name}",
                email=f"fp.{member}@chaos.example",
                member=member,
                roles=[Role.FOCAL_POINT],
            )
        )
    commands.append(
        AddPerson(
            id="sec-ada",
            name="Ada Secretariat",
            email="ada@chaos.example",
            roles=[Role.SECRETARIAT],
        )
    )
    commands.append(
        SetChair(member="gov-estavia", starts=date(2100, 1, 1), ends=date(2100, 12, 31))
    )
    commands.append(
        AddPerson(
            id="sc-ben",
            name="Ben Steering",
            email="ben@chaos.example",
            member="gov-estavia",
            roles=[Role.STEERING_COMMITTEE, Role.CHAIR],
        )
    )
    return commands


def prepare(settings: Settings, fake: SlackFake) -> None:
    """Migrate, seed the registry, and give every seeded and added person a Slack account."""
    upgrade(settings.database_url)
    db = Database.from_url(settings.database_url)
    try:
        with db.writing() as session:
            seed(session, registry_seed(), ISSUED - timedelta(days=1), load_rulebook_spec("vpi"))
    finally:
        db.dispose()
    emails = [c.email for c in registry_seed() if isinstance(c, AddPerson)]
    emails += [f"delegate{i}@chaos.example" for i in range(FULL.people)]
    for n, email in enumerate(emails):
        fake.add_user(email, f"U{n:06d}")


async def connect_retrying(settings: Settings, patience: float = 60) -> Client:
    deadline = asyncio.get_running_loop().time() + patience
    while True:
        try:
            return await connect(settings)
        except Exception:  # not up (yet, or again): a refused connection is worth another try
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.3)


async def submit_retrying(
    settings: Settings, client: Client, change: RegistryChange, task_queue: str
) -> CommandOutcome:
    """Submit as the API does; a Temporal outage is retried with the same idempotency key."""
    for _ in range(200):
        try:
            return await submit(client, change, task_queue)
        except (RPCError, WorkflowUpdateRPCTimeoutOrCancelledError):
            # what an API client does after a 503: the same request, the same key
            await asyncio.sleep(0.5)
    raise AssertionError(f"{change.key} was never accepted")


async def drive(
    settings: Settings,
    client: Client,
    workload: Workload,
    between: Callable[[], Awaitable[object]],
) -> list[CommandOutcome]:
    """Issue every command, several at a time, in three waves: schedules and people, moves,
    second moves. `between` waits for the cluster to settle after each wave, so that a roster
    plans before its plenary moves in every run (which one comes first is a race otherwise, and
    the seed announcement names the draw day as it stands when the roster plans)."""
    commands = workload.commands() + workload.second_moves()
    changes = [
        RegistryChange(key=key, at=ISSUED + timedelta(minutes=n), actor="sec-ada", command=command)
        for n, (key, command) in enumerate(commands)
    ]
    first = [c for c in changes if not isinstance(c.command, MovePlenary)]
    moves = [c for c in changes if c.key.startswith("chaos-move-2")]
    again = [c for c in changes if c.key.startswith("chaos-move-again-")]
    gate = asyncio.Semaphore(6)

    async def one(change: RegistryChange) -> CommandOutcome:
        async with gate:
            return await submit_retrying(settings, client, change, settings.task_queue)

    outcomes: list[CommandOutcome] = []
    for wave in (first, moves, again):
        outcomes += await asyncio.gather(*(one(c) for c in wave))
        await between()
    refused = [o.refusal for o in outcomes if o.refusal is not None]
    assert not refused, refused
    return outcomes
