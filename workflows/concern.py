"""One participant concern, from filing to its decision and the follow-ups of a remedial plan."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.concerns import ConcernActivities
    from governance.concerns.contracts import (
        CONCERN_CHANGED,
        CONCERN_WORKFLOW,
        ConcernInput,
        ConcernStatusRequest,
    )
    from workflows.base.wake import FINISHED, Next, SleepUntil, WakeLoop


@workflow.defn(name=CONCERN_WORKFLOW)
class ConcernWorkflow(WakeLoop):
    """Owns the case's time: the late-acknowledgement escalation, the end of the dialogue, the
    overdue review, the decision due at the plenary and the follow-ups of a remedial plan.

    People's actions are written by the service (one transaction per step, refused there by the
    same pure rules) and signalled here; the workflow then delivers what the step announced and
    re-plans. Its history grows with the steps of one case, a dozen or so.
    """

    @workflow.run
    async def run(self, inp: ConcernInput) -> None:
        """Deliver each step's notices and run the case's timed events; ends when the case is
        final with nothing left to happen (and no step arrived meanwhile)."""
        self._inp = inp
        self._delivered = inp.delivered
        await self.loop(inp.clock_offset, self._look)

    async def _look(self, now: datetime) -> Next:
        request = ConcernStatusRequest(case=self._inp.case, now=now, delivered=self._delivered)
        status = await self.look(ConcernActivities.status, request)
        self._delivered = status.delivered
        if status.finished and not self.woken:
            return FINISHED
        return SleepUntil(status.next_at)

    @workflow.signal(name=CONCERN_CHANGED)
    def concern_changed(self) -> None:
        """A step of the case was recorded: deliver its notices and plan the case again."""
        self.wake()
