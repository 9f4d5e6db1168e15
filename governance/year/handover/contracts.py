"""What the Chair handover workflow and its activities exchange."""

from __future__ import annotations

from pydantic import AwareDatetime

from governance.kernel.contracts import WorkflowInput
from governance.kernel.model import Frozen
from governance.kernel.notices import Notification

HANDOVER_WORKFLOW = "chair-handover"
HANDOVER_CHANGED = "handover_changed"


def handover_workflow_id(year: int) -> str:
    return f"chair-handover-{year}"


class HandoverInput(WorkflowInput):
    year: int


class HandoverRequest(Frozen):
    year: int
    now: AwareDatetime


class HandoverStatus(Frozen):
    """What is due now, when to look again, and whether the Chair can move."""

    notices: list[Notification]
    next_at: AwareDatetime | None
    ready: bool
    finished: bool
