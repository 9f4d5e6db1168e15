"""A group's annual plans and funding requests in the workspace (issue 23).

`/web/groups/{group}/plans` lists the group's plans and lets its runners (the Secretariat and
its coordinators) start one; a plan's page shows its deliverables and budget (amounts in the
reader's locale, totals per currency) with the runners' forms, and the group's funding requests
with each one's next step for whoever takes it: the coordinator asks and reports, the
Secretariat checks, the Steering Committee recommends. Funding requests are shown only to the
group's coordinators and members, the Secretariat and the Committee. The forms send the same
requests as the API's routes, so the same rules refuse the same things beside the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.groups.access import may_run
from governance.groups.funding import FundingRequest, FundingState, stands_aside
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
from governance.groups.plans import DeliverableStatus, Plan, overdue
from governance.kernel.errors import GovernanceError, Problem
from governance.kernel.model import Role, has_left
from governance.kernel.timekeeping import local_date
from govsched.http.path_years import PlanYear
from govsched.http.state import AppState
from govsched.http.web import funding_forms as steps
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.forms import Field, Form, FormState
from govsched.http.web.labels import words
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render
from govsched.i18n import formatting
from govsched.i18n.current import current_language
from govsched.i18n.marking import N_
from govsched.services import group_plans as plans
from govsched.services import groups as groups
from govsched.services.group_plans import GroupPlanService

router = APIRouter(route_class=WebRoute, include_in_schema=False)
GROUP = r"/web/groups/(?P<group_id>[a-z0-9-]+)"


def money(amount: Decimal, currency: str) -> str:
    """An amount as the reader's locale writes it, with its currency."""
    return format_currency(amount, currency, locale=formatting.babel_locale(current_language()))


def _statuses() -> list[tuple[str, str]]:
    return [(s.value, words(s)) for s in DeliverableStatus]


def start_form(group_id: str) -> Form:
    return Form(
        "plan-start",
        f"/web/groups/{group_id}/plans",
        N_("Start the plan"),
        (Field("year", N_("Year"), "number", required=True),),
        f"/web/groups/{group_id}/plans",
    )


def status_form(plan: Plan, deliverables: list[tuple[str, str]]) -> Form:
    """Move one of `deliverables` (id, title) along; the rules refuse a move that is not
    allowed (done and dropped are final)."""
    return Form(
        "plan-status",
        f"/web/groups/{plan.group_id}/plans/{plan.year}/deliverables/status",
        N_("Change the status"),
        (
            Field("deliverable", N_("Deliverable"), "select", deliverables, required=True),
            Field("status", N_("Status"), "select", _statuses(), required=True),
        ),
        f"/web/groups/{plan.group_id}/plans/{plan.year}",
    )


def plan_forms(plan: Plan, runs: bool, person_id: str) -> list[tuple[str, Form]]:
    """The runners' forms; a deliverable's owner gets the status form for their own open ones
    (`access.may_set_deliverable_status`, the API's rule)."""
    base = f"/web/groups/{plan.group_id}/plans/{plan.year}"
    changeable = [
        (d.id, d.title) for d in plan.deliverables if d.open and (runs or d.owner == person_id)
    ]
    forms: list[tuple[str, Form]] = []
    if changeable:
        forms.append((N_("Change a deliverable's status"), status_form(plan, changeable)))
    if not runs:
        return forms
    forms.insert(
        0,
        (
            N_("Add a deliverable"),
            Form(
                "plan-deliverable",
                f"{base}/deliverables",
                N_("Add the deliverable"),
                (
                    Field("id", N_("Short name"), required=True, hint=N_("like baseline-survey")),
                    Field("title", N_("Deliverable"), required=True),
                    Field("owner", N_("Owner (person id)"), required=True),
                    Field("due", N_("Due on"), "date", required=True),
                ),
                base,
            ),
        ),
    )
    forms.append(
        (
            N_("Add a budget line"),
            Form(
                "plan-budget",
                f"{base}/budget-lines",
                N_("Add the line"),
                (
                    Field("id", N_("Short name"), required=True),
                    Field("label", N_("What it pays for"), required=True),
                    Field("amount", N_("Amount"), required=True, hint=N_("like 1250.50")),
                    Field("currency", N_("Currency"), required=True, hint=N_("like USD")),
                ),
                base,
            ),
        )
    )
    return forms


def _choices(requests: list[FundingRequest], state: FundingState) -> list[tuple[str, str]]:
    return [(r.id, r.id) for r in requests if r.state is state]


def funding_forms(
    plan: Plan,
    requests: list[FundingRequest],
    coordinator: bool,
    roles: frozenset[Role],
    reviews: bool,
) -> list[tuple[str, Form]]:
    """Each step's form, for whoever takes it and only while a request waits for it; `reviews`:
    a Steering Committee member who does not stand aside from the group's requests."""
    base = f"/web/groups/{plan.group_id}/plans/{plan.year}/funding"
    forms: list[tuple[str, Form]] = []
    if coordinator:
        forms.append(
            (
                N_("Ask for funds"),
                Form(
                    "funding-request",
                    f"{base}/requests",
                    N_("Send the request"),
                    (
                        Field("id", N_("Short name"), required=True),
                        Field("amount", N_("Amount"), required=True, hint=N_("like 1250.50")),
                        Field("currency", N_("Currency"), required=True, hint=N_("like USD")),
                        Field("purpose", N_("What the funds are for"), "textarea", required=True),
                    ),
                    base.removesuffix("/funding"),
                ),
            )
        )
    waiting = {
        "check": _choices(requests, FundingState.SUBMITTED),
        "complete": _choices(requests, FundingState.RETURNED),
        "recommend": _choices(requests, FundingState.UNDER_REVIEW),
        "report": _choices(requests, FundingState.APPROVED),
    }
    back = base.removesuffix("/funding")
    group_id, year = plan.group_id, plan.year
    if Role.SECRETARIAT in roles and waiting["check"]:
        form = steps.check("funding-check", group_id, year, steps.chosen(waiting["check"]), back)
        forms.append((N_("Check a request is complete"), form))
    if coordinator and waiting["complete"]:
        request = steps.chosen(waiting["complete"])
        form = steps.complete("funding-complete", group_id, year, request, back)
        forms.append((N_("Complete a returned request"), form))
    if reviews and waiting["recommend"]:
        request = steps.chosen(waiting["recommend"])
        form = steps.recommend("funding-recommend", group_id, year, request, back)
        forms.append((N_("Recommend on a request"), form))
    if coordinator and waiting["report"]:
        request = steps.chosen(waiting["report"])
        form = steps.report_use("funding-report", group_id, year, request, back)
        forms.append((N_("Report on the use of funds"), form))
    return forms


@page(GROUP + "/plans")
def plans_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    group = groups.get_group(state.db, params["group_id"])
    runs = may_run(group, viewer.person.id, viewer.person.roles)
    context = {
        "group": group,
        "plans": plans.list_plans(state.db, group.id),
        "start": start_form(group.id) if runs else None,
    }
    return render(request, "group_plans.html", context, status, viewer, form_state)


@router.get("/web/groups/{group_id}/plans")
def group_plans(request: Request, viewer: SignedIn, group_id: str) -> Response:
    return plans_page(request, viewer, {"group_id": group_id})


@page(GROUP + r"/plans/(?P<plan_year>[0-9]{4})")
def plan_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    group = groups.get_group(state.db, params["group_id"])
    plan = plans.get_plan(state.db, group.id, int(params["plan_year"]))
    person = viewer.person
    runs = may_run(group, person.id, person.roles)
    now = state.settings.now()
    late = {d.id for d in overdue(plan, local_date(now, group.timezone))}
    requests = [r for r in plans.list_requests(state.db, group.id, person) if r.year == plan.year]
    sees = plans.may_see_requests(state.db, group.id, person)
    # a coordinator whose member left is offered no funding step (the service refuses it)
    coordinator = group.acts_as_coordinator(person.id) and not has_left(viewer.actor.member_status)
    # a party to the group's requests reads them but does not review them (the service refuses)
    reviews = Role.STEERING_COMMITTEE in person.roles and not stands_aside(
        group, person.id, person.member
    )
    context: dict[str, Any] = {
        "group": group,
        "plan": plan,
        "late": late,
        "budget": [(line, money(line.amount, line.currency)) for line in plan.budget],
        "totals": [money(total, currency) for currency, total in plan.totals.items()],
        "forms": plan_forms(plan, runs, person.id),
        "sees_funding": sees,
        "requests": [
            (
                r,
                money(r.amount.amount, r.amount.currency),
                plans.report_overdue(r, state.rulebook, now),
            )
            for r in requests
        ],
        "funding_forms": (
            funding_forms(plan, requests, coordinator, person.roles, reviews) if sees else []
        ),
    }
    return render(request, "group_plan.html", context, status, viewer, form_state)


@router.get("/web/groups/{group_id}/plans/{plan_year}")
def group_plan(request: Request, viewer: SignedIn, group_id: str, plan_year: PlanYear) -> Response:
    return plan_page(request, viewer, {"group_id": group_id, "plan_year": str(plan_year)})


async def _perform(request: Request, asked: PlanRequest) -> None:
    state: AppState = request.app.state.govsched
    client = await state.temporal.ready_client()
    service = GroupPlanService(
        client, state.db, state.rulebook, state.settings.task_queue, state.settings.clock_offset
    )
    await service.perform(asked, state.settings.now())


@router.post("/web/groups/{group_id}/plans")
async def start_plan(request: Request, viewer: SignedIn, group_id: str) -> Response:
    async def perform(values: dict[str, str]) -> None:
        data = {"by": viewer.person.id, "group": group_id, "year": values.get("year") or None}
        await _perform(request, groups.made(StartGroupPlan, data, prefix=""))

    back = f"/web/groups/{group_id}/plans"
    return await act(request, viewer, ["year"], perform, "plan started", back)


def _step(
    kind: type[Any], fields: list[str], done: str, fixed: dict[str, Any] | None = None
) -> Any:
    """A route body: the form's fields with who asks (and the path's ids) as `kind`'s request."""

    async def route(
        request: Request, viewer: SignedIn, group_id: str, plan_year: PlanYear
    ) -> Response:
        async def perform(values: dict[str, str]) -> None:
            data: dict[str, Any] = {k: v for k, v in values.items() if v.strip()}
            data["by"] = viewer.person.id
            if "group" in kind.model_fields:
                data |= {"group": group_id, "year": plan_year}
            if "complete" in kind.model_fields:
                data["complete"] = "complete" in values
            data |= fixed or {}
            try:
                await _perform(request, groups.made(kind, data, prefix=""))
            except GovernanceError as refused:
                refused.problems = [_on_form(p) for p in refused.problems]
                raise

        back = f"/web/groups/{group_id}/plans/{plan_year}"
        return await act(request, viewer, fields, perform, done, back)

    return route


def _on_form(problem: Problem) -> Problem:
    """A money's parts as the forms name them: the rules say `amount.currency` or
    `spent.currency`, the forms ask for `currency` beside the amount."""
    head, _, tail = problem.path.partition(".")
    if tail == "currency":
        return Problem("currency", problem.reason, words=problem.words)
    if tail == "amount":
        return Problem(head, problem.reason, words=problem.words)
    return problem


_PLAN = "/web/groups/{group_id}/plans/{plan_year}"
router.post(_PLAN + "/deliverables")(
    _step(AddPlanDeliverable, ["id", "title", "owner", "due"], "item added")
)
router.post(_PLAN + "/deliverables/status")(
    _step(SetDeliverableStatus, ["deliverable", "status"], "status changed")
)
router.post(_PLAN + "/budget-lines")(
    _step(AddBudgetLine, ["id", "label", "amount", "currency"], "item added")
)
router.post(_PLAN + "/funding/requests")(
    _step(RequestGroupFunding, ["id", "amount", "currency", "purpose"], "funds requested")
)
router.post(_PLAN + "/funding/check")(
    _step(CheckGroupFunding, ["request", "complete", "missing"], "request checked")
)
router.post(_PLAN + "/funding/completion")(
    _step(CompleteGroupFunding, ["request", "amount", "currency", "purpose"], "request sent again")
)
router.post(_PLAN + "/funding/recommendations")(
    _step(
        RecommendGroupFunding, ["request", "recommendation", "comment"], "recommendation recorded"
    )
)
router.post(_PLAN + "/funding/use-report")(
    _step(
        ReportGroupFundingUse, ["request", "spent", "currency", "report"], "use of funds reported"
    )
)
