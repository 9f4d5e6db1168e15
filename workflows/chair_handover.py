"""One Chair handover: checklist reminders and missing-Chair alerts, then the move itself."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.handover import HandoverActivities
    from governance.year.handover.contracts import (
        HANDOVER_CHANGED,
        HANDOVER_WORKFLOW,
        HandoverInput,
        HandoverRequest,
    )
    from workflows.base.common import deliver
    from workflows.base.policies import PATIENT_RETRY, STORE_TIMEOUT
    from workflows.base.search import YEAR, show
    from workflows.base.wake import FINISHED, Next, SleepUntil, WakeLoop


@workflow.defn(name=HANDOVER_WORKFLOW)
class ChairHandoverWorkflow(WakeLoop):
    """Runs from the moment the year's annual plenary is scheduled until the Chair has moved.

    The database holds the handover; the workflow wakes at each reminder, at the T-60 check,
    at the handover instant, and whenever told the handover changed (a designation, an item
    ticked off, the plenary moved). If the instant passes with nobody designated, it waits for
    the designation and hands over then.
    """

    @workflow.run
    async def run(self, inp: HandoverInput) -> None:
        """Remind, alert, and move the Chair once it is ready (designated, and the instant
        reached); ends when the Chair has moved or the handover no longer exists."""
        self._inp = inp
        show(YEAR.value_set(inp.year))
        await self.loop(inp.clock_offset, self._look)

    async def _look(self, now: datetime) -> Next:
        request = HandoverRequest(year=self._inp.year, now=now)
        status = await self.look(HandoverActivities.status, request)
        if status.finished:
            return FINISHED
        if status.ready:
            notices = await workflow.execute_activity_method(
                HandoverActivities.hand_over,
                request,
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
            await deliver(notices)
            return FINISHED
        return SleepUntil(status.next_at)

    @workflow.signal(name=HANDOVER_CHANGED)
    def handover_changed(self) -> None:
        """An incoming Chair was named, an item ticked off or the plenary moved: look again."""
        self.wake()
