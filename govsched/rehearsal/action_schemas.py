"""The rehearsal's actions: each name with the schema of its `with` fields.

Every process adds its own actions here, so one table tells the scenario checker (before
anything runs) and the rehearsal driver (when it runs) what exists.
"""

from __future__ import annotations

from pydantic import BaseModel

from governance.applications.requests import APPLICATION_ACTIONS
from governance.concerns.contracts import CONCERN_ACTIONS
from governance.groups.plan_requests import PLAN_ACTIONS
from governance.groups.requests import GROUP_ACTIONS
from governance.registry.changes import (
    AddMember,
    AddPerson,
    CompleteMilestone,
    MovePlenary,
    SchedulePlenary,
    SetChair,
)
from governance.registry.member_status import ChangeMemberStatus
from governance.reports.cycle import DeclareConflict, SubmitReport, SubmitReview
from governance.reports.indicators.submission import CommentIndicator, SubmitIndicators
from governance.roster.presentations import RecordPresentation
from governance.roster.requests import DecideDeferral, RequestDeferral
from governance.year.handover.rules import CompleteHandoverItem, DesignateIncomingChair
from governance.year.seats import RecordSeat

ACTIONS: dict[str, type[BaseModel]] = {
    "add_member": AddMember,
    "add_person": AddPerson,
    "schedule_plenary": SchedulePlenary,
    "move_plenary": MovePlenary,
    "complete_milestone": CompleteMilestone,
    "set_chair": SetChair,
    "designate_incoming_chair": DesignateIncomingChair,
    "complete_handover_item": CompleteHandoverItem,
    "record_seat": RecordSeat,
    "change_member_status": ChangeMemberStatus,
    "submit_report": SubmitReport,
    "declare_conflict": DeclareConflict,
    "submit_review": SubmitReview,
    "submit_indicators": SubmitIndicators,
    "comment_indicator": CommentIndicator,
    **APPLICATION_ACTIONS,
    "request_deferral": RequestDeferral,
    "decide_deferral": DecideDeferral,
    "record_presentation": RecordPresentation,
    **CONCERN_ACTIONS,
    **GROUP_ACTIONS,
    **PLAN_ACTIONS,
}
