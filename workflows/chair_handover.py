"""One Chair handover: checklist reminders and missing-Chair alerts, then the move itself."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.handover import HandoverActivities
    from governance.year.handover.contracts import (
        HANDOVER_CHANGED,
        HANDOVER_WORKFLOW,
        HandoverInput,
        HandoverRequest,
    )
    from workflows.base.clock import governance_now, wait_until_or
    from workflows.base.common import deliver
    from workflows.base.policies import PATIENT_RETRY, STORE_TIMEOUT


@workflow.defn(name=HANDOVER_WORKFLOW)
class ChairHandoverWorkflow:
    """Runs from the moment the year's annual plenary is scheduled until the Chair has moved.

    The database holds the handover; the workflow wakes at each reminder, at the T-60 check,
    at the handover instant, and whenever told the handover changed (a designation, an item
    ticked off, the plenary moved). If the instant passes with nobody designated, it waits for
    the designation and hands over then.
    """

    def __init__(self) -> None:
        self._changed = False

    @workflow.run
    async def run(self, inp: HandoverInput) -> None:
        while True:
            self._changed = False
            now = governance_now(inp.clock_offset)
            request = HandoverRequest(year=inp.year, now=now)
            status = await workflow.execute_activity_method(
                HandoverActivities.status,
                request,
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
            await deliver(status.notices)
            if status.finished:
                return
            if status.ready:
                notices = await workflow.execute_activity_method(
                    HandoverActivities.hand_over,
                    request,
                    start_to_close_timeout=STORE_TIMEOUT,
                    retry_policy=PATIENT_RETRY,
                )
                await deliver(notices)
                return
            if status.next_at is None:
                await workflow.wait_condition(lambda: self._changed)
            else:
                await wait_until_or(status.next_at, inp.clock_offset, lambda: self._changed)

    @workflow.signal(name=HANDOVER_CHANGED)
    def handover_changed(self) -> None:
        self._changed = True
