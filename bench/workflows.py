"""The baseline: a workflow that runs one activity that does nothing."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow


@activity.defn(name="bench-noop")
async def noop(value: int) -> int:
    return value


@workflow.defn(name="bench-one-activity")
class OneActivityWorkflow:
    @workflow.run
    async def run(self, value: int) -> int:
        return await workflow.execute_activity(
            noop, value, start_to_close_timeout=timedelta(seconds=30)
        )
