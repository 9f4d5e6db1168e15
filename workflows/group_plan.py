"""One group's annual plan followed through the year: its deliverables and funding requests."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.group_plans import GroupPlanActivities
    from governance.groups.contracts import (
        GROUP_PLAN_CHANGED,
        GROUP_PLAN_WORKFLOW,
        GroupPlanInput,
        GroupPlanStatusRequest,
    )
    from workflows.base.wake import FINISHED, Next, SleepUntil, WakeLoop


@workflow.defn(name=GROUP_PLAN_WORKFLOW)
class GroupPlanWorkflow(WakeLoop):
    """Owns the plan's time: reminders before deliverables' due days and the overdue summary,
    the Steering Committee's review deadlines of its funding requests (silence counted there)
    and the reports on the use of funds.

    People's steps are written by the service (one transaction, refused there by the pure
    rules) and signalled here; the workflow delivers what they issued and plans again. It ends
    when nothing is left to happen, and a later step starts it again.
    """

    @workflow.run
    async def run(self, inp: GroupPlanInput) -> None:
        """Deliver the plan's notices and run its timed steps until none is left."""
        self._inp = inp
        self._delivered = inp.delivered
        await self.loop(inp.clock_offset, self._look)

    async def _look(self, now: datetime) -> Next:
        request = GroupPlanStatusRequest(
            group_id=self._inp.group_id, year=self._inp.year, now=now, delivered=self._delivered
        )
        status = await self.look(GroupPlanActivities.status, request)
        self._delivered = status.delivered
        if status.finished and not self.woken:
            return FINISHED
        return SleepUntil(status.next_at)

    @workflow.signal(name=GROUP_PLAN_CHANGED)
    def plan_changed(self) -> None:
        """A step of the plan or one of its requests was recorded: deliver and plan again."""
        self.wake()
