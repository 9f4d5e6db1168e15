"""`govsched plenary ...` and `govsched handover ...`: preparing a plenary and the Chair handover.

Changes go through the registry-change workflow like the API's, acting as the person named by
`--by` (moving needs the Secretariat role; completing, the milestone's owner role or the
Secretariat's).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import uuid4

from governance.kernel.errors import Forbidden, NotFound
from governance.kernel.model import Role, plenary_id
from governance.kernel.timekeeping import local_date
from governance.registry.changes import CompleteMilestone, MovePlenary, RegistryCommand
from governance.registry.contracts import RegistryChange
from governance.year.handover.rules import CompleteHandoverItem, DesignateIncomingChair
from governance.year.milestones import progress
from governance.year.plenary_agenda import as_html, as_markdown
from govsched.cli import arguments
from govsched.config import Settings

# The services, the database and Temporal's client are imported inside the commands that
# use them: a command line loads only what its command runs (main.py loads one module).
if TYPE_CHECKING:
    from govsched.persistence.db import Database

Add = Callable[..., argparse.ArgumentParser]


def _db() -> Database:
    from govsched.persistence.db import Database

    return Database.from_url(Settings().database_url)


def _submit(command: RegistryCommand, actor: str, reason: str) -> str:
    from govsched.services import registry as registry_service
    from govsched.temporal.client import connect

    settings = Settings()
    change = RegistryChange(
        key=f"cli-{uuid4().hex}",
        at=settings.now(),
        actor=actor,
        reason=reason,
        command=command,
    )

    async def run() -> str:
        client = await connect(settings, bounded=True)
        outcome = await registry_service.submit(
            client, change, settings.task_queue, settings.clock_offset
        )
        registry_service.raise_if_refused(outcome)
        assert outcome.applied is not None
        return outcome.applied.summary

    return asyncio.run(run())


def cmd_milestones(args: argparse.Namespace) -> int:
    from govsched.persistence.repos import milestones as milestone_repo
    from govsched.persistence.repos import registry as registry_repo
    from govsched.services.rulebooks import load_rulebook_spec

    pid = args.plenary or plenary_id(args.year)
    with _db().reading() as session:
        if registry_repo.get_plenary(session, pid) is None:
            raise NotFound("plenary", pid)
        milestones = milestone_repo.of_plenary(session, pid)
    tz = load_rulebook_spec(Settings().rulebook).initiative.timezone
    now = Settings().now()
    for m in milestones:
        status = progress(m, now, tz).value
        done = f"{status} by {m.completed_by}" if m.completed_by else status
        print(f"{m.due.isoformat()}  {m.key:<32} {m.owner_role.value:<20} {done}  {m.title}")
    return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    from govsched.services.plenary_agenda import agenda_for
    from govsched.services.rulebooks import load_rulebook_spec

    settings = Settings()
    rulebook = load_rulebook_spec(settings.rulebook)
    today = local_date(settings.now(), rulebook.initiative.timezone)
    # the operator's CLI prints the Secretariat's own copy (every item), the one it circulates
    agenda = agenda_for(_db(), args.plenary or plenary_id(args.year), today, rulebook, None)
    if args.format == "json":
        print(agenda.model_dump_json(indent=2))
    elif args.format == "html":
        print(as_html(agenda), end="")
    else:
        print(as_markdown(agenda))
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    from govsched.persistence.repos import registry as registry_repo

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


def cmd_handover_show(args: argparse.Namespace) -> int:
    from govsched.persistence.repos import handover as handover_repo

    with _db().reading() as session:
        handover = (
            handover_repo.get(session, args.year)
            if args.year is not None
            else handover_repo.next_open(session)
        )
    if handover is None:
        raise NotFound("handover", str(args.year or "to come"))
    done = handover.completed_at.isoformat() if handover.completed_at else "not yet"
    print(f"handover {handover.year}: {handover.outgoing or '-'} -> {handover.incoming or '?'}")
    print(f"  at {handover.handover_at.isoformat()}; handed over: {done}")
    for item in handover.items:
        state = f"completed by {item.completed_by}" if item.completed_by else item.status.value
        print(f"  {item.due.isoformat()}  {item.key:<28} {item.owner.value:<15} {state}")
    return 0


def cmd_designate(args: argparse.Namespace) -> int:
    command = DesignateIncomingChair(member=args.member, by=args.by, year=args.year)
    print(_submit(command, args.by, args.reason))
    return 0


def cmd_complete_item(args: argparse.Namespace) -> int:
    command = CompleteHandoverItem(year=args.year, key=args.key, by=args.by)
    print(_submit(command, args.by, args.reason))
    return 0


def _register_handover(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add
) -> None:
    handover = commands.add_parser("handover", help="the Government Chair handover").add_subparsers(
        dest="handover_command", required=True, metavar="ACTION"
    )
    show = add("show", cmd_handover_show, "a handover, its incoming Chair and checklist", handover)
    show.add_argument("year", type=arguments.year, nargs="?", help="the next handover if absent")
    designate = add("designate", cmd_designate, "name the incoming Chair", handover)
    designate.add_argument("member", help="a government that is a Full member")
    designate.add_argument(
        "--year", type=arguments.year, help="the handover's year (the next if absent)"
    )
    complete = add("complete", cmd_complete_item, "tick off a checklist item", handover)
    complete.add_argument("year", type=arguments.year)
    complete.add_argument("key", help="the item's key (see `handover show`)")
    for sub in (designate, complete):
        sub.add_argument("--by", required=True, help="the person acting")
        sub.add_argument("--reason", default="", help="why, for the audit log")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    plenary = commands.add_parser("plenary", help="preparing a plenary").add_subparsers(
        dest="plenary_command", required=True, metavar="ACTION"
    )
    listing = add("milestones", cmd_milestones, "a plenary's milestones and their state", plenary)
    agenda = add("agenda", cmd_agenda, "the draft agenda from what is live now", plenary)
    agenda.add_argument("--format", choices=("md", "json", "html"), default="md")
    move = add("move", cmd_move, "move a plenary; its milestones and roster follow", plenary)
    complete = add("complete", cmd_complete, "mark a milestone done", plenary)
    for sub in (listing, agenda, move, complete):
        sub.add_argument("year", type=arguments.year)
        sub.add_argument("--plenary", help="an extraordinary plenary's id (plenary-2027-x1)")
    complete.add_argument("key", help="the milestone's key (see `plenary milestones`)")
    for sub in (move, complete):
        sub.add_argument("--by", required=True, help="the person acting")
        sub.add_argument("--reason", default="", help="why, for the audit log")
    move.add_argument("--starts", required=True, type=arguments.day, help="YYYY-MM-DD")
    move.add_argument("--ends", required=True, type=arguments.day, help="YYYY-MM-DD")
    move.add_argument("--location", help="the new place, if it changes")
    _register_handover(commands, add)
