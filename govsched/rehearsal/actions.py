"""What each scenario action does: the same service calls the API makes, at scenario time.

Each process adds its handlers here next to its schemas in govsched/rehearsal/action_schemas.py; a
test checks that the two tables name the same actions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from temporalio.client import Client

from governance.applications import requests as req
from governance.applications.contracts import application_workflow_id
from governance.concerns.contracts import CONCERN_ACTIONS, concern_workflow_id
from governance.groups.contracts import group_plan_workflow_id
from governance.groups.plan_requests import PLAN_ACTIONS, PlanRequest, StartGroupPlan
from governance.groups.requests import GROUP_ACTIONS, GroupRequest
from governance.kernel.errors import GovernanceError, Problem, error_from_payload
from governance.registry.contracts import RegistryChange, registry_change_workflow_id
from governance.reports.contracts import report_cycle_id
from governance.reports.cycle import DeclareConflict, SubmitReport, SubmitReview
from governance.reports.indicators.submission import CommentIndicator, SubmitIndicators
from governance.roster.presentations import RecordPresentation
from governance.roster.requests import DecideDeferral, RequestDeferral
from govsched.rehearsal.scenario import ScenarioEvent
from govsched.rehearsal.settle import WorkflowTracker
from govsched.services import group_plans as plan_service
from govsched.services import groups as group_service
from govsched.services import registry as registry_service
from govsched.services.applications import ApplicationService
from govsched.services.concerns import ConcernService
from govsched.services.indicators import IndicatorService
from govsched.services.reports import ReportService
from govsched.services.roster import RosterService

SCENARIO_ACTOR = "scenario"


@dataclass(frozen=True, slots=True)
class Refusal:
    """An event the rules refused while the rehearsal ran (the state is left unchanged)."""

    index: int
    at: datetime
    action: str
    message: str
    problems: tuple[Problem, ...]

    def as_json(self, iso: Callable[[datetime], str]) -> dict[str, Any]:
        return {
            "index": self.index,
            "at": iso(self.at),
            "do": self.action,
            "reason": self.message,
            "problems": [{"field": p.path, "reason": p.reason} for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class RehearsalContext:
    client: Client
    task_queue: str
    clock_offset: timedelta
    tracker: WorkflowTracker
    applications: ApplicationService
    rosters: RosterService
    reports: ReportService
    concerns: ConcernService | None = None


Handler = Callable[[RehearsalContext, ScenarioEvent], Awaitable[Refusal | None]]


def event_key(event: ScenarioEvent) -> str:
    """The idempotency key of a scenario event: stable, so reruns give the same ids."""
    return f"rehearsal-e{event.index:05d}"


def refusal_from(event: ScenarioEvent, payload: dict[str, Any]) -> Refusal:
    error = error_from_payload(payload)
    return Refusal(event.index, event.at, event.action, error.message, tuple(error.problems))


async def registry_change(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    change = RegistryChange.model_validate(
        {"key": event_key(event), "at": event.at, "actor": SCENARIO_ACTOR, "command": event.payload}
    )
    context.tracker.track(registry_change_workflow_id(change.key))
    outcome = await registry_service.submit(
        context.client, change, context.task_queue, context.clock_offset
    )
    return refusal_from(event, outcome.refusal) if outcome.refusal is not None else None


def _refused(event: ScenarioEvent, error: GovernanceError) -> Refusal:
    return Refusal(event.index, event.at, event.action, error.message, tuple(error.problems))


async def submit_application(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    request = event.payload
    assert isinstance(request, req.SubmitApplication)
    if request.id is not None:
        context.tracker.track(application_workflow_id(request.id))
    try:
        await context.applications.submit(request, None, event.at, key=event_key(event))
    except GovernanceError as error:
        return _refused(event, error)
    return None


async def application_action(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    request = event.payload
    assert isinstance(request, req.ApplicationRequest)
    try:
        await context.applications.perform(request, event.at)
    except GovernanceError as error:
        return _refused(event, error)
    return None


async def engaged_action(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    service, request = context.applications, event.payload
    try:
        match request:
            case req.RecordMilestone():
                await service.record_milestone(request, event.at)
            case req.RequestFullMembership():
                application = await service.request_full_membership(request, event.at)
                context.tracker.track(application_workflow_id(application))
            case req.ExtendEngagedPeriod():
                await service.extend_engaged_period(request, event.at)
    except GovernanceError as error:
        return _refused(event, error)
    return None


# Outcomes in a scenario come from the plenary's minutes, as the Secretariat records them.
MINUTES = "minutes"


async def roster_action(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    service, request = context.rosters, event.payload
    try:
        match request:
            case RequestDeferral():
                await service.request_deferral(request, event.at)
            case DecideDeferral():
                await service.decide_deferral(request, event.at)
            case RecordPresentation():
                key = event_key(event)
                context.tracker.track(registry_change_workflow_id(key))
                await service.record_presentation(request, MINUTES, event.at, key)
    except GovernanceError as error:
        return _refused(event, error)
    return None


async def report_action(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    service, request = context.reports, event.payload
    try:
        match request:
            # the cycle is waited for once the step is taken: a refused one (no plenary that
            # year, so no cycle) names a workflow that never starts, and settling waited for it
            # until the rehearsal gave up, ten minutes later, with no outputs
            case SubmitReport():
                await service.submit_report(request, event.at)
                context.tracker.track(report_cycle_id(request.year))
            case SubmitReview():
                await service.submit_review(request, event.at)
                context.tracker.track(report_cycle_id(request.year))
            case DeclareConflict():
                service.declare_conflict(request, event.at, SCENARIO_ACTOR)
    except GovernanceError as error:
        return _refused(event, error)
    return None


async def indicator_action(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    """Indicator values saved as a draft, submitted or amended apart from the report, and a
    reviewer's comment on one indicator (issue 22): no workflow is told of either."""
    reports = context.reports
    service = IndicatorService(reports.db, reports.rulebook, reports.deliver)
    try:
        match event.payload:
            case SubmitIndicators() as values:
                service.submit(values, event.at)
            case CommentIndicator() as comment:
                service.comment(comment, event.at)
    except GovernanceError as error:
        return _refused(event, error)
    return None


async def concern_action(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    command = event.payload
    assert context.concerns is not None
    try:
        record = await context.concerns.perform(command, event.at)  # type: ignore[arg-type]
    except GovernanceError as error:
        return _refused(event, error)
    context.tracker.track(concern_workflow_id(record.id))
    return None


async def group_action(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    """In-country groups: no workflow waits here, so the service records it at event time."""
    request = event.payload
    assert isinstance(request, GroupRequest)
    try:
        applications = context.applications
        group_service.perform(applications.db, request, event.at, applications.rulebook)
    except GovernanceError as error:
        return _refused(event, error)
    return None


async def group_plan_action(context: RehearsalContext, event: ScenarioEvent) -> Refusal | None:
    """Groups' plans and funding requests: recorded by the service, then the plan's workflow
    is woken (it keeps the plan's reminders and the Steering Committee's review deadline)."""
    request = event.payload
    assert isinstance(request, PlanRequest)
    applications = context.applications
    service = plan_service.GroupPlanService(
        context.client,
        applications.db,
        applications.rulebook,
        context.task_queue,
        context.clock_offset,
    )
    try:
        await service.perform(request, event.at, key=event_key(event))
    except GovernanceError as error:
        return _refused(event, error)
    if isinstance(request, StartGroupPlan):
        context.tracker.track(group_plan_workflow_id(request.group, request.year))
    return None


HANDLERS: dict[str, Handler] = {
    "add_member": registry_change,
    "add_person": registry_change,
    "schedule_plenary": registry_change,
    "move_plenary": registry_change,
    "complete_milestone": registry_change,
    "set_chair": registry_change,
    "designate_incoming_chair": registry_change,
    "complete_handover_item": registry_change,
    "record_seat": registry_change,
    "change_member_status": registry_change,
    "submit_report": report_action,
    "declare_conflict": report_action,
    "submit_review": report_action,
    "submit_indicators": indicator_action,
    "comment_indicator": indicator_action,
    "submit_application": submit_application,
    **dict.fromkeys(req.PERFORMED_ACTIONS, application_action),
    "record_milestone": engaged_action,
    "request_full_membership": engaged_action,
    "extend_engaged_period": engaged_action,
    "request_deferral": roster_action,
    "decide_deferral": roster_action,
    "record_presentation": roster_action,
    **dict.fromkeys(CONCERN_ACTIONS, concern_action),
    **dict.fromkeys(GROUP_ACTIONS, group_action),
    **dict.fromkeys(PLAN_ACTIONS, group_plan_action),
}
