"""What people ask of a group's plan and its funding requests, flat, as a rehearsal's actions
give it. Each names who asks (`by`); the service decides with the same rules as the API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from governance.groups.funding import Purpose
from governance.groups.model import Text
from governance.groups.plans import DeliverableStatus, Year
from governance.kernel.model import Frozen, Paragraphs, Slug
from governance.rulebook.model import Recommendation


class StartGroupPlan(Frozen):
    action: Literal["start_group_plan"] = "start_group_plan"
    by: Slug
    group: Slug
    year: Year


class AddPlanDeliverable(Frozen):
    action: Literal["add_plan_deliverable"] = "add_plan_deliverable"
    by: Slug
    group: Slug
    year: Year
    id: Slug
    title: Annotated[Text, Field(max_length=300)]
    owner: Slug
    due: date


class SetDeliverableStatus(Frozen):
    action: Literal["set_deliverable_status"] = "set_deliverable_status"
    by: Slug
    group: Slug
    year: Year
    deliverable: Slug
    status: DeliverableStatus


class AddBudgetLine(Frozen):
    action: Literal["add_budget_line"] = "add_budget_line"
    by: Slug
    group: Slug
    year: Year
    id: Slug
    label: Text
    # as text in the scenario ("2500.00"): a YAML number would be a float
    amount: str
    currency: str


class RequestGroupFunding(Frozen):
    action: Literal["request_group_funding"] = "request_group_funding"
    by: Slug
    group: Slug
    id: Slug
    year: Year
    # as text ("12000.00"); the service checks it against the currency, naming the field
    amount: str
    currency: str
    purpose: Purpose


class CheckGroupFunding(Frozen):
    """The Secretariat's completeness check: complete goes to the Steering Committee."""

    action: Literal["check_group_funding"] = "check_group_funding"
    by: Slug
    request: Slug
    complete: bool
    missing: Annotated[Paragraphs, Field(max_length=4000)] = ""


class CompleteGroupFunding(Frozen):
    action: Literal["complete_group_funding"] = "complete_group_funding"
    by: Slug
    request: Slug
    amount: str | None = None
    currency: str | None = None
    purpose: Purpose | None = None


class RecommendGroupFunding(Frozen):
    action: Literal["recommend_group_funding"] = "recommend_group_funding"
    by: Slug
    request: Slug
    recommendation: Recommendation
    comment: Annotated[Paragraphs, Field(max_length=4000)] = ""


class ReportGroupFundingUse(Frozen):
    action: Literal["report_group_funding_use"] = "report_group_funding_use"
    by: Slug
    request: Slug
    spent: str
    currency: str
    report: Purpose


PlanRequest = (
    StartGroupPlan
    | AddPlanDeliverable
    | SetDeliverableStatus
    | AddBudgetLine
    | RequestGroupFunding
    | CheckGroupFunding
    | CompleteGroupFunding
    | RecommendGroupFunding
    | ReportGroupFundingUse
)

# The rehearsal's plan and funding actions, by name (see govsched/rehearsal/action_schemas.py).
PLAN_ACTIONS: dict[str, type[Frozen]] = {
    "start_group_plan": StartGroupPlan,
    "add_plan_deliverable": AddPlanDeliverable,
    "set_deliverable_status": SetDeliverableStatus,
    "add_budget_line": AddBudgetLine,
    "request_group_funding": RequestGroupFunding,
    "check_group_funding": CheckGroupFunding,
    "complete_group_funding": CompleteGroupFunding,
    "recommend_group_funding": RecommendGroupFunding,
    "report_group_funding_use": ReportGroupFundingUse,
}
