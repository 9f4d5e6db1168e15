"""`govsched applications ...` and `govsched members ...`: the Secretariat's command line.

Each command acts as the person named by `--by`, whose roles the rules check exactly as they
would for the same person's API token; it talks to the configured Temporal and database.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from governance.applications import requests as req
from governance.applications.model import ApplicationRecord, ApplicationState, PlenaryDecision
from governance.kernel.errors import NotFound
from governance.kernel.languages import Language
from governance.rulebook.model import EvidenceKind, Recommendation
from govsched.cli import arguments
from govsched.config import Settings

# The services, the database and Temporal's client are imported inside the commands that
# use them: a command line loads only what its command runs (main.py loads one module).
if TYPE_CHECKING:
    from govsched.services.applications import ApplicationService

T = TypeVar("T")
Add = Callable[..., argparse.ArgumentParser]


def _with_service(act: Callable[[ApplicationService], Awaitable[T]]) -> T:
    from govsched.persistence.db import Database
    from govsched.services.applications import ApplicationService
    from govsched.services.rulebooks import load_rulebook_spec
    from govsched.temporal.client import connect

    settings = Settings()

    async def run() -> T:
        client = await connect(settings, bounded=True)
        db = Database.from_url(settings.database_url)
        try:
            service = ApplicationService(
                client,
                db,
                load_rulebook_spec(settings.rulebook),
                settings.task_queue,
                settings.clock_offset,
            )
            return await act(service)
        finally:
            db.dispose()

    return asyncio.run(run())


def _show(value: Any) -> None:
    data = value.model_dump(mode="json", exclude={"done"})
    print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), end="")


def _now() -> datetime:
    return Settings().now()


def cmd_list(args: argparse.Namespace) -> int:
    from govsched.persistence.db import Database
    from govsched.persistence.repos import applications as application_repo

    db = Database.from_url(Settings().database_url)
    state = ApplicationState(args.state) if args.state else None
    with db.reading() as session:
        records = application_repo.records(session, state, args.window)
    for record in records:
        window_text = record.window.isoformat() if record.window else "-"
        print(f"{record.id}\t{record.state.value}\t{window_text}\t{record.applicant.organisation}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from govsched.persistence.db import Database
    from govsched.persistence.repos import applications as application_repo

    db = Database.from_url(Settings().database_url)
    with db.reading() as session:
        record = application_repo.get(session, args.application)
    if record is None:
        raise NotFound("application", args.application)
    _show(record)
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    request = req.SubmitApplication(
        id=args.id,
        organisation=args.organisation,
        pillar=args.pillar,
        country=args.country,
        contact_email=args.contact_email,
        statement=args.statement,
        documents=args.document or [],
        language=args.language,
    )
    record: ApplicationRecord = _with_service(lambda s: s.submit(request, args.by, _now()))
    _show(record)
    return 0


def _perform(request: req.ApplicationRequest) -> int:
    _show(_with_service(lambda s: s.perform(request, _now())))
    return 0


def cmd_action(args: argparse.Namespace) -> int:
    common = {"application": args.application, "by": args.by}
    builders: dict[str, Callable[[], req.ApplicationRequest]] = {
        "mark-complete": lambda: req.MarkComplete(**common),
        "request-information": lambda: req.RequestInformation(
            **common, question=args.question, respond_within_days=args.days
        ),
        "provide-information": lambda: req.ProvideInformation(**common, answer=args.answer),
        "start-review": lambda: req.StartReview(**common),
        "recommend": lambda: req.Recommend(
            **common, recommendation=args.recommendation, comment=args.comment
        ),
        "object": lambda: req.Object(**common, reason=args.reason),
        "plenary-decision": lambda: req.RecordPlenaryDecision(
            **common, decision=args.decision, note=args.note
        ),
        "withdraw": lambda: req.WithdrawApplication(**common, note=args.note),
    }
    return _perform(builders[args.application_command]())


def cmd_evidence(args: argparse.Namespace) -> int:
    request = req.RecordMilestone(member=args.member, kind=args.kind, by=args.by, note=args.note)
    _show(_with_service(lambda s: s.record_milestone(request, _now())))
    return 0


def cmd_request_full(args: argparse.Namespace) -> int:
    request = req.RequestFullMembership(member=args.member, by=args.by)
    application = _with_service(lambda s: s.request_full_membership(request, _now()))
    print(f"Full membership requested: application {application}")
    return 0


def cmd_extend(args: argparse.Namespace) -> int:
    request = req.ExtendEngagedPeriod(
        member=args.member, by=args.by, until=args.until, reason=args.reason
    )
    _show(_with_service(lambda s: s.extend_engaged_period(request, _now())))
    return 0


def cmd_engaged_period(args: argparse.Namespace) -> int:
    from govsched.persistence.db import Database
    from govsched.services.applications import read_engaged

    _show(read_engaged(Database.from_url(Settings().database_url), args.member))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    apps = commands.add_parser("applications", help="membership applications").add_subparsers(
        dest="application_command", required=True, metavar="ACTION"
    )
    listing = add("list", cmd_list, "the pipeline, by state and window", apps)
    listing.add_argument("--state", choices=[s.value for s in ApplicationState])
    listing.add_argument("--window", type=arguments.day, help="a window's closing date, YYYY-MM-DD")
    add("show", cmd_show, "one application, whole", apps).add_argument("application")

    submit = add("submit", cmd_submit, "record an application received by the Secretariat", apps)
    for flag in ("--organisation", "--pillar", "--country", "--contact-email", "--statement"):
        submit.add_argument(flag, required=True)
    submit.add_argument("--id", help="the application's id (default: generated)")
    submit.add_argument("--document", action="append", help="a document link; repeatable")
    submit.add_argument("--by", required=True, help="the Secretariat member recording it")
    submit.add_argument(
        "--language",
        choices=[language.value for language in Language],
        help="the language the applicant is emailed in (default: the initiative's)",
    )

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = add(name, cmd_action, help_text, apps)
        sub.add_argument("application")
        sub.add_argument("--by", required=True, help="the person acting")
        return sub

    action("mark-complete", "the application is complete")
    info = action("request-information", "ask the applicant for information")
    info.add_argument("--question", required=True)
    info.add_argument("--days", type=int, help="days to respond (default: the rulebook's)")
    action("provide-information", "record the applicant's answer").add_argument(
        "--answer", required=True
    )
    action("start-review", "start the Steering Committee review")
    rec = action("recommend", "record a Steering Committee recommendation")
    rec.add_argument("--recommendation", required=True, choices=[r.value for r in Recommendation])
    rec.add_argument("--comment", default="")
    action("object", "a Full member objects (no-objection period)").add_argument(
        "--reason", required=True
    )
    decision = action("plenary-decision", "record the plenary's decision")
    decision.add_argument("--decision", required=True, choices=[d.value for d in PlenaryDecision])
    decision.add_argument("--note", default="")
    action("withdraw", "the applicant withdraws").add_argument("--note", default="")

    members = commands.add_parser("members", help="Engaged members' way to Full").add_subparsers(
        dest="member_command", required=True, metavar="ACTION"
    )
    evidence = add("evidence", cmd_evidence, "record evidence towards Full membership", members)
    evidence.add_argument("member")
    evidence.add_argument("--kind", required=True, choices=[k.value for k in EvidenceKind])
    evidence.add_argument("--by", required=True)
    evidence.add_argument("--note", default="")
    full = add("request-full", cmd_request_full, "request Full membership", members)
    full.add_argument("member")
    full.add_argument("--by", required=True)
    extend = add("extend", cmd_extend, "extend an Engaged period", members)
    extend.add_argument("member")
    extend.add_argument("--by", required=True)
    extend.add_argument(
        "--until", required=True, type=arguments.day, help="the new deadline, YYYY-MM-DD"
    )
    extend.add_argument("--reason", required=True)
    add(
        "engaged-period", cmd_engaged_period, "show a member's Engaged period", members
    ).add_argument("member")
