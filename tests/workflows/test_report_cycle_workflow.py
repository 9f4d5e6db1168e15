"""The reporting-cycle workflow on its own, its activities faked under their real names: each
step the status names is run in order, late reports and feedback follow, a busy round looks
again at once, an idle one waits to be told, and the cycle ends once closed (issue 18)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import activity
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from governance.reports.contracts import (
    REPORTS_CHANGED,
    CycleRequest,
    CycleStatus,
    ReportCycleInput,
    RunStep,
)
from tests.workflows.fakes import Calls, eventually, faked, notice, workflow_id
from workflows.report_cycle import ReportCycleWorkflow

FAR = timedelta(days=20)
Look = Callable[[CycleRequest], CycleStatus]


def _status(steps: list[str], late: bool = False, feedback: bool = False, **kw: object) -> Look:
    def status(request: CycleRequest) -> CycleStatus:
        return CycleStatus.model_validate(
            {
                "notices": [],
                "steps": steps,
                "late_reports": late,
                "feedback": feedback,
                "next_at": None,
                "finished": False,
                **{k: (v(request) if callable(v) else v) for k, v in kw.items()},
            }
        )

    return status


BUSY = _status(
    ["open-2031-01-15", "report-reminder-14-2031-04-03"],
    late=True,
    feedback=True,
    notices=lambda r: [notice("back-from-inactive", r.now)],
)
IDLE = _status([])
CLOSED = _status([], finished=True)


class CycleFakes(Calls):
    def __init__(self, script: list[Look]) -> None:
        super().__init__()
        self.script = script

    @activity.defn(name="report-cycle-status")
    async def status(self, request: CycleRequest) -> CycleStatus:
        self.record("report-cycle-status", request)
        looks = len(self.of("report-cycle-status"))
        return self.script[min(looks, len(self.script)) - 1](request)

    @activity.defn(name="run-report-step")
    async def run_step(self, order: RunStep) -> int:
        self.record("run-report-step", order)
        return 3

    @activity.defn(name="assign-late-reports")
    async def assign_late(self, request: CycleRequest) -> int:
        self.record("assign-late-reports", request)
        return 1

    @activity.defn(name="send-review-feedback")
    async def send_feedback(self, request: CycleRequest) -> int:
        self.record("send-review-feedback", request)
        return 2

    def activities(self) -> list[Callable[..., object]]:
        return [self.status, self.run_step, self.assign_late, self.send_feedback, self.deliver]


async def test_each_step_runs_in_order_then_the_idle_cycle_waits_to_be_told(
    workflow_env: WorkflowEnvironment,
) -> None:
    client, fakes = workflow_env.client, CycleFakes([BUSY, IDLE, CLOSED])
    async with faked(client, ReportCycleWorkflow, fakes.activities()) as queue:
        handle = await client.start_workflow(
            ReportCycleWorkflow.run,
            ReportCycleInput(year=2031),
            id=workflow_id("report-cycle"),
            task_queue=queue,
        )
        await eventually(lambda: len(fakes.of("report-cycle-status")) == 2, "the look again")
        assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
        await handle.signal(REPORTS_CHANGED)  # a report was submitted
        await handle.result()

    assert fakes.names() == [
        "report-cycle-status",
        "deliver-notification",
        "run-report-step",
        "run-report-step",
        "assign-late-reports",
        "send-review-feedback",
        "report-cycle-status",  # a busy round looks again at once
        "report-cycle-status",  # told: the cycle has closed
    ]
    first = fakes.of("report-cycle-status")[0]
    assert [(o.year, o.step, o.now) for o in fakes.of("run-report-step")] == [
        (2031, "open-2031-01-15", first.now),
        (2031, "report-reminder-14-2031-04-03", first.now),
    ]
    assert [n.item for n in fakes.delivered] == ["back-from-inactive"]


async def test_the_cycle_wakes_by_itself_at_its_next_step(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client = time_skipping_env.client
    waiting = _status([], next_at=lambda r: r.now + FAR)
    fakes = CycleFakes([waiting, CLOSED])
    async with faked(client, ReportCycleWorkflow, fakes.activities()) as queue:
        handle = await client.start_workflow(
            ReportCycleWorkflow.run,
            ReportCycleInput(year=2032),
            id=workflow_id("report-cycle"),
            task_queue=queue,
        )
        await eventually(lambda: len(fakes.of("report-cycle-status")) == 1, "the first look")
        await time_skipping_env.sleep(FAR + timedelta(hours=1))
        await handle.result()

    first, second = fakes.of("report-cycle-status")
    assert second.now - first.now >= FAR - timedelta(seconds=5)
