"""The rehearsal's actions: each name with the schema of its `with` fields.

Every process adds its own actions here, so one table tells the scenario checker (before
anything runs) and the rehearsal driver (when it runs) what exists.
"""

from __future__ import annotations

from pydantic import BaseModel

from governance.application_requests import APPLICATION_ACTIONS
from governance.presentations import RecordPresentation
from governance.registry import (
    AddMember,
    AddPerson,
    CompleteMilestone,
    MovePlenary,
    SchedulePlenary,
    SetChair,
)
from governance.roster_requests import DecideDeferral, RequestDeferral

ACTIONS: dict[str, type[BaseModel]] = {
    "add_member": AddMember,
    "add_person": AddPerson,
    "schedule_plenary": SchedulePlenary,
    "move_plenary": MovePlenary,
    "complete_milestone": CompleteMilestone,
    "set_chair": SetChair,
    **APPLICATION_ACTIONS,
    "request_deferral": RequestDeferral,
    "decide_deferral": DecideDeferral,
    "record_presentation": RecordPresentation,
}
