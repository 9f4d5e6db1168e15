"""One reporting year: reminders, overdue and escalation, reviewer assignment, review reminders."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.reports import ReportActivities
    from governance.reports.contracts import (
        REPORT_CYCLE_WORKFLOW,
        REPORTS_CHANGED,
        CycleRequest,
        ReportCycleInput,
        RunStep,
    )
    from workflows.base.patches import CONTINUE_WHEN_LONG, CONTINUE_WHILE_BUSY
    from workflows.base.policies import BATCH_HEARTBEAT, BATCH_TIMEOUT, PATIENT_RETRY
    from workflows.base.search import YEAR, show
    from workflows.base.wake import FINISHED, LOOK_AGAIN, Next, SleepUntil, WakeLoop


# Well under Temporal's 50,000-event limit, and reached also where the server never suggests.
LONG_HISTORY = 5_000
# Runs are also cut while idle, and shorter: a signal per submission grew one idle run to 23,000
# events at 20,000 members, and a worker whose cache had evicted it replayed them all each time.
SHORTER_HISTORY = 2_000


def _history_is_long(limit: int = LONG_HISTORY) -> bool:
    info = workflow.info()
    return info.is_continue_as_new_suggested() or info.get_current_history_length() > limit


@workflow.defn(name=REPORT_CYCLE_WORKFLOW)
class ReportCycleWorkflow(WakeLoop):
    """One run per reporting year, from the moment its annual plenary is scheduled until the
    plenary ends.

    The history grows with the number of distinct instants (about a dozen a year) and of changes
    signalled, never with the number of members: each step is one activity that pages through
    everyone it concerns. Dates come from the plenary in the database each time the workflow
    wakes, so a moved plenary moves every deadline with nothing restarted.
    """

    @workflow.run
    async def run(self, inp: ReportCycleInput) -> None:
        """Run each step of the cycle when it falls due, for everyone it concerns; ends when the
        cycle has closed (the plenary has ended) or its plenary no longer exists."""
        self._inp = inp
        show(YEAR.value_set(inp.year))
        self._shorter = workflow.patched(CONTINUE_WHEN_LONG)
        self._limit = SHORTER_HISTORY if self._shorter else LONG_HISTORY
        await self.loop(inp.clock_offset, self._look)

    async def _look(self, now: datetime) -> Next:
        inp, limit = self._inp, self._limit
        request = CycleRequest(year=inp.year, now=now)
        status = await self.look(ReportActivities.status, request)
        if status.finished:
            return FINISHED
        for step in status.steps:
            await workflow.execute_activity_method(
                ReportActivities.run_step,
                RunStep(year=inp.year, step=step, now=now),
                start_to_close_timeout=BATCH_TIMEOUT,
                heartbeat_timeout=BATCH_HEARTBEAT,
                retry_policy=PATIENT_RETRY,
            )
        if status.late_reports:
            await workflow.execute_activity_method(
                ReportActivities.assign_late,
                request,
                start_to_close_timeout=BATCH_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
        if status.feedback:
            await workflow.execute_activity_method(
                ReportActivities.send_feedback,
                request,
                start_to_close_timeout=BATCH_TIMEOUT,
                heartbeat_timeout=BATCH_HEARTBEAT,
                retry_policy=PATIENT_RETRY,
            )
        if status.steps or status.late_reports or status.feedback:
            # A stream of submissions keeps the loop busy: without this check the history
            # grew to 13,000 events at 2,000 members in the benchmark (the state is in the
            # database, so a new run loses nothing).
            if workflow.patched(CONTINUE_WHILE_BUSY) and _history_is_long(limit):
                workflow.continue_as_new(inp)
            return LOOK_AGAIN
        if workflow.info().is_continue_as_new_suggested() or (
            self._shorter and _history_is_long(limit)
        ):
            workflow.continue_as_new(inp)
        return SleepUntil(status.next_at)

    @workflow.signal(name=REPORTS_CHANGED)
    def reports_changed(self) -> None:
        """A report, review or conflict was recorded, or the plenary moved: look again."""
        self.wake()
