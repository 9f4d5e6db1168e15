"""Steps every workflow takes the same way: delivering notices, refusing an update."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NoReturn

from temporalio import workflow
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.applications import ApplicationActivities
    from activities.notifications import NotificationActivities
    from activities.processes import ProcessActivities
    from governance.applications.contracts import (
        ENGAGED_WORKFLOW,
        PlanEngaged,
        engaged_workflow_id,
    )
    from governance.kernel.contracts import StartProcess, WorkflowInput
    from governance.kernel.errors import GovernanceError, error_payload
    from governance.kernel.notices import Notification
    from governance.roster.contracts import ROSTER_WORKFLOW, RosterInput, roster_workflow_id
    from workflows.base.patches import STARTED_BY_ACTIVITY
    from workflows.base.policies import NOTIFY_TIMEOUT, PATIENT_RETRY, STORE_TIMEOUT


async def deliver(notices: Iterable[Notification]) -> None:
    """Deliver each notice once (the ledger skips keys already sent)."""
    for notice in notices:
        await workflow.execute_activity_method(
            NotificationActivities.deliver,
            notice,
            start_to_close_timeout=NOTIFY_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )


def refuse(error: GovernanceError) -> NoReturn:
    """Fail an update with the refusal's class, message and problems, for the caller to map."""
    raise ApplicationError(
        error.message, error_payload(error), type=type(error).__name__, non_retryable=True
    ) from None


async def start_process(workflow_type: str, workflow_id: str, arg: WorkflowInput) -> None:
    """Set a process going unless it exists or existed; its starter does not wait for it."""
    started = await workflow.execute_activity_method(
        ProcessActivities.start,
        StartProcess(
            workflow=workflow_type, workflow_id=workflow_id, arg=arg.model_dump(mode="json")
        ),
        start_to_close_timeout=STORE_TIMEOUT,
        retry_policy=PATIENT_RETRY,
    )
    if not started:
        workflow.logger.info("%s is already under way", workflow_id)


async def start_legacy_child(workflow_type: str, workflow_id: str, arg: WorkflowInput) -> None:
    """How processes were started before STARTED_BY_ACTIVITY; kept for replaying old histories."""
    try:
        await workflow.start_child_workflow(
            workflow_type, arg, id=workflow_id, parent_close_policy=ParentClosePolicy.ABANDON
        )
    except WorkflowAlreadyStartedError:
        workflow.logger.info("%s is already under way", workflow_id)


async def start_outliving(workflow_type: str, workflow_id: str, arg: WorkflowInput) -> None:
    if workflow.patched(STARTED_BY_ACTIVITY):
        await start_process(workflow_type, workflow_id, arg)
    else:
        await start_legacy_child(workflow_type, workflow_id, arg)


async def start_engaged_period(
    member: str, admitted_at: datetime, offset: timedelta, admitted_on: date | None = None
) -> None:
    """Start tracking a new Engaged member's way to Full; it outlives whoever starts it."""
    plan = await workflow.execute_activity_method(
        ApplicationActivities.plan_engaged,
        PlanEngaged(member=member, admitted_at=admitted_at, admitted_on=admitted_on),
        start_to_close_timeout=STORE_TIMEOUT,
        retry_policy=PATIENT_RETRY,
    )
    await start_outliving(
        ENGAGED_WORKFLOW,
        engaged_workflow_id(member),
        plan.model_copy(update={"clock_offset": offset}),
    )


async def start_roster(plenary_id: str, scheduled_at: datetime, offset: timedelta) -> None:
    """Start the roster process of a newly scheduled annual plenary; it outlives its starter."""
    await start_process(
        ROSTER_WORKFLOW,
        roster_workflow_id(plenary_id),
        RosterInput(plenary_id=plenary_id, scheduled_at=scheduled_at, clock_offset=offset),
    )
