"""Payloads of a group plan's follow-up process, as they cross into Temporal.

Additive changes only: a new field needs a default, so recorded histories keep replaying.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import AwareDatetime

from governance.kernel.model import Frozen
from governance.kernel.notices import Notification

GROUP_PLAN_WORKFLOW = "group-plan"
GROUP_PLAN_CHANGED = "group_plan_changed"


def group_plan_workflow_id(group_id: str, year: int) -> str:
    return f"{GROUP_PLAN_WORKFLOW}-{group_id}-{year}"


class GroupPlanInput(Frozen):
    group_id: str
    year: int
    clock_offset: timedelta = timedelta(0)
    delivered: int = 0


class GroupPlanStatusRequest(Frozen):
    group_id: str
    year: int
    now: AwareDatetime
    delivered: int = 0


class GroupPlanStatus(Frozen):
    notices: list[Notification] = []
    delivered: int = 0
    next_at: datetime | None = None
    finished: bool = False
