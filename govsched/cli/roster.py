"""`govsched roster ...`: read, forecast, check and act on the verification roster.

`verify` needs nothing but the published JSON document: any member can run it on the roster
they were sent. Deferral commands act as the person named by `--by`, checked by the same rules
as that person's API token.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from uuid import uuid4

import yaml
from pydantic import ValidationError

from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.timekeeping import local_date
from governance.roster.document import RosterDocument, verify
from governance.roster.fairness import report_text, simulate
from governance.roster.presentations import RecordPresentation
from governance.roster.requests import DecideDeferral, RequestDeferral
from governance.roster.rule import PresentationOutcome, RosterRules
from governance.rulebook.model import validation_problems
from govsched.cli import arguments
from govsched.config import OperatorError, Settings

# The services, the database and Temporal's client are imported inside the commands that
# use them: a command line loads only what its command runs (main.py loads one module).
if TYPE_CHECKING:
    from govsched.persistence.db import Database
    from govsched.services.roster import RosterService

T = TypeVar("T")
Add = Callable[..., argparse.ArgumentParser]
EXIT_DIFFERS = 1
REPORT_SEED = 2027


def _now() -> datetime:
    return Settings().now()


def _db() -> Database:
    from govsched.persistence.db import Database

    return Database.from_url(Settings().database_url)


def _with_service(act: Callable[[RosterService], Awaitable[T]]) -> T:
    from govsched.persistence.db import Database
    from govsched.services.roster import RosterService
    from govsched.services.rulebooks import load_rulebook_spec
    from govsched.temporal.client import connect

    settings = Settings()

    async def run() -> T:
        client = await connect(settings, bounded=True)
        db = Database.from_url(settings.database_url)
        try:
            rulebook = load_rulebook_spec(settings.rulebook)
            return await act(
                RosterService(client, db, rulebook, settings.task_queue, settings.clock_offset)
            )
        finally:
            db.dispose()

    return asyncio.run(run())


def cmd_show(args: argparse.Namespace) -> int:
    from govsched.services.roster import circulated, published

    db = _db()
    if args.format == "json":
        print(published(db, args.year).model_dump_json(indent=2))
    else:
        print(circulated(db, args.year), end="")
    return 0


def cmd_forecast(args: argparse.Namespace) -> int:
    from govsched.services.roster import forecast_years
    from govsched.services.rulebooks import load_rulebook_spec

    rulebook = load_rulebook_spec(Settings().rulebook)
    today = local_date(_now(), rulebook.initiative.timezone)
    for year in forecast_years(_db(), rulebook, args.years, today):
        state = "published" if year.published else f"forecast (seed {year.seed})"
        print(f"{year.year}: {state}")
        for slot in year.slots:
            print(f"  {slot.rank:>3}  {slot.member:<40} {slot.pillar.value:<10} {slot.reason}")
    return 0


def _read_document(path: Path) -> RosterDocument:
    from govsched.services.text_files import read_text

    try:
        text = read_text(path)
    except OSError as exc:
        raise OperatorError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{path} is not a published roster document",
            [Problem("file", "is not UTF-8 text (a roster document is JSON)")],
        ) from None
    try:
        return RosterDocument.model_validate_json(text)
    except ValidationError as exc:
        problems = validation_problems(exc)
        if not problems:
            problems = [Problem("file", "not a roster document (JSON)")]
        raise InvalidInput(f"{path} is not a published roster document", problems) from None


def cmd_verify(args: argparse.Namespace) -> int:
    document = _read_document(Path(args.file))
    differences = verify(document)
    if not differences:
        print(
            f"matches: the {document.year} roster ({len(document.slots)} presenters, "
            f"{len(document.deferrals)} deferrals) is what its published inputs give "
            f"under rule version {document.rules.rule_version}"
        )
        return 0
    print(f"differs: the {document.year} roster is not what its published inputs give")
    for difference in differences:
        print(f"  - {difference}")
    return EXIT_DIFFERS


def cmd_report(args: argparse.Namespace) -> int:
    from govsched.services.rulebooks import load_rulebook_spec

    rules = RosterRules.of(load_rulebook_spec(Settings().rulebook))
    print(report_text(simulate(rules, args.years, args.seed), args.years), end="")
    return 0


def cmd_request_deferral(args: argparse.Namespace) -> int:
    request = RequestDeferral(year=args.year, member=args.member, by=args.by, reason=args.reason)
    result = _with_service(lambda s: s.request_deferral(request, _now()))
    print(yaml.safe_dump(result.model_dump(mode="json"), sort_keys=False), end="")
    return 0


def cmd_decide_deferral(args: argparse.Namespace) -> int:
    request = DecideDeferral(
        year=args.year, member=args.member, by=args.by, approve=args.decision == "approve"
    )
    document = _with_service(lambda s: s.decide_deferral(request, _now()))
    for slot in document.slots:
        print(f"{slot.rank:>3}  {slot.member:<40} {slot.reason}")
    return 0


def cmd_record_presentation(args: argparse.Namespace) -> int:
    request = RecordPresentation(
        year=args.year, member=args.member, outcome=args.outcome, note=args.note
    )
    key = args.key or f"cli-{uuid4().hex}"
    outcome = _with_service(lambda s: s.record_presentation(request, args.by, _now(), key))
    assert outcome.applied is not None
    print(outcome.applied.summary)
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    roster = commands.add_parser("roster", help="the verification roster").add_subparsers(
        dest="roster_command", required=True, metavar="ACTION"
    )
    show = add("show", cmd_show, "a published roster", roster)
    show.add_argument("year", type=arguments.year)
    show.add_argument("--format", choices=["markdown", "json"], default="markdown")

    forecast = add("forecast", cmd_forecast, "who presents in the coming years, and why", roster)
    forecast.add_argument("--years", type=_years, default=3, help="how many years (1-20)")

    check = add("verify", cmd_verify, "recompute a published roster from its inputs", roster)
    check.add_argument("file", help="the roster's JSON document (`roster show --format json`)")

    report = add("report", cmd_report, "the rule's fairness against round-robin and random", roster)
    report.add_argument("--years", type=_years, default=10, help="years to simulate (1-20)")
    report.add_argument("--seed", type=int, default=REPORT_SEED, help="the simulation's seed")

    ask = add("request-deferral", cmd_request_deferral, "ask to defer a presentation", roster)
    decide = add("decide-deferral", cmd_decide_deferral, "approve or refuse a deferral", roster)
    record = add("record-presentation", cmd_record_presentation, "record an outcome", roster)
    for sub in (ask, decide, record):
        sub.add_argument("year", type=arguments.year)
        sub.add_argument("member")
        sub.add_argument("--by", required=True, help="the person acting")
    ask.add_argument("--reason", required=True)
    decide.add_argument("decision", choices=["approve", "refuse"])
    record.add_argument("--outcome", required=True, choices=[o.value for o in PresentationOutcome])
    record.add_argument("--note", default="")
    record.add_argument("--key", help="an idempotency key: the same key records once")


def _years(text: str) -> int:
    try:
        years = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= years <= 20:
        raise argparse.ArgumentTypeError("must be between 1 and 20")
    return years
