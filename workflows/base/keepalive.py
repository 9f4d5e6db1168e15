"""Store activities are scheduled with a short heartbeat timeout, which their worker keeps
alive (activities/keepalive.py): one held by a dead worker is retried within seconds, not when
its start-to-close timeout runs out. Set here, in one place, for every store activity (those
scheduled with STORE_TIMEOUT), rather than at each of their calls.

Only the activity's options change, not the commands a workflow issues: histories recorded
before replay unchanged (tests/replay replays them through this interceptor).
"""

from __future__ import annotations

from typing import Any

from temporalio.worker import (
    StartActivityInput,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
    WorkflowOutboundInterceptor,
)

from activities.keepalive import KEEPALIVE_EVERY, KEEPALIVE_TIMEOUT, KeepStoreActivitiesAlive
from workflows.base.policies import STORE_TIMEOUT


class _Outbound(WorkflowOutboundInterceptor):
    def start_activity(self, input: StartActivityInput) -> Any:
        if input.start_to_close_timeout == STORE_TIMEOUT and input.heartbeat_timeout is None:
            input.heartbeat_timeout = KEEPALIVE_TIMEOUT
        return super().start_activity(input)


class _Inbound(WorkflowInboundInterceptor):
    def init(self, outbound: WorkflowOutboundInterceptor) -> None:
        super().init(_Outbound(outbound))


__all__ = ["KEEPALIVE_EVERY", "StoreKeepalive"]


class StoreKeepalive(KeepStoreActivitiesAlive):
    """Both sides, for a worker or a replayer: the workflow schedules store activities with
    the heartbeat timeout, the worker heartbeats for them."""

    def workflow_interceptor_class(
        self,
        input: WorkflowInterceptorClassInput,  # noqa: ARG002 (the same for every workflow)
    ) -> type[WorkflowInboundInterceptor]:
        return _Inbound
