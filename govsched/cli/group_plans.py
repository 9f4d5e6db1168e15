"""`govsched group-plan ...`: a group's annual plan and its funding requests, acting as the
person named by `--by`.

Every step goes through the same service as the API (govsched.services.group_plans), so the
same rules refuse the same things and a refusal records nothing; the plan's workflow is then
told (Temporal must be reachable). Amounts are written as decimal text, like 1250.50, with an
ISO 4217 currency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable

from governance.groups.funding import FundingRequest
from governance.groups.plan_requests import (
    AddBudgetLine,
    AddPlanDeliverable,
    CheckGroupFunding,
    CompleteGroupFunding,
    PlanRequest,
    RecommendGroupFunding,
    ReportGroupFundingUse,
    RequestGroupFunding,
    SetDeliverableStatus,
    StartGroupPlan,
)
from governance.groups.plans import DeliverableStatus, Plan
from governance.kernel.errors import NotFound
from governance.kernel.model import Person
from governance.rulebook.model import Recommendation
from govsched.cli import arguments
from govsched.config import Settings
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.services import group_plans as service
from govsched.services.group_plans import GroupPlanService, Outcome
from govsched.services.rulebooks import load_rulebook_spec
from govsched.temporal.client import connect

Add = Callable[..., argparse.ArgumentParser]


def _reader(by: str) -> tuple[Database, Person]:
    """For reads: no Temporal connection is needed."""
    db = Database.from_url(Settings().database_url)
    with db.reading() as session:
        person = registry_repo.get_person(session, by)
    if person is None:
        raise NotFound("person", by)
    return db, person


def _plan_line(plan: Plan) -> str:
    totals = ", ".join(f"{format(t, 'f')} {c}" for c, t in plan.totals.items()) or "no budget"
    done = sum(d.status is DeliverableStatus.DONE for d in plan.deliverables)
    return (
        f"{plan.group_id} {plan.year}: {done} of {len(plan.deliverables)} deliverables done; "
        f"budget {totals}"
    )


def _request_line(request: FundingRequest) -> str:
    amount = f"{format(request.amount.amount, 'f')} {request.amount.currency}"
    return f"{request.id:<24} {request.group_id:<20} {amount:>18} {request.state.value}"


def _perform(request: PlanRequest) -> int:
    settings = Settings()
    db = Database.from_url(settings.database_url)

    async def go() -> Outcome:
        client = await connect(settings, bounded=True)
        plans = GroupPlanService(
            client,
            db,
            load_rulebook_spec(settings.rulebook),
            settings.task_queue,
            settings.clock_offset,
        )
        return await plans.perform(request, settings.now())

    outcome = asyncio.run(go())
    print(_plan_line(outcome) if isinstance(outcome, Plan) else _request_line(outcome))
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    return _perform(StartGroupPlan(by=args.by, group=args.group, year=args.year))


def cmd_deliverable(args: argparse.Namespace) -> int:
    return _perform(
        AddPlanDeliverable(
            by=args.by,
            group=args.group,
            year=args.year,
            id=args.id,
            title=args.title,
            owner=args.owner,
            due=args.due,
        )
    )


def cmd_deliverable_status(args: argparse.Namespace) -> int:
    return _perform(
        SetDeliverableStatus(
            by=args.by,
            group=args.group,
            year=args.year,
            deliverable=args.id,
            status=DeliverableStatus(args.status),
        )
    )


def cmd_budget(args: argparse.Namespace) -> int:
    return _perform(
        AddBudgetLine(
            by=args.by,
            group=args.group,
            year=args.year,
            id=args.id,
            label=args.label,
            amount=args.amount,
            currency=args.currency,
        )
    )


def cmd_show(args: argparse.Namespace) -> int:
    db, _ = _reader(args.by)
    plan = service.get_plan(db, args.group, args.year)
    document = plan.model_dump(mode="json")
    document["budget_totals"] = {c: format(t, "f") for c, t in plan.totals.items()}
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 0


def cmd_fund(args: argparse.Namespace) -> int:
    return _perform(
        RequestGroupFunding(
            by=args.by,
            group=args.group,
            id=args.id,
            year=args.year,
            amount=args.amount,
            currency=args.currency,
            purpose=args.purpose,
        )
    )


def cmd_check(args: argparse.Namespace) -> int:
    complete = args.missing is None
    return _perform(
        CheckGroupFunding(
            by=args.by, request=args.request, complete=complete, missing=args.missing or ""
        )
    )


def cmd_complete(args: argparse.Namespace) -> int:
    return _perform(
        CompleteGroupFunding(
            by=args.by,
            request=args.request,
            amount=args.amount,
            currency=args.currency,
            purpose=args.purpose,
        )
    )


def cmd_recommend(args: argparse.Namespace) -> int:
    return _perform(
        RecommendGroupFunding(
            by=args.by,
            request=args.request,
            recommendation=Recommendation(args.recommendation),
            comment=args.comment,
        )
    )


def cmd_report_use(args: argparse.Namespace) -> int:
    return _perform(
        ReportGroupFundingUse(
            by=args.by,
            request=args.request,
            spent=args.spent,
            currency=args.currency,
            report=args.report,
        )
    )


def cmd_requests(args: argparse.Namespace) -> int:
    """The group's requests `--by` may see (none for anyone outside the group, the Secretariat
    and the Steering Committee)."""
    db, person = _reader(args.by)
    for request in service.list_requests(db, args.group, person):
        print(_request_line(request))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    plan = commands.add_parser(
        "group-plan", help="in-country groups' annual plans and funding requests"
    ).add_subparsers(dest="group_plan_command", required=True, metavar="ACTION")
    start = add("start", cmd_start, "start a group's plan for a year", plan)
    deliverable = add("deliverable", cmd_deliverable, "add a deliverable to a plan", plan)
    status = add("deliverable-status", cmd_deliverable_status, "change a deliverable", plan)
    budget = add("budget", cmd_budget, "add a budget line to a plan", plan)
    show = add("show", cmd_show, "one plan with its budget totals (JSON)", plan)
    for sub in (start, deliverable, status, budget, show):
        sub.add_argument("group")
        sub.add_argument("year", type=arguments.year)
    for sub in (deliverable, status, budget):
        sub.add_argument("id")
    deliverable.add_argument("--title", required=True)
    deliverable.add_argument("--owner", required=True, help="the person reminded of it")
    deliverable.add_argument("--due", required=True, type=arguments.day)
    status.add_argument("status", choices=[s.value for s in DeliverableStatus])
    budget.add_argument("--label", required=True)
    budget.add_argument("--amount", required=True, help="decimal text, like 1250.50")
    budget.add_argument("--currency", required=True, help="ISO 4217, like USD")

    fund = add("fund", cmd_fund, "ask for funds against the group's plan (a coordinator)", plan)
    fund.add_argument("group")
    fund.add_argument("id")
    fund.add_argument("--year", required=True, type=arguments.year, help="the plan's year")
    fund.add_argument("--amount", required=True, help="decimal text, like 1250.50")
    fund.add_argument("--currency", required=True, help="ISO 4217, like USD")
    fund.add_argument("--purpose", required=True)
    check = add("check", cmd_check, "the Secretariat's completeness check", plan)
    complete = add("complete", cmd_complete, "send a returned request again", plan)
    recommend = add("recommend", cmd_recommend, "a Steering Committee recommendation", plan)
    report = add("report-use", cmd_report_use, "report how approved funds were used", plan)
    for sub in (check, complete, recommend, report):
        sub.add_argument("request")
    check.add_argument(
        "--missing", help="what is missing: the request goes back to the group (else: complete)"
    )
    complete.add_argument("--amount")
    complete.add_argument("--currency")
    complete.add_argument("--purpose")
    recommend.add_argument("recommendation", choices=[r.value for r in Recommendation])
    recommend.add_argument("--comment", default="")
    report.add_argument("--spent", required=True, help="decimal text, like 1100.00")
    report.add_argument("--currency", required=True)
    report.add_argument("--report", required=True)
    requests = add("requests", cmd_requests, "a group's funding requests you may see", plan)
    requests.add_argument("group")
    acting = (start, deliverable, status, budget, show, fund, check, complete, recommend, report)
    for sub in (*acting, requests):
        sub.add_argument("--by", required=True, help="the person acting (or reading)")
