"""The governance year: milestone reminders until each is done, year after year."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.year import YearActivities
    from governance.year.contracts import (
        PLANS_CHANGED,
        YEAR_WORKFLOW,
        YearDueRequest,
        YearInput,
    )
    from workflows.base.search import YEAR, show
    from workflows.base.wake import Next, SleepUntil, WakeLoop


@workflow.defn(name=YEAR_WORKFLOW)
class GovernanceYearWorkflow(WakeLoop):
    """One run per governance year, continuing as new into the next when the year's annual
    plenary ends (or, with no plenary that year, when the calendar year does).

    The database holds the milestones; each time the year wakes (at a reminder or overdue
    step, or when told the plans changed) it asks what is due now and what comes next. So moving
    a plenary or completing a milestone changes what happens next without restarting anything.
    """

    @workflow.run
    async def run(self, inp: YearInput) -> None:
        """Deliver what falls due, year after year; never refuses anything (it has no updates)."""
        self._inp = inp
        show(YEAR.value_set(inp.year))
        await self.loop(inp.clock_offset, self._look)

    async def _look(self, now: datetime) -> Next:
        inp = self._inp
        due = await self.look(YearActivities.agenda, YearDueRequest(year=inp.year, now=now))
        if due.year_ends_at <= now:
            workflow.continue_as_new(inp.model_copy(update={"year": inp.year + 1}))
        if workflow.info().is_continue_as_new_suggested():
            workflow.continue_as_new(inp)
        wake_at = due.year_ends_at
        if due.next_at is not None:
            wake_at = min(wake_at, due.next_at)
        return SleepUntil(wake_at)

    @workflow.signal(name=PLANS_CHANGED)
    def plans_changed(self) -> None:
        """A plenary was scheduled or moved, or a milestone completed: look again now."""
        self.wake()
