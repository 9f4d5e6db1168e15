"""Workflow inputs, update commands and activity payloads of the verification roster."""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, BaseModel, ConfigDict

from governance.applications.contracts import ActionCommand
from governance.applications.model import Reason
from governance.kernel.contracts import WorkflowInput
from governance.kernel.model import Frozen
from governance.roster.document import RosterDocument
from governance.roster.rule import Slot

ROSTER_WORKFLOW = "verification-roster"
REQUEST_DEFERRAL = "request_deferral"
DECIDE_DEFERRAL = "decide_deferral"
# Signalled by the registry change that moved the plenary.
PLENARY_MOVED = "plenary_moved"
DOCUMENT_QUERY = "document"


def roster_workflow_id(plenary_id: str) -> str:
    return f"roster-{plenary_id}"


class RosterPlan(Frozen):
    """When the roster of a plenary is drawn and how long deferrals may be asked."""

    plenary_id: str
    year: int
    seed: str
    draw_on: date
    call_at: AwareDatetime
    deferral_closes: AwareDatetime
    deferral_last_day: date  # the local day `deferral_closes` ends
    plenary_starts: date
    plenary_ends: date
    plenary_begins_at: AwareDatetime
    # when the Secretariat is reminded of presenters whose outcome is not in the ledger
    outcomes_due_at: AwareDatetime | None = None


class PlanRoster(Frozen):
    plenary_id: str
    scheduled_at: AwareDatetime
    # Set when the plenary moved after the draw: the draw stays where it was.
    drawn_on: date | None = None
    # Set when the plenary moved before the draw: a draw the move makes due at once happens at
    # the move, never stamped before the plenary had its dates.
    moved_at: AwareDatetime | None = None


class RosterInput(WorkflowInput):
    plenary_id: str
    scheduled_at: AwareDatetime


class Presenter(Frozen):
    member: str
    name: str
    focal_points: tuple[str, ...] = ()


class PublishedRoster(Frozen):
    document: RosterDocument
    presenters: dict[str, Presenter]


class DeferralRequestCommand(ActionCommand):
    member: str
    reason: Reason


class DeferralDecisionCommand(ActionCommand):
    member: str
    approve: bool


class DeferralRequest(Frozen):
    member: str
    reason: str
    requested_by: str
    requested_at: AwareDatetime
    decided: bool = False
    approved: bool = False


class ApplyDeferral(Frozen):
    plan: RosterPlan
    request: DeferralRequest
    decided_by: str
    at: AwareDatetime


class DeferralResult(Frozen):
    published: PublishedRoster
    vacated: Slot
    replacement: Slot | None


class MoveSlots(Frozen):
    """A drawn roster whose plenary moved: its presentations follow the new dates."""

    plan: RosterPlan
    published: PublishedRoster
    at: AwareDatetime


class DrawnRoster(Frozen):
    """What the roster workflow keeps of a draw once the document stays in the store: who
    presents. Reasons, presenters' names and the draw's inputs are read from the store when a
    notice or a calendar entry needs them, so the workflow's payloads stay small."""

    slots: tuple[str, ...]


class DeferralApplied(Frozen):
    """A deferral applied in the store: the slot given up, its replacement, and those two
    members' names and focal points (for the notices)."""

    vacated: Slot
    replacement: Slot | None
    presenters: dict[str, Presenter]


class PresenterLookup(Frozen):
    """A presenter's name and focal points, read when a notice to it is due."""

    member: str


class MoveAnnouncement(Frozen):
    """A drawn roster's plenary moved: its presentations follow, and presenters are told."""

    before: RosterPlan
    after: RosterPlan
    at: AwareDatetime


class RosterReference(BaseModel):
    """What a deferral decision answers: the plenary whose stored document to read. Earlier
    workflows answered with the whole document; its other fields are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    plenary: str


class PlenaryMoved(Frozen):
    """The signal a roster gets when its plenary moves: when the move was made."""

    at: AwareDatetime
