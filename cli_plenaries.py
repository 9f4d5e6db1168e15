"""`govsched plenary ...`: a plenary's milestones, moving it, completing a milestone.

Changes go through the registry-change workflow like the API's, acting as the person named by
`--by` (moving needs the Secretariat role; completing, the milestone's owner role or the
Secretariat's).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import uuid4

from config import Settings
from governance.contracts import RegistryChange
from governance.errors import Forbidden, NotFound
from governance.model import Role, plenary_id
from governance.registry import CompleteMilestone, MovePlenary, RegistryCommand
from persistence import milestone_repo, registry_repo
from persistence.db import Database
from service import registry as registry_service
from service.temporal import connect

Add = Callable[..., argparse.ArgumentParser]


def _db() -> Database:
    return Database.from_url(Settings().database_url)


def _submit(command: RegistryCommand, actor: str, reason: str) -> str:
    settings = Settings()
    change = RegistryChange(
        key=f"cli-{uuid4().hex}",
        at=datetime.now(UTC),
        actor=actor,
        reason=reason,
        command=command,
    )

    async def run() -> str:
        client = await connect(settings)
        outcome = await registry_service.submit(client, change, settings.task_queue)
        registry_service.raise_if_refused(outcome)
        assert outcome.applied is not None
        return outcome.applied.summary

    return asyncio.run(run())


def cmd_milestones(args: argparse.Namespace) -> int:
    pid = args.plenary or plenary_id(args.year)
    with _db().reading() as session:
        if registry_repo.get_plenary(session, pid) is None:
            raise NotFound("plenary", pid)
        milestones = milestone_repo.of_plenary(session, pid)
    for m in milestones:
        done = f"completed by {m.completed_by}" if m.completed_by else m.status.value
        print(f"{m.due.isoformat()}  {m.key:<32} {m.owner_role.value:<20} {done}  {m.title}")
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    with _db().reading() as session:
        person = registry_repo.get_person(session, args.by)
    if person is None or Role.SECRETARIAT not in person.roles:
        raise Forbidden(Role.SECRETARIAT.value, "moving a plenary")
    command = MovePlenary(
        year=args.year,
        starts=args.starts,
        ends=args.ends,
        location=args.location,
        plenary=args.plenary,
    )
    print(_submit(command, args.by, args.reason))
    return 0


def cmd_complete(args: argparse.Namespace) -> int:
    command = CompleteMilestone(year=args.year, key=args.key, by=args.by, plenary=args.plenary)
    print(_submit(command, args.by, args.reason))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    plenary = commands.add_parser("plenary", help="preparing a plenary").add_subparsers(
        dest="plenary_command", required=True, metavar="ACTION"
    )
    listing = add("milestones", cmd_milestones, "a plenary's milestones and their state", plenary)
    move = add("move", cmd_move, "move a plenary; its milestones and roster follow", plenary)
    complete = add("complete", cmd_complete, "mark a milestone done", plenary)
    for sub in (listing, move, complete):
        sub.add_argument("year", type=int)
        sub.add_argument("--plenary", help="an extraordinary plenary's id (plenary-2027-x1)")
    complete.add_argument("key", help="the milestone's key (see `plenary milestones`)")
    for sub in (move, complete):
        sub.add_argument("--by", required=True, help="the person acting")
        sub.add_argument("--reason", default="", help="why, for the audit log")
    move.add_argument("--starts", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    move.add_argument("--ends", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    move.add_argument("--location", help="the new place, if it changes")
