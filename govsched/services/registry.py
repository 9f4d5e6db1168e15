"""Submitting registry changes: start the change's workflow and wait for its outcome."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import cast

from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from governance.kernel.errors import error_from_payload
from governance.registry.changes import Effects, RegistryCommand
from governance.registry.contracts import (
    CommandOutcome,
    RegistryChange,
    RegistryChangeInput,
    registry_change_workflow_id,
)
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import decide
from govsched.persistence.db import Database


async def submit(
    client: Client,
    change: RegistryChange,
    task_queue: str,
    clock_offset: timedelta = timedelta(0),
) -> CommandOutcome:
    """The outcome of `change`, applying it if its key is new.

    The workflow id comes from the idempotency key: a repeated request with the same key joins
    the first one's workflow (or reads its result) instead of changing anything twice.
    """
    # here, not at the top: importing a workflow loads every workflow and activity, which the
    # CLI commands and the web pages that never submit a change need not pay for at start-up
    from workflows.registry_change import RegistryChangeWorkflow

    wid = registry_change_workflow_id(change.key)
    operation = WithStartWorkflowOperation(
        RegistryChangeWorkflow.run,
        RegistryChangeInput(change=change, clock_offset=clock_offset),
        id=wid,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
    )
    try:
        # (the SDK types an async handler's result as its coroutine; the value is the outcome)
        outcome = cast(
            CommandOutcome,
            await client.execute_update_with_start_workflow(
                RegistryChangeWorkflow.outcome, start_workflow_operation=operation
            ),
        )
        return outcome
    except (WorkflowAlreadyStartedError, RPCError) as exc:
        # The start operation holds the same error; collect it so asyncio does not report it.
        with contextlib.suppress(Exception):
            await operation.workflow_handle()
        if isinstance(exc, RPCError) and exc.status != RPCStatusCode.ALREADY_EXISTS:
            raise
    # The first request's workflow has finished: its result is the outcome.
    # by id with the result's type, not `get_workflow_handle_for(RegistryChangeWorkflow.run)`:
    # mypy read that overload differently by the order it checked the modules in (three errors
    # on a fresh cache when govsched was checked before governance)
    handle = client.get_workflow_handle(wid, result_type=CommandOutcome)
    finished: CommandOutcome = await handle.result()
    return finished


def preview(db: Database, command: RegistryCommand, at: datetime, rulebook: Rulebook) -> Effects:
    """What `command` would do at `at`, or the GovernanceError that would refuse it: the rule
    and facts the registry-change workflow applies, read and never written (a web form shows
    it before the person confirms)."""
    with db.reading() as session:
        return decide(session, command, at, rulebook)


def raise_if_refused(outcome: CommandOutcome) -> None:
    """Turn a refusal back into the GovernanceError that caused it."""
    if outcome.refusal is not None:
        raise error_from_payload(outcome.refusal)
