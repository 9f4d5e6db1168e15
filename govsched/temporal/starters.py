"""Starting processes, and waking the timer-shaped ones.

Two ways in, both idempotent by workflow id: `start_once` starts a process that must run at most
once (a roster, an Engaged period), and `wake` signals a process whose state is in the database
that something changed, starting it first if none runs (the governance year, a Chair handover,
a reporting cycle, a concern). Services, activities and the worker's start-up all come here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from governance.concerns.contracts import (
    CONCERN_CHANGED,
    CONCERN_WORKFLOW,
    ConcernInput,
    concern_workflow_id,
)
from governance.groups.contracts import (
    GROUP_PLAN_CHANGED,
    GROUP_PLAN_WORKFLOW,
    GroupPlanInput,
    group_plan_workflow_id,
)
from governance.kernel.contracts import SignalProcess
from governance.reports.contracts import (
    REPORT_CYCLE_WORKFLOW,
    REPORTS_CHANGED,
    ReportCycleInput,
    report_cycle_id,
)
from governance.year.contracts import PLANS_CHANGED, YEAR_WORKFLOW, WakeYear, YearInput
from governance.year.handover.contracts import (
    HANDOVER_CHANGED,
    HANDOVER_WORKFLOW,
    HandoverInput,
    handover_workflow_id,
)


async def start_once(
    client: Client, workflow: str, arg: Any, workflow_id: str, task_queue: str
) -> bool:
    """Start the workflow unless one with this id exists or existed (then False)."""
    try:
        await client.start_workflow(
            workflow,
            arg,
            id=workflow_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        return False
    return True


async def signal_if_running(client: Client, order: SignalProcess) -> bool:
    """Signal the workflow; False if it is not running (ended, or never started)."""
    handle = client.get_workflow_handle(order.workflow_id)
    args = [] if order.arg is None else [order.arg]
    try:
        await handle.signal(order.signal, *args)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


async def wake(
    client: Client, workflow: str, arg: Any, workflow_id: str, task_queue: str, signal: str
) -> str:
    """Signal a timer-shaped process that its state changed, starting it if none runs."""
    await client.start_workflow(
        workflow,
        arg,
        id=workflow_id,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        start_signal=signal,
    )
    return workflow_id


async def wake_year(client: Client, task_queue: str, order: WakeYear, year: int) -> None:
    """The governance year (for `year`, if none runs) looks at its plans again."""
    arg = YearInput(year=year, clock_offset=order.clock_offset)
    await wake(client, YEAR_WORKFLOW, arg, order.workflow_id, task_queue, PLANS_CHANGED)


async def wake_handovers(
    client: Client, task_queue: str, years: list[int], clock_offset: timedelta
) -> list[str]:
    """Every Chair handover of `years` (those still to happen) looks at its state again."""
    return [
        await wake(
            client,
            HANDOVER_WORKFLOW,
            HandoverInput(year=year, clock_offset=clock_offset),
            handover_workflow_id(year),
            task_queue,
            HANDOVER_CHANGED,
        )
        for year in years
    ]


async def wake_cycle(
    client: Client, task_queue: str, year: int, clock_offset: timedelta = timedelta(0)
) -> str:
    """The year's reporting cycle looks at its state again."""
    arg = ReportCycleInput(year=year, clock_offset=clock_offset)
    return await wake(
        client, REPORT_CYCLE_WORKFLOW, arg, report_cycle_id(year), task_queue, REPORTS_CHANGED
    )


async def wake_concern(
    client: Client, task_queue: str, case: str, clock_offset: timedelta = timedelta(0)
) -> str:
    """The case's workflow delivers the step just recorded and plans the case's time again."""
    arg = ConcernInput(case=case, clock_offset=clock_offset)
    return await wake(
        client, CONCERN_WORKFLOW, arg, concern_workflow_id(case), task_queue, CONCERN_CHANGED
    )


async def wake_group_plan(
    client: Client, task_queue: str, group_id: str, year: int, clock_offset: timedelta
) -> str:
    """The plan's workflow delivers what a step issued and plans the plan's time again."""
    arg = GroupPlanInput(group_id=group_id, year=year, clock_offset=clock_offset)
    return await wake(
        client,
        GROUP_PLAN_WORKFLOW,
        arg,
        group_plan_workflow_id(group_id, year),
        task_queue,
        GROUP_PLAN_CHANGED,
    )
