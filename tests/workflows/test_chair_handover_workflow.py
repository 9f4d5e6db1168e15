"""The Chair handover workflow on its own, its activities faked under their real names: it
reminds, waits for a designation when nobody is named, moves the Chair once it is ready, and
ends when the handover is gone (issue 18)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import activity
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from governance.kernel.notices import Notification
from governance.year.handover.contracts import (
    HANDOVER_CHANGED,
    HandoverInput,
    HandoverRequest,
    HandoverStatus,
)
from tests.workflows.fakes import Calls, eventually, faked, notice, workflow_id
from workflows.chair_handover import ChairHandoverWorkflow

FAR = timedelta(days=30)


class HandoverFakes(Calls):
    """Scripted looks: each answers the next status of `script` (the last one repeats), made
    at the workflow's time (the test server's clock runs ahead of the wall clock)."""

    def __init__(self, script: list[Callable[[HandoverRequest], HandoverStatus]]) -> None:
        super().__init__()
        self.script = script

    @activity.defn(name="handover-status")
    async def status(self, request: HandoverRequest) -> HandoverStatus:
        self.record("handover-status", request)
        looks = len(self.of("handover-status"))
        return self.script[min(looks, len(self.script)) - 1](request)

    @activity.defn(name="hand-over-chair")
    async def hand_over(self, request: HandoverRequest) -> list[Notification]:
        self.record("hand-over-chair", request)
        return [notice(f"handover-{request.year}", request.now, "the Chair has moved")]


def _waiting(next_in: timedelta | None, item: str) -> Callable[[HandoverRequest], HandoverStatus]:
    def status(request: HandoverRequest) -> HandoverStatus:
        return HandoverStatus(
            notices=[notice(item, request.now)],
            next_at=None if next_in is None else request.now + next_in,
            ready=False,
            finished=False,
        )

    return status


def READY(_request: HandoverRequest) -> HandoverStatus:  # noqa: N802 (a scripted answer)
    return HandoverStatus(notices=[], next_at=None, ready=True, finished=False)


def GONE(_request: HandoverRequest) -> HandoverStatus:  # noqa: N802 (a scripted answer)
    return HandoverStatus(notices=[], next_at=None, ready=False, finished=True)


async def test_the_chair_moves_once_the_designation_arrives(
    workflow_env: WorkflowEnvironment,
) -> None:
    client = workflow_env.client
    # nobody designated at the instant: no next instant, the workflow waits to be told
    fakes = HandoverFakes([_waiting(None, "missing-incoming-chair"), READY])
    async with faked(
        client, ChairHandoverWorkflow, [fakes.status, fakes.hand_over, fakes.deliver]
    ) as queue:
        handle = await client.start_workflow(
            ChairHandoverWorkflow.run,
            HandoverInput(year=2031),
            id=workflow_id("chair-handover"),
            task_queue=queue,
        )
        await eventually(lambda: len(fakes.delivered) == 1, "the missing-Chair alert")
        assert fakes.of("hand-over-chair") == []
        await handle.signal(HANDOVER_CHANGED)
        await handle.result()
        status = (await handle.describe()).status

    assert status == WorkflowExecutionStatus.COMPLETED
    assert fakes.names() == [
        "handover-status",
        "deliver-notification",
        "handover-status",
        "hand-over-chair",
        "deliver-notification",
    ]
    assert [r.year for r in fakes.of("hand-over-chair")] == [2031]
    assert [n.item for n in fakes.delivered] == ["missing-incoming-chair", "handover-2031"]


async def test_a_handover_that_is_gone_ends_without_moving_anyone(
    workflow_env: WorkflowEnvironment,
) -> None:
    client = workflow_env.client
    fakes = HandoverFakes([_waiting(FAR, "checklist-reminder"), GONE])
    async with faked(
        client, ChairHandoverWorkflow, [fakes.status, fakes.hand_over, fakes.deliver]
    ) as queue:
        handle = await client.start_workflow(
            ChairHandoverWorkflow.run,
            HandoverInput(year=2032),
            id=workflow_id("chair-handover"),
            task_queue=queue,
        )
        await eventually(lambda: len(fakes.delivered) == 1, "the checklist reminder")
        await handle.signal(HANDOVER_CHANGED)  # e.g. the plenary was cancelled
        await handle.result()

    assert fakes.of("hand-over-chair") == []
    assert len(fakes.of("handover-status")) == 2


async def test_the_handover_wakes_by_itself_at_the_next_reminder(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client = time_skipping_env.client
    fakes = HandoverFakes([_waiting(FAR, "checklist-reminder"), READY])
    async with faked(
        client, ChairHandoverWorkflow, [fakes.status, fakes.hand_over, fakes.deliver]
    ) as queue:
        handle = await client.start_workflow(
            ChairHandoverWorkflow.run,
            HandoverInput(year=2033),
            id=workflow_id("chair-handover"),
            task_queue=queue,
        )
        await eventually(lambda: len(fakes.of("handover-status")) == 1, "the first look")
        await time_skipping_env.sleep(FAR + timedelta(hours=1))
        await handle.result()

    first, second = fakes.of("handover-status")
    assert second.now - first.now >= FAR - timedelta(seconds=5)
    assert len(fakes.of("hand-over-chair")) == 1
