"""What the reporting-cycle workflow and its activities exchange."""

from __future__ import annotations

from pydantic import AwareDatetime

from governance.kernel.contracts import WorkflowInput
from governance.kernel.model import Frozen
from governance.kernel.notices import Notification

REPORT_CYCLE_WORKFLOW = "report-cycle"
REPORTS_CHANGED = "reports_changed"


def report_cycle_id(year: int) -> str:
    return f"report-cycle-{year}"


class ReportCycleInput(WorkflowInput):
    year: int


class CycleRequest(Frozen):
    year: int
    now: AwareDatetime


class CycleStatus(Frozen):
    """The steps to run now, in order, what else is pending, and when to look again."""

    notices: list[Notification]
    steps: list[str]
    late_reports: bool
    feedback: bool
    next_at: AwareDatetime | None
    finished: bool


class RunStep(Frozen):
    year: int
    step: str
    now: AwareDatetime
