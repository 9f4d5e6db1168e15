"""`govsched concern ...`: participant concerns, acting as the person named by `--by`.

Every step goes through the same service as the API, so the same rules refuse the same things;
`show` and `list` mask an anonymous filer exactly as the API does for that person.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from governance.concerns.access import ConcernView, view
from governance.concerns.contracts import (
    AcknowledgeConcern,
    ConcernCommand,
    DecideConcern,
    ExtendDialogue,
    FileConcern,
    RecommendOnConcern,
    RecordDialogue,
    ReferConcern,
    WithdrawConcern,
)
from governance.concerns.model import Filing, Outcome
from governance.kernel.errors import Forbidden
from governance.kernel.model import Role
from govsched.cli import arguments
from govsched.config import Settings

# The services, the database and Temporal's client are imported inside the commands that
# use them: a command line loads only what its command runs (main.py loads one module).
if TYPE_CHECKING:
    from govsched.services.concerns import ConcernService

Add = Callable[..., argparse.ArgumentParser]


def _offline_service() -> ConcernService:
    """For reads: no Temporal connection is needed."""
    from govsched.persistence.db import Database
    from govsched.services.concerns import ConcernService
    from govsched.services.ids import FILER_CASE_IDS
    from govsched.services.rulebooks import load_rulebook_spec

    settings = Settings()
    db = Database.from_url(settings.database_url)
    return ConcernService(
        None,  # type: ignore[arg-type]
        db,
        load_rulebook_spec(settings.rulebook),
        settings.task_queue,
        case_ids=FILER_CASE_IDS,
    )


def _line(case: ConcernView) -> str:
    outcome = f" ({case.outcome.value})" if case.outcome else ""
    return f"{case.id:<24} about {case.about:<32} {case.state.value}{outcome}"


def _perform(command: ConcernCommand, by: str) -> int:
    from govsched.persistence.db import Database
    from govsched.services.concerns import ConcernService
    from govsched.services.ids import FILER_CASE_IDS
    from govsched.services.rulebooks import load_rulebook_spec
    from govsched.temporal.client import connect

    settings = Settings()
    db = Database.from_url(settings.database_url)

    async def go() -> ConcernView:
        client = await connect(settings, bounded=True)
        service = ConcernService(
            client,
            db,
            load_rulebook_spec(settings.rulebook),
            settings.task_queue,
            settings.clock_offset,
            case_ids=FILER_CASE_IDS,
        )
        record = await service.perform(command, settings.now())
        return view(record, service.actor(by))

    print(_line(asyncio.run(go())))
    return 0


def cmd_file(args: argparse.Namespace) -> int:
    filing = Filing(
        id=args.id,
        about=args.about,
        summary=args.summary,
        evidence=args.evidence or [],
        on_behalf_of=args.on_behalf_of,
        anonymous=args.anonymous,
    )
    return _perform(FileConcern(by=args.by, **filing.model_dump()), args.by)


def cmd_acknowledge(args: argparse.Namespace) -> int:
    return _perform(AcknowledgeConcern(case=args.case, by=args.by), args.by)


def cmd_meeting(args: argparse.Namespace) -> int:
    command = RecordDialogue(case=args.case, by=args.by, note=args.note, held_on=args.held_on)
    return _perform(command, args.by)


def cmd_extend(args: argparse.Namespace) -> int:
    return _perform(ExtendDialogue(case=args.case, by=args.by, reason=args.reason), args.by)


def cmd_refer(args: argparse.Namespace) -> int:
    return _perform(ReferConcern(case=args.case, by=args.by), args.by)


def cmd_recommend(args: argparse.Namespace) -> int:
    command = RecommendOnConcern(case=args.case, by=args.by, recommendation=args.recommendation)
    return _perform(command, args.by)


def cmd_decide(args: argparse.Namespace) -> int:
    command = DecideConcern(
        case=args.case,
        by=args.by,
        outcome=args.outcome,
        note=args.note,
        follow_ups=args.follow_up or [],
    )
    return _perform(command, args.by)


def cmd_withdraw(args: argparse.Namespace) -> int:
    return _perform(WithdrawConcern(case=args.case, by=args.by, note=args.note), args.by)


def cmd_show(args: argparse.Namespace) -> int:
    service = _offline_service()
    case = service.read(args.case, service.actor(args.by))
    print(case.model_dump_json(indent=2))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    service = _offline_service()
    for case in service.list(service.actor(args.by)):
        print(_line(case))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """The Secretariat's own export: every case in state.json's form, anonymous filers named."""
    from govsched.persistence.repos import concerns as concern_repo
    from govsched.rehearsal.export import concerns_line

    service = _offline_service()
    actor = service.actor(args.by)
    if Role.SECRETARIAT not in actor.roles:
        raise Forbidden(Role.SECRETARIAT.value, "exporting every concern with its filers")
    with service.db.reading() as session:
        records = concern_repo.records(session)
    print(json.dumps([concerns_line(r, secretariat=True) for r in records], indent=2))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    concern = commands.add_parser("concern", help="participant concerns").add_subparsers(
        dest="concern_command", required=True, metavar="ACTION"
    )
    file = add("file", cmd_file, "file a concern about a member", concern)
    file.add_argument("id", help="the case id (lowercase letters, digits, '-')")
    file.add_argument("--about", required=True, help="the member the concern is about")
    file.add_argument("--summary", required=True)
    file.add_argument("--evidence", action="append", help="a link; repeat for more")
    file.add_argument("--on-behalf-of", help="the third party (the Secretariat files)")
    file.add_argument("--anonymous", action="store_true", help="hide the filer from the other side")
    steps = {
        "acknowledge": (cmd_acknowledge, "the Secretariat acknowledges the case"),
        "meeting": (cmd_meeting, "record a dialogue meeting"),
        "extend": (cmd_extend, "the Chair extends the dialogue once"),
        "refer": (cmd_refer, "end the dialogue and refer to the Steering Committee"),
        "recommend": (cmd_recommend, "the Steering Committee's recommendation"),
        "decide": (cmd_decide, "record the decision, or an early resolution"),
        "withdraw": (cmd_withdraw, "withdraw the case"),
        "show": (cmd_show, "the case as PERSON may see it (JSON)"),
    }
    parsers = {name: add(name, work, text, concern) for name, (work, text) in steps.items()}
    for sub in parsers.values():
        sub.add_argument("case")
    listing = add("list", cmd_list, "the cases PERSON has a part in", concern)
    export = add("export", cmd_export, "every case, filers named (the Secretariat only)", concern)
    for sub in (file, listing, export, *parsers.values()):
        sub.add_argument("--by", required=True, help="the person acting (or reading)")
    parsers["meeting"].add_argument("--note", required=True)
    parsers["meeting"].add_argument("--held-on", type=arguments.day)
    parsers["extend"].add_argument("--reason", required=True)
    parsers["recommend"].add_argument("--recommendation", required=True)
    parsers["decide"].add_argument("--outcome", required=True, choices=[o.value for o in Outcome])
    parsers["decide"].add_argument("--note", default="")
    parsers["decide"].add_argument(
        "--follow-up", type=arguments.day, action="append", help="a remedial plan's date"
    )
    parsers["withdraw"].add_argument("--note", default="")
