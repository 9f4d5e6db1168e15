"""The governance year: milestone reminders until each is done, year after year."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.year import YearActivities
    from governance.year.contracts import (
        PLANS_CHANGED,
        YEAR_WORKFLOW,
        YearDueRequest,
        YearInput,
    )
    from workflows.base.clock import governance_now, wait_until_or
    from workflows.base.common import deliver
    from workflows.base.policies import PATIENT_RETRY, STORE_TIMEOUT


@workflow.defn(name=YEAR_WORKFLOW)
class GovernanceYearWorkflow:
    """One run per governance year, continuing as new into the next when the year's annual
    plenary ends (or, with no plenary that year, when the calendar year does).

    The database holds the milestones; each time the year wakes (at a reminder or overdue
    step, or when told the plans changed) it asks what is due now and what comes next. So moving
    a plenary or completing a milestone changes what happens next without restarting anything.
    """

    def __init__(self) -> None:
        self._changed = False

    @workflow.run
    async def run(self, inp: YearInput) -> None:
        while True:
            self._changed = False
            now = governance_now(inp.clock_offset)
            agenda = await workflow.execute_activity_method(
                YearActivities.agenda,
                YearDueRequest(year=inp.year, now=now),
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
            await deliver(agenda.notices)
            if agenda.year_ends_at <= now:
                workflow.continue_as_new(inp.model_copy(update={"year": inp.year + 1}))
            if workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(inp)
            wake_at = agenda.year_ends_at
            if agenda.next_at is not None:
                wake_at = min(wake_at, agenda.next_at)
            await wait_until_or(wake_at, inp.clock_offset, lambda: self._changed)

    @workflow.signal(name=PLANS_CHANGED)
    def plans_changed(self) -> None:
        self._changed = True
