"""What the governance-year workflow and its activities exchange."""

from __future__ import annotations

from datetime import timedelta

from pydantic import AwareDatetime

from governance.kernel.contracts import WorkflowInput
from governance.kernel.model import Frozen
from governance.kernel.notices import Notification

YEAR_WORKFLOW = "governance-year"
# One per initiative: the year's run continues as new into the next, under the same id.
YEAR_WORKFLOW_ID = "governance-year"
PLANS_CHANGED = "plans_changed"


class YearInput(WorkflowInput):
    year: int


class YearDueRequest(Frozen):
    year: int
    now: AwareDatetime


class YearDue(Frozen):
    """What is due now, when to look again, and when this governance year ends."""

    notices: list[Notification]
    next_at: AwareDatetime | None
    year_ends_at: AwareDatetime


class WakeYear(Frozen):
    """Tell the governance year its plans changed, starting it if it is not running."""

    workflow_id: str = YEAR_WORKFLOW_ID
    at: AwareDatetime
    clock_offset: timedelta = timedelta(0)
