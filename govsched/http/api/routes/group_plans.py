"""In-country groups' annual plans and funding requests (issue 23).

A plan (deliverables, budget lines) is read by everyone signed in and kept by the Secretariat
and the group's coordinators. Funding requests are confidential to the group's coordinators and
members, the Secretariat and the Steering Committee: to anyone else a request does not exist
(404), and the group's list is empty. Amounts travel as decimal text (`"1250.50"`) with an ISO
4217 currency; a JSON number is refused, since it may already have lost the amount. Every step
is applied once per Idempotency-Key, then the plan's workflow is told (503 while Temporal is
lost, before anything is written)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field

from governance.groups.funding import FundingAsk, FundingRequest, Purpose
from governance.groups.money import Money, Spent
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
from governance.groups.plans import BudgetLine, DeliverableStatus, Plan, Year
from governance.kernel.model import Incoming, OneLine, Paragraphs, Slug
from governance.rulebook.model import Recommendation
from govsched.http.api.routes.registry import ERRORS
from govsched.http.deps import CurrentPerson, RequestKey, State
from govsched.http.path_years import PlanYear
from govsched.services import group_plans as service
from govsched.services.group_plans import GroupPlanService, Outcome
from govsched.services.groups import made

router = APIRouter(tags=["groups"])


class BudgetLineIn(BudgetLine, Incoming):
    """A budget line as a request: a blank label is refused."""


class FundingAskIn(FundingAsk, Incoming):
    """A funding request as sent: a blank purpose is refused."""


class PlanIn(Incoming):
    year: Year


class DeliverableIn(Incoming):
    id: Slug
    title: Annotated[OneLine, Field(min_length=1, max_length=300)]
    owner: Slug
    due: date


class DeliverableStatusIn(Incoming):
    status: DeliverableStatus


class PlanView(Plan):
    """The plan with its budget's totals, one exact sum per currency (as decimal text)."""

    budget_totals: dict[str, str]


class CheckIn(Incoming):
    complete: bool
    # what is missing, when the request goes back to the group
    missing: Annotated[Paragraphs, Field(max_length=4000)] = ""


class CompletionIn(Incoming):
    amount: Money | None = None
    purpose: Purpose | None = None


class RecommendationIn(Incoming):
    recommendation: Recommendation
    comment: Annotated[Paragraphs, Field(max_length=4000)] = ""


class UseReportIn(Incoming):
    spent: Spent
    report: Purpose


class FundingRequestView(FundingRequest):
    # approved, not reported on, and past the report's due day
    use_report_overdue: bool


def _plan_view(plan: Plan) -> PlanView:
    totals = {currency: format(total, "f") for currency, total in plan.totals.items()}
    return PlanView(**dict(plan), budget_totals=totals)


def _asked(kind: type[PlanRequest], **data: Any) -> PlanRequest:
    """The request built from the path's ids and the body: an id that is no slug is a 422
    naming it, never a 500."""
    return made(kind, data, prefix="")


async def _perform(state: State, request: PlanRequest, key: str) -> Outcome:
    """Only once Temporal answered, so a step is not written while its workflow cannot be told
    (the key covers Temporal lost in between)."""
    client = await state.temporal.ready_client()
    plans = GroupPlanService(
        client, state.db, state.rulebook, state.settings.task_queue, state.settings.clock_offset
    )
    return await plans.perform(request, state.settings.now(), key)


async def _plan(state: State, request: PlanRequest, key: str) -> PlanView:
    outcome = await _perform(state, request, key)
    assert isinstance(outcome, Plan)
    return _plan_view(outcome)


async def _request(state: State, request: PlanRequest, key: str) -> FundingRequest:
    outcome = await _perform(state, request, key)
    assert isinstance(outcome, FundingRequest)
    return outcome


def _view(state: State, request: FundingRequest) -> FundingRequestView:
    overdue = service.report_overdue(request, state.rulebook, state.settings.now())
    return FundingRequestView(**dict(request), use_report_overdue=overdue)


@router.get("/groups/{group_id}/plans", responses=ERRORS)
def list_plans(state: State, _: CurrentPerson, group_id: str) -> list[PlanView]:
    return [_plan_view(p) for p in service.list_plans(state.db, group_id)]


@router.post("/groups/{group_id}/plans", status_code=201, responses=ERRORS)
async def start_plan(
    state: State, person: CurrentPerson, group_id: str, body: PlanIn, key: RequestKey
) -> PlanView:
    """The group's plan for a year (an active group; the Secretariat or a coordinator)."""
    return await _plan(
        state, _asked(StartGroupPlan, by=person.id, group=group_id, year=body.year), key
    )


@router.get("/groups/{group_id}/plans/{plan_year}", responses=ERRORS)
def get_plan(state: State, _: CurrentPerson, group_id: str, plan_year: PlanYear) -> PlanView:
    return _plan_view(service.get_plan(state.db, group_id, plan_year))


@router.post("/groups/{group_id}/plans/{plan_year}/deliverables", responses=ERRORS)
async def add_deliverable(
    state: State,
    person: CurrentPerson,
    group_id: str,
    plan_year: PlanYear,
    body: DeliverableIn,
    key: RequestKey,
) -> PlanView:
    """A deliverable due within the plan's year; its owner (a person) is reminded before it
    is due (rulebook `group_plans.deliverable_reminder_days_before`) and told when it is late."""
    request = _asked(
        AddPlanDeliverable, by=person.id, group=group_id, year=plan_year, **body.model_dump()
    )
    return await _plan(state, request, key)


@router.put(
    "/groups/{group_id}/plans/{plan_year}/deliverables/{deliverable_id}/status", responses=ERRORS
)
async def set_deliverable_status(
    state: State,
    person: CurrentPerson,
    group_id: str,
    plan_year: PlanYear,
    deliverable_id: str,
    body: DeliverableStatusIn,
    key: RequestKey,
) -> PlanView:
    """planned, in_progress, done or dropped (done and dropped are final)."""
    request = _asked(
        SetDeliverableStatus,
        by=person.id,
        group=group_id,
        year=plan_year,
        deliverable=deliverable_id,
        status=body.status,
    )
    return await _plan(state, request, key)


@router.post("/groups/{group_id}/plans/{plan_year}/budget-lines", responses=ERRORS)
async def add_budget_line(
    state: State,
    person: CurrentPerson,
    group_id: str,
    plan_year: PlanYear,
    body: BudgetLineIn,
    key: RequestKey,
) -> PlanView:
    """An exact amount (decimal text, no more places than its currency counts)."""
    data = body.model_dump(mode="json")
    request = _asked(AddBudgetLine, by=person.id, group=group_id, year=plan_year, **data)
    return await _plan(state, request, key)


@router.get("/groups/{group_id}/funding-requests", responses=ERRORS)
def list_funding_requests(
    state: State, person: CurrentPerson, group_id: str
) -> list[FundingRequestView]:
    """The group's requests, for those who may see them (empty for anyone else)."""
    return [_view(state, r) for r in service.list_requests(state.db, group_id, person)]


@router.post("/groups/{group_id}/funding-requests", status_code=201, responses=ERRORS)
async def request_funding(
    state: State, person: CurrentPerson, group_id: str, body: FundingAskIn, key: RequestKey
) -> FundingRequest:
    """A coordinator of the group asks for funds against its plan of `year`."""
    money = body.amount.model_dump(mode="json")
    request = _asked(
        RequestGroupFunding,
        by=person.id,
        group=group_id,
        id=body.id,
        year=body.year,
        amount=money["amount"],
        currency=money["currency"],
        purpose=body.purpose,
    )
    return await _request(state, request, key)


@router.get("/funding-requests/{request_id}", responses=ERRORS)
def get_funding_request(state: State, person: CurrentPerson, request_id: str) -> FundingRequestView:
    return _view(state, service.get_request(state.db, request_id, person))


@router.post("/funding-requests/{request_id}/check", responses=ERRORS)
async def check_funding_request(
    state: State, person: CurrentPerson, request_id: str, body: CheckIn, key: RequestKey
) -> FundingRequest:
    """The Secretariat's completeness check: complete goes to the Steering Committee's review
    (the applications' review days, silence counted as the rulebook says); incomplete goes back
    to the group saying what is missing."""
    request = _asked(CheckGroupFunding, by=person.id, request=request_id, **body.model_dump())
    return await _request(state, request, key)


@router.post("/funding-requests/{request_id}/completion", responses=ERRORS)
async def complete_funding_request(
    state: State, person: CurrentPerson, request_id: str, body: CompletionIn, key: RequestKey
) -> FundingRequest:
    """A coordinator sends a returned request again, with what was missing."""
    money = body.amount.model_dump(mode="json") if body.amount else {}
    request = _asked(
        CompleteGroupFunding,
        by=person.id,
        request=request_id,
        amount=money.get("amount"),
        currency=money.get("currency"),
        purpose=body.purpose,
    )
    return await _request(state, request, key)


@router.post("/funding-requests/{request_id}/recommendations", responses=ERRORS)
async def recommend_on_funding_request(
    state: State, person: CurrentPerson, request_id: str, body: RecommendationIn, key: RequestKey
) -> FundingRequest:
    """A reviewer of the Steering Committee; the last one closes the review."""
    request = _asked(RecommendGroupFunding, by=person.id, request=request_id, **body.model_dump())
    return await _request(state, request, key)


@router.post("/funding-requests/{request_id}/use-report", responses=ERRORS)
async def report_funding_use(
    state: State, person: CurrentPerson, request_id: str, body: UseReportIn, key: RequestKey
) -> FundingRequest:
    """A coordinator reports how an approved request's funds were used."""
    spent = body.spent.model_dump(mode="json")
    request = _asked(
        ReportGroupFundingUse,
        by=person.id,
        request=request_id,
        spent=spent["amount"],
        currency=spent["currency"],
        report=body.report,
    )
    return await _request(state, request, key)
