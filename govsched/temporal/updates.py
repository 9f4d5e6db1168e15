"""Sending an update to a workflow, and turning its refusal back into a GovernanceError."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam, _UpdateDefinition

from governance.kernel.errors import GovernanceError, error_from_payload

P = TypeVar("P")
R = TypeVar("R")


def refusal_from(exc: BaseException) -> BaseException:
    """The GovernanceError an update's validator or handler raised, or `exc` itself."""
    cause = exc.cause if isinstance(exc, WorkflowUpdateFailedError) else exc
    if isinstance(cause, ApplicationError) and cause.details:
        payload = cause.details[0]
        if isinstance(payload, dict):
            return error_from_payload(payload)
    return exc


def update_name(update: UpdateMethodMultiParam[..., Any]) -> str:
    """The Temporal name of a typed update reference, as the SDK resolves it when it sends one
    (it offers no public accessor): `ApplicationWorkflow.object_to` is "object"."""
    name, _ = _UpdateDefinition.get_name_and_result_type(update)
    return name


async def send_update(
    client: Client,
    target: str,
    update: UpdateMethodMultiParam[[Any, P], Awaitable[R]],
    command: P,
    ended: Callable[[], GovernanceError],
    key: str | None = None,
) -> R:
    """Send an update by its typed reference (`ApplicationWorkflow.recommend`): a refusal comes
    back as its GovernanceError, and an update to a workflow that has ended as the error
    `ended` describes.

    With the request's idempotency `key`, the update's id is the update's name and the key:
    Temporal applies an update id once per workflow run and answers a repeat with the first
    outcome, so a request repeated after Temporal was lost mid-call is applied once."""
    handle = client.get_workflow_handle(target)
    update_id = None if key is None else f"{update_name(update)}:{key}"
    try:
        # The SDK types an async handler's result as its coroutine; the value sent back is R.
        result = cast(R, await handle.execute_update(update, command, id=update_id))
    except WorkflowUpdateFailedError as exc:
        raise refusal_from(exc) from None
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        raise ended() from None
    return result


async def earlier_outcome(
    client: Client,
    target: str,
    update: UpdateMethodMultiParam[[Any, P], Awaitable[R]],
    key: str,
) -> R | None:
    """What the update sent with `key` answered, if `send_update` already applied it to
    `target`; None if it never was (or the workflow is gone). For a repeat whose first outcome
    took away what the person may see (an objector no longer sees the application): the
    repeat answers as the first did, instead of as if the item never existed."""
    name, result_type = _UpdateDefinition.get_name_and_result_type(update)
    handle = client.get_workflow_handle(target).get_update_handle(
        f"{name}:{key}", result_type=result_type
    )
    try:
        return cast(R, await handle.result())
    except WorkflowUpdateFailedError:
        return None
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        return None
