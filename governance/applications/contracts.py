"""Workflow inputs, update commands and activity payloads of the membership processes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, Field, PositiveInt

from governance.applications import engaged_period
from governance.applications.engaged_period import Checkpoint, EngagedRecord
from governance.applications.model import (
    Applicant,
    ApplicationKind,
    ApplicationRecord,
    ApplicationRules,
    ApplicationState,
    DeadlineKind,
    Note,
    PlenaryDecision,
    Reason,
)
from governance.applications.rules import MemberChangeKind
from governance.kernel.actor import Actor
from governance.kernel.audit import AuditEntry
from governance.kernel.calendar import CalendarItem
from governance.kernel.contracts import WorkflowInput
from governance.kernel.model import Frozen, Pillar
from governance.rulebook.model import EngagedPeriod, EvidenceKind, Recommendation, Rulebook

APPLICATION_WORKFLOW = "application"
ENGAGED_WORKFLOW = "engaged-membership"
# Updates of the application workflow (a human step each, refused by its validator).
SUBMITTED = "submitted"
MARK_COMPLETE = "mark_complete"
REQUEST_INFORMATION = "request_information"
PROVIDE_INFORMATION = "provide_information"
START_REVIEW = "start_review"
RECOMMEND = "recommend"
OBJECT = "object"
RECORD_PLENARY_DECISION = "record_plenary_decision"
WITHDRAW = "withdraw"
# Updates of the Engaged period, and the signal its Full-membership application sends back.
RECORD_MILESTONE = "record_milestone"
REQUEST_FULL_MEMBERSHIP = "request_full_membership"
EXTEND = "extend"
APPLICATION_DECIDED = "application_decided"
RECORD_QUERY = "record"


def application_workflow_id(application_id: str) -> str:
    return f"{APPLICATION_WORKFLOW}-{application_id}"


def engaged_workflow_id(member: str) -> str:
    return f"engaged-{member}"


class StartApplication(Frozen):
    id: str
    kind: ApplicationKind
    applicant: Applicant
    actor: Actor
    at: AwareDatetime
    marks: tuple[AwareDatetime, AwareDatetime]
    window: date | None = None
    window_due: AwareDatetime | None = None
    member: str | None = None
    rules: ApplicationRules


class ApplicationInput(WorkflowInput):
    start: StartApplication
    # set when the workflow continues as new: the record so far
    resume: ApplicationRecord | None = None


class ActionCommand(Frozen):
    """An action on an application: who (resolved from the registry) and when."""

    actor: Actor
    at: AwareDatetime


class RequestInformationCommand(ActionCommand):
    question: Reason
    respond_within_days: PositiveInt | None = None


class ProvideInformationCommand(ActionCommand):
    answer: Reason


class StartReviewCommand(ActionCommand):
    reviewers: tuple[str, ...]


class RecommendCommand(ActionCommand):
    recommendation: Recommendation
    comment: Note = ""


class ObjectCommand(ActionCommand):
    reason: Reason


class PlenaryDecisionCommand(ActionCommand):
    decision: PlenaryDecision
    note: Note = ""
    plenary: str | None = None


class WithdrawCommand(ActionCommand):
    note: Note = ""


class PlanDeadline(Frozen):
    kind: DeadlineKind
    at: AwareDatetime
    days: PositiveInt
    timezone: str
    number: int = 1


class MemberChangeRequest(Frozen):
    kind: MemberChangeKind
    decision: str
    organisation: str
    pillar: Pillar
    country: str
    member: str | None = None


class ApplicationStep(Frozen):
    """Everything one step writes, in one transaction."""

    record: ApplicationRecord
    audit: AuditEntry
    calendar: list[CalendarItem] = []
    member_change: MemberChangeRequest | None = None
    at: AwareDatetime


class ProposalAnnouncement(Frozen):
    """Every Full member is told of a proposed admission: one activity pages through them."""

    record: ApplicationRecord
    at: AwareDatetime


class StepResult(Frozen):
    member: str | None = None


class PlanEngaged(Frozen):
    member: str
    admitted_at: AwareDatetime
    # when the member joined earlier than it was recorded (a registry entry for an existing member)
    admitted_on: date | None = None


class EngagedInput(WorkflowInput):
    record: EngagedRecord
    started_at: AwareDatetime
    application_rules: ApplicationRules
    engaged_rules: EngagedPeriod
    resumed: bool = False


class ApplicationDecided(Frozen):
    """Sent by a Full-membership application to its member's Engaged period when it ends."""

    application: str
    state: ApplicationState
    at: AwareDatetime


class EvidenceCommand(ActionCommand):
    kind: EvidenceKind
    note: Note = ""


class RequestFullCommand(ActionCommand):
    contact_email: str
    country: str
    statement: Annotated[str, Field(min_length=1, max_length=20000)]
    marks: tuple[AwareDatetime, AwareDatetime]


class ExtendCommand(ActionCommand):
    until: date
    until_due: AwareDatetime
    reason: Reason
    # the reminders before the new deadline (computed where local days are known)
    checkpoints: tuple[Checkpoint, ...] = ()


class EngagedStep(Frozen):
    record: EngagedRecord
    audit: AuditEntry
    calendar: list[CalendarItem] = []


def engaged_input(
    member: str,
    name: str,
    pillar: Pillar,
    admitted_on: date,
    started_at: datetime,
    rulebook: Rulebook,
) -> EngagedInput:
    """Everything an Engaged period's workflow needs, under `rulebook`."""
    record = engaged_period.new_record(
        member,
        name,
        pillar,
        admitted_on,
        rulebook.engaged_period,
        rulebook.initiative.timezone,
        tracking_since=started_at,
    )
    return EngagedInput(
        record=record,
        started_at=started_at,
        application_rules=ApplicationRules.of(rulebook),
        engaged_rules=rulebook.engaged_period,
    )
