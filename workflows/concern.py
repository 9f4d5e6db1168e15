"""One participant concern, from filing to its decision and the follow-ups of a remedial plan."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.concerns import ConcernActivities
    from governance.concerns.contracts import (
        CONCERN_CHANGED,
        CONCERN_WORKFLOW,
        ConcernInput,
        ConcernStatusRequest,
    )
    from workflows.base.clock import governance_now, wait_until_or
    from workflows.base.common import deliver
    from workflows.base.policies import PATIENT_RETRY, STORE_TIMEOUT


@workflow.defn(name=CONCERN_WORKFLOW)
class ConcernWorkflow:
    """Owns the case's time: the late-acknowledgement escalation, the end of the dialogue, the
    overdue review, the decision due at the plenary and the follow-ups of a remedial plan.

    People's actions are written by the service (one transaction per step, refused there by the
    same pure rules) and signalled here; the workflow then delivers what the step announced and
    re-plans. Its history grows with the steps of one case, a dozen or so.
    """

    def __init__(self) -> None:
        self._changed = False

    @workflow.run
    async def run(self, inp: ConcernInput) -> None:
        delivered = inp.delivered
        while True:
            self._changed = False
            request = ConcernStatusRequest(
                case=inp.case, now=governance_now(inp.clock_offset), delivered=delivered
            )
            status = await workflow.execute_activity_method(
                ConcernActivities.status,
                request,
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
            await deliver(status.notices)
            delivered = status.delivered
            if status.finished and not self._changed:
                return
            if status.next_at is None:
                await workflow.wait_condition(lambda: self._changed)
            else:
                await wait_until_or(status.next_at, inp.clock_offset, lambda: self._changed)

    @workflow.signal(name=CONCERN_CHANGED)
    def concern_changed(self) -> None:
        self._changed = True
