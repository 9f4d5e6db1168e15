"""The governance-year workflow on its own, its activities faked under their real names: it
delivers what falls due, looks again when told the plans changed or when the next instant
comes, and continues as new into the next year when the year ends (issue 18)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from governance.year.contracts import PLANS_CHANGED, YearDue, YearDueRequest, YearInput
from tests.workflows.fakes import Calls, eventually, faked, notice, workflow_id
from workflows.base.sandbox import workflow_runner
from workflows.governance_year import GovernanceYearWorkflow

FAR = timedelta(days=40)


class YearFakes(Calls):
    """Each look answers by the year asked about: the first year ends at the second look."""

    def __init__(self, first_year: int) -> None:
        super().__init__()
        self.first_year = first_year

    @activity.defn(name="year-agenda")
    async def agenda(self, request: YearDueRequest) -> YearDue:
        self.record("year-agenda", request)
        looks = len(self.of("year-agenda"))
        if request.year == self.first_year and looks == 1:
            due = [notice(f"milestone-{request.year}", request.now)]
            return YearDue(notices=due, next_at=request.now + FAR, year_ends_at=request.now + FAR)
        if request.year == self.first_year:
            # the plans changed: the annual plenary was held, so this year has ended
            return YearDue(notices=[], next_at=None, year_ends_at=request.now - timedelta(1))
        return YearDue(notices=[], next_at=None, year_ends_at=request.now + FAR)


async def _replays(client: Client, wid: str, run_id: str) -> None:
    history = await client.get_workflow_handle(wid, run_id=run_id).fetch_history()
    replayer = Replayer(
        workflows=[GovernanceYearWorkflow],
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(history)


async def test_the_year_delivers_looks_again_when_told_and_continues_into_the_next(
    workflow_env: WorkflowEnvironment,
) -> None:
    client, fakes = workflow_env.client, YearFakes(first_year=2031)
    wid = workflow_id("governance-year")
    async with faked(client, GovernanceYearWorkflow, [fakes.agenda, fakes.deliver]) as queue:
        handle = await client.start_workflow(
            GovernanceYearWorkflow.run, YearInput(year=2031), id=wid, task_queue=queue
        )
        first_run = (await handle.describe()).run_id
        await eventually(lambda: len(fakes.delivered) == 1, "the first look's notice delivered")
        await handle.signal(PLANS_CHANGED)
        await eventually(lambda: len(fakes.of("year-agenda")) == 3, "the next year's first look")
        current = await client.get_workflow_handle(wid).describe()
        await client.get_workflow_handle(wid).terminate("test over")
        assert first_run is not None
        await _replays(client, wid, first_run)

    assert [r.year for r in fakes.of("year-agenda")] == [2031, 2031, 2032]
    assert [n.item for n in fakes.delivered] == ["milestone-2031"]
    assert fakes.names()[:2] == ["year-agenda", "deliver-notification"]
    assert current.run_id != first_run  # continued as new, under the same id
    assert current.status == WorkflowExecutionStatus.RUNNING


async def test_the_year_wakes_by_itself_at_the_next_instant(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client, fakes = time_skipping_env.client, YearFakes(first_year=2033)
    wid = workflow_id("governance-year")
    async with faked(client, GovernanceYearWorkflow, [fakes.agenda, fakes.deliver]) as queue:
        await client.start_workflow(
            GovernanceYearWorkflow.run, YearInput(year=2033), id=wid, task_queue=queue
        )
        await eventually(lambda: len(fakes.of("year-agenda")) == 1, "the first look")
        await time_skipping_env.sleep(FAR + timedelta(hours=1))
        await eventually(lambda: len(fakes.of("year-agenda")) >= 2, "a look at the next instant")
        await client.get_workflow_handle(wid).terminate("test over")

    first, second = fakes.of("year-agenda")[:2]
    assert second.now >= first.now + FAR  # it slept until the instant it was told of
