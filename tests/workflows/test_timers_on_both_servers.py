"""Each timer-shaped workflow wakes by itself at the instant its activity named, on both Temporal
servers (issue 24). The workflows' own files test far-off instants on the time-skipping server
alone; here the instant is a few seconds ahead, so the dev server's real clock reaches it too.
Activities are faked under their real names (tests/workflows/fakes.py)."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from temporalio import activity
from temporalio.testing import WorkflowEnvironment

from governance.reports.contracts import ReportCycleInput
from governance.year.contracts import YearDue, YearDueRequest, YearInput
from governance.year.handover.contracts import HandoverInput
from tests.workflows.fakes import Calls, eventually, faked, notice, workflow_id
from tests.workflows.test_chair_handover_workflow import READY, HandoverFakes, _waiting
from tests.workflows.test_report_cycle_workflow import CLOSED, CycleFakes, _status
from workflows.chair_handover import ChairHandoverWorkflow
from workflows.governance_year import GovernanceYearWorkflow
from workflows.report_cycle import ReportCycleWorkflow

# Long enough that a look made at once is told apart from the one at the instant; short
# enough for the dev server, whose clock is the wall clock.
SOON = timedelta(seconds=3)
# Timer firing is rounded to Temporal's clock; the gap between looks is at least this.
AT_LEAST = SOON - timedelta(milliseconds=100)


class SoonYearFakes(Calls):
    """Each look names an instant SOON ahead; the year does not end during the test."""

    @activity.defn(name="year-agenda")
    async def agenda(self, request: YearDueRequest) -> YearDue:
        self.record("year-agenda", request)
        first = len(self.of("year-agenda")) == 1
        due = [notice(f"milestone-{request.year}", request.now)] if first else []
        return YearDue(
            notices=due, next_at=request.now + SOON, year_ends_at=request.now + timedelta(days=300)
        )


def _gaps(fakes: Calls, name: str) -> list[timedelta]:
    looks = [request.now for request in fakes.of(name)]
    return [later - earlier for earlier, later in pairwise(looks)]


async def test_the_governance_year_wakes_at_its_next_instant(
    workflow_env: WorkflowEnvironment,
) -> None:
    client, fakes = workflow_env.client, SoonYearFakes()
    async with faked(client, GovernanceYearWorkflow, [fakes.agenda, fakes.deliver]) as queue:
        handle = await client.start_workflow(
            GovernanceYearWorkflow.run,
            YearInput(year=2041),
            id=workflow_id("governance-year"),
            task_queue=queue,
        )
        await eventually(lambda: len(fakes.of("year-agenda")) >= 2, "a look at the instant")
        await handle.terminate("test over")

    assert [n.item for n in fakes.delivered] == ["milestone-2041"]
    assert all(gap >= AT_LEAST for gap in _gaps(fakes, "year-agenda"))


async def test_the_report_cycle_wakes_at_its_next_step(workflow_env: WorkflowEnvironment) -> None:
    client = workflow_env.client
    fakes = CycleFakes([_status([], next_at=lambda r: r.now + SOON), CLOSED])
    async with faked(client, ReportCycleWorkflow, fakes.activities()) as queue:
        handle = await client.start_workflow(
            ReportCycleWorkflow.run,
            ReportCycleInput(year=2042),
            id=workflow_id("report-cycle"),
            task_queue=queue,
        )
        await handle.result()

    assert fakes.names() == ["report-cycle-status", "report-cycle-status"]
    assert all(gap >= AT_LEAST for gap in _gaps(fakes, "report-cycle-status"))


async def test_the_chair_handover_wakes_at_its_next_reminder(
    workflow_env: WorkflowEnvironment,
) -> None:
    client = workflow_env.client
    fakes = HandoverFakes([_waiting(SOON, "checklist-reminder"), READY])
    async with faked(
        client, ChairHandoverWorkflow, [fakes.status, fakes.hand_over, fakes.deliver]
    ) as queue:
        handle = await client.start_workflow(
            ChairHandoverWorkflow.run,
            HandoverInput(year=2043),
            id=workflow_id("chair-handover"),
            task_queue=queue,
        )
        await handle.result()

    assert fakes.names() == [
        "handover-status",
        "deliver-notification",
        "handover-status",
        "hand-over-chair",
        "deliver-notification",
    ]
    assert all(gap >= AT_LEAST for gap in _gaps(fakes, "handover-status"))
