"""Sending an update to a workflow, and turning its refusal back into a GovernanceError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from governance.kernel.errors import GovernanceError, error_from_payload

T = TypeVar("T")


def refusal_from(exc: BaseException) -> BaseException:
    """The GovernanceError an update's validator or handler raised, or `exc` itself."""
    cause = exc.cause if isinstance(exc, WorkflowUpdateFailedError) else exc
    if isinstance(cause, ApplicationError) and cause.details:
        payload = cause.details[0]
        if isinstance(payload, dict):
            return error_from_payload(payload)
    return exc


async def send_update(
    client: Client,
    target: str,
    name: str,
    command: Any,
    result_type: type[T],
    ended: Callable[[], GovernanceError],
) -> T:
    """Send an update; a refusal comes back as its GovernanceError, and an update to a
    workflow that has ended as the error `ended` describes."""
    handle = client.get_workflow_handle(target)
    try:
        result: T = await handle.execute_update(name, command, result_type=result_type)
    except WorkflowUpdateFailedError as exc:
        raise refusal_from(exc) from None
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        raise ended() from None
    return result
