"""`govsched reports ...`: annual reports and their peer review.

Submissions act as the person named by `--by` (a focal point of the member concerned, or the
Secretariat) and go through the same service as the API, which tells the year's cycle.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from governance.kernel.errors import Forbidden, InvalidInput, NotFound, Problem
from governance.kernel.model import Person, Role
from governance.reports.cycle import DeclareConflict, ReportKind, SubmitReport, SubmitReview
from governance.reports.indicators.submission import SubmitIndicators
from govsched.cli import arguments
from govsched.config import Settings

# The services, the database and Temporal's client are imported inside the commands that
# use them: a command line loads only what its command runs (main.py loads one module).
if TYPE_CHECKING:
    from govsched.persistence.db import Database
    from govsched.services.indicators import IndicatorService
    from govsched.services.reports import ReportService

Add = Callable[..., argparse.ArgumentParser]


def _run(work: Callable[[ReportService], Coroutine[Any, Any, str]]) -> int:
    from govsched.persistence.db import Database
    from govsched.services.published_agenda import delivery_for
    from govsched.services.reports import ReportService
    from govsched.services.rulebooks import load_rulebook_spec
    from govsched.temporal.client import connect

    settings = Settings()
    db = Database.from_url(settings.database_url)

    async def go() -> str:
        client = await connect(settings, bounded=True)
        rulebook = load_rulebook_spec(settings.rulebook)
        deliver = delivery_for(settings, db, rulebook).deliver
        return await work(
            ReportService(
                client, db, rulebook, settings.task_queue, settings.clock_offset, deliver=deliver
            )
        )

    print(asyncio.run(go()))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from govsched.persistence.db import Database
    from govsched.persistence.repos import registry as registry_repo
    from govsched.services.reports import cycle_view
    from govsched.services.rulebooks import load_rulebook_spec

    settings = Settings()
    db = Database.from_url(settings.database_url)
    with db.reading() as session:
        person = registry_repo.get_person(session, args.by)
    if person is None:
        raise NotFound("person", args.by)
    view = cycle_view(db, args.year, person, settings.now(), load_rulebook_spec(settings.rulebook))
    if args.json:
        print(view.model_dump_json(indent=2))
        return 0
    print(f"reports {view.year}: open {view.opens}, due {view.due}, reviews due {view.review_due}")
    for line in view.reports:
        print(f"  {line.member:<32} {line.kind:<7} {line.status}")
    for review in view.reviews:
        done = "submitted" if review.submitted_at else "open"
        print(f"  review of {review.report_of} by {review.reviewer}: {done}")
    for missed in view.escalations:
        print(f"  missed: {missed.member} ({missed.missed_in_a_row} in a row) {missed.escalation}")
    return 0


def _values_file(path: Path | None, option: str) -> dict[str, Any] | None:
    """Indicator values by key from a YAML or JSON file, or why the file cannot be used, naming
    the `option` that gave it (`--values`, or `--indicators` with a report)."""
    from govsched.services.text_files import read_text
    from govsched.services.yaml_files import load_yaml

    if path is None:
        return None
    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            "the values file cannot be read", [Problem(option, f"{path}: {exc}")]
        ) from None
    try:
        data = load_yaml(text, str(path))
    except yaml.YAMLError as exc:
        raise InvalidInput(
            "the values file is not YAML or JSON", [Problem(option, f"{path}: {exc}")]
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise InvalidInput(
            "the values file must map indicator keys to values", [Problem(option, str(path))]
        )
    return data


def _indicators(settings: Settings) -> IndicatorService:
    from govsched.persistence.db import Database
    from govsched.services.indicators import IndicatorService
    from govsched.services.published_agenda import delivery_for
    from govsched.services.rulebooks import load_rulebook_spec

    db = Database.from_url(settings.database_url)
    rulebook = load_rulebook_spec(settings.rulebook)
    return IndicatorService(db, rulebook, delivery_for(settings, db, rulebook).deliver)


def _person(db: Database, person_id: str) -> Person:
    from govsched.persistence.repos import registry as registry_repo

    with db.reading() as session:
        person = registry_repo.get_person(session, person_id)
    if person is None:
        raise NotFound("person", person_id)
    return person


def cmd_indicators(args: argparse.Namespace) -> int:
    """Save a draft of, submit or amend a member's indicator values (no workflow is told)."""
    settings = Settings()
    command = SubmitIndicators(
        year=args.year,
        member=args.member,
        by=args.by,
        indicators=_values_file(args.values, "--values") or {},
        draft=args.draft,
    )
    kept = _indicators(settings).submit(command, settings.now())
    if args.draft:
        print(f"{kept.member}: draft of {len(kept.draft or {})} indicator value(s) saved")
    else:
        again = f" (amendment {kept.amendments})" if kept.amendments else ""
        print(f"{kept.member}: {len(kept.submitted or {})} indicator value(s) submitted{again}")
    return 0


def cmd_indicators_show(args: argparse.Namespace) -> int:
    settings = Settings()
    service = _indicators(settings)
    view = service.view(args.year, args.member, _person(service.db, args.by))
    print(view.model_dump_json(indent=2))
    return 0


def cmd_indicators_export(args: argparse.Namespace) -> int:
    """The Secretariat's export of a year's values, as CSV or a spreadsheet."""
    from govsched.services.indicator_exports import csv_export, xlsx_export

    settings = Settings()
    service = _indicators(settings)
    person = _person(service.db, args.by)
    if Role.SECRETARIAT not in person.roles:
        raise Forbidden(Role.SECRETARIAT.value, "exporting indicator values")
    if args.format == "xlsx":
        workbook = xlsx_export(service.db, service.rulebook, args.year)
        with arguments.writing(args.out, "--out"):
            args.out.write_bytes(workbook)
    else:
        table = csv_export(service.db, service.rulebook, args.year)
        with arguments.writing(args.out, "--out"):
            args.out.write_text(table, encoding="utf-8")
    print(f"indicator values of {args.year} written to {args.out}")
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    command = SubmitReport(
        year=args.year,
        member=args.member,
        by=args.by,
        kind=args.kind,
        url=args.url,
        public=args.public_on is not None or args.public,
        public_on=args.public_on,
        indicators=_values_file(args.indicators, "--indicators"),
    )

    async def work(service: ReportService) -> str:
        report = await service.submit_report(command, Settings().now())
        return f"{report.member}: {report.kind.value} report for {report.year} recorded"

    return _run(work)


def cmd_review(args: argparse.Namespace) -> int:
    command = SubmitReview(
        year=args.year, report_of=args.report_of, reviewer=args.reviewer, by=args.by, url=args.url
    )

    async def work(service: ReportService) -> str:
        await service.submit_review(command, Settings().now())
        return f"review of {args.report_of} by {args.reviewer} recorded"

    return _run(work)


def cmd_conflict(args: argparse.Namespace) -> int:
    from govsched.persistence.repos import registry as registry_repo

    command = DeclareConflict(
        reviewer_member=args.reviewer_member,
        reported_member=args.reported_member,
        reason=args.reason,
    )

    async def work(service: ReportService) -> str:
        with service.db.reading() as session:
            person = registry_repo.get_person(session, args.by)
        if person is None:
            raise NotFound("person", args.by)
        service.declare_conflict_as(command, Settings().now(), person)
        # a sentence like every other action's, not the command echoed back as JSON
        return (
            f"conflict recorded: {args.reviewer_member} will not review "
            f"{args.reported_member}'s report"
        )

    return _run(work)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    reports = commands.add_parser("reports", help="annual reports and peer review").add_subparsers(
        dest="reports_command", required=True, metavar="ACTION"
    )
    status = add("status", cmd_status, "the year's cycle as PERSON may see it", reports)
    submit = add("submit", cmd_submit, "submit a member's annual report", reports)
    review = add("review", cmd_review, "submit a peer review", reports)
    conflict = add("conflict", cmd_conflict, "declare a conflict of interest", reports)
    for sub in (status, submit, review):
        sub.add_argument("year", type=arguments.year)
    for sub in (status, submit, review, conflict):
        sub.add_argument("--by", required=True, help="the person acting (or reading)")
    status.add_argument("--json", action="store_true")
    submit.add_argument("member")
    submit.add_argument("--kind", required=True, choices=[k.value for k in ReportKind])
    submit.add_argument("--url", required=True)
    submit.add_argument("--public", action="store_true", help="a public version exists")
    submit.add_argument("--public-on", type=arguments.day, help="its publication date")
    review.add_argument("report_of", help="the reported member")
    review.add_argument("--reviewer", required=True, help="the reviewing member")
    review.add_argument("--url", required=True)
    conflict.add_argument("reviewer_member")
    conflict.add_argument("reported_member")
    conflict.add_argument("--reason", required=True)
    submit.add_argument(
        "--indicators", type=Path, help="a YAML/JSON file of indicator values by key (issue 22)"
    )
    values = add(
        "indicators", cmd_indicators, "save a draft of or submit indicator values", reports
    )
    show = add("indicators-show", cmd_indicators_show, "a member's indicator values", reports)
    export = add(
        "indicators-export", cmd_indicators_export, "a year's values as CSV or .xlsx", reports
    )
    for sub in (values, show, export):
        sub.add_argument("year", type=arguments.year)
        sub.add_argument("--by", required=True, help="the person acting (or reading)")
    for sub in (values, show):
        sub.add_argument("member")
    values.add_argument("--values", type=Path, required=True, help="a YAML/JSON file by key")
    values.add_argument("--draft", action="store_true", help="save a draft, not a submission")
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--out", type=Path, required=True)
