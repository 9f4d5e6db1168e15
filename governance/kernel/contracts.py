"""What every process payload shares: the workflow input's base, idempotency keys, and
the commands that start or signal a process.

Changes are additive only (new fields get defaults), because histories of running
workflows hold the old shapes and must still decode."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from pydantic import Field

from governance.kernel.model import Frozen

IdempotencyKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$")]


class WorkflowInput(Frozen):
    """Base of every workflow input.

    `clock_offset` is added to Temporal's clock to give governance time. It is zero in production;
    a rehearsal sets it so that the time-skipping server's clock reads as scenario time.
    """

    clock_offset: timedelta = timedelta(0)


class SignalProcess(Frozen):
    """Tell a running process something changed; nothing happens if it is not running."""

    workflow_id: str
    signal: str
    arg: dict[str, Any] | None = None


class StartProcess(Frozen):
    """A long-running workflow one process sets going and does not wait for.

    Started by an activity rather than as a child workflow: the process outlives its starter,
    and no parent needs telling when it ends.
    """

    workflow: str
    workflow_id: str
    arg: dict[str, Any]
