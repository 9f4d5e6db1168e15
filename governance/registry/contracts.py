"""Payloads that cross a process boundary: workflow and activity inputs and results.

Changes are additive only (new fields get defaults), because histories of running workflows hold
the old shapes and must still decode.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from governance.kernel.contracts import IdempotencyKey, WorkflowInput
from governance.kernel.model import Frozen
from governance.kernel.notices import Notification, ScheduledNotice
from governance.registry.changes import RegistryCommand

REGISTRY_CHANGE_WORKFLOW = "registry-change"
# The update a caller waits on: it answers once the change is applied or refused.
OUTCOME = "outcome"


def registry_change_workflow_id(key: str) -> str:
    return f"{REGISTRY_CHANGE_WORKFLOW}-{key}"


class RegistryChange(Frozen):
    """A registry command as issued: by whom, when, under which idempotency key."""

    key: IdempotencyKey
    at: AwareDatetime
    actor: Annotated[str, Field(min_length=1, max_length=80)]
    reason: Annotated[str, Field(max_length=2000)] = ""
    command: RegistryCommand


class RegistryChangeInput(WorkflowInput):
    change: RegistryChange


class AppliedChange(Frozen):
    item_kind: str
    item_id: str
    summary: str
    notices: list[Notification] = []
    scheduled: list[ScheduledNotice] = []


class CommandOutcome(Frozen):
    """What became of a command: applied, or refused with the refusal's payload."""

    applied: AppliedChange | None = None
    refusal: dict[str, Any] | None = None
