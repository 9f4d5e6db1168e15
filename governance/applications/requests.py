"""Requests on applications and Engaged periods, as a scenario or a CLI user states them.

`by` names the person acting; the service layer looks up their roles when the request arrives.
The API takes the same fields in its bodies, with the application from the path and `by` from
the token.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import Field

from governance.applications.model import Note, PlenaryDecision, Reason, Statement, Url
from governance.kernel.languages import Language
from governance.kernel.model import Email, Frozen, OneLine, Pillar, Slug
from governance.rulebook.model import EvidenceKind, Recommendation

Organisation = Annotated[OneLine, Field(min_length=1, max_length=200)]
Country = Annotated[OneLine, Field(min_length=1, max_length=80)]


class SubmitApplication(Frozen):
    action: Literal["submit_application"] = "submit_application"
    id: Slug | None = None
    organisation: Organisation
    pillar: Pillar
    country: Country
    contact_email: Email
    statement: Statement
    documents: list[Url] = []
    # the language the applicant is written to in (the initiative's when absent)
    language: Language | None = None


class MarkComplete(Frozen):
    action: Literal["mark_complete"] = "mark_complete"
    application: Slug
    by: Slug


# The days an applicant may be given to answer a question. A number past the calendar's end
# once wedged the application: its deadline could not be planned, and the activity planning it
# was retried for ever while the workflow waited (found in the twelfth session).
ResponseDays = Annotated[int, Field(ge=1, le=366)]


class RequestInformation(Frozen):
    action: Literal["request_information"] = "request_information"
    application: Slug
    by: Slug
    question: Reason
    respond_within_days: ResponseDays | None = None


class ProvideInformation(Frozen):
    action: Literal["provide_information"] = "provide_information"
    application: Slug
    answer: Reason
    by: Slug | None = None


class StartReview(Frozen):
    action: Literal["start_review"] = "start_review"
    application: Slug
    by: Slug


class Recommend(Frozen):
    action: Literal["recommend"] = "recommend"
    application: Slug
    by: Slug
    recommendation: Recommendation
    comment: Note = ""


class Object(Frozen):
    action: Literal["object"] = "object"
    application: Slug
    by: Slug
    reason: Reason


class RecordPlenaryDecision(Frozen):
    action: Literal["record_plenary_decision"] = "record_plenary_decision"
    application: Slug
    by: Slug
    decision: PlenaryDecision
    note: Note = ""


class WithdrawApplication(Frozen):
    action: Literal["withdraw_application"] = "withdraw_application"
    application: Slug
    by: Slug
    note: Note = ""


class RecordMilestone(Frozen):
    action: Literal["record_milestone"] = "record_milestone"
    member: Slug
    kind: EvidenceKind
    by: Slug
    note: Note = ""


class RequestFullMembership(Frozen):
    action: Literal["request_full_membership"] = "request_full_membership"
    member: Slug
    by: Slug


class ExtendEngagedPeriod(Frozen):
    action: Literal["extend_engaged_period"] = "extend_engaged_period"
    member: Slug
    by: Slug
    until: date
    reason: Reason


ApplicationRequest = (
    MarkComplete
    | RequestInformation
    | ProvideInformation
    | StartReview
    | Recommend
    | Object
    | RecordPlenaryDecision
    | WithdrawApplication
)
EngagedRequest = RecordMilestone | RequestFullMembership | ExtendEngagedPeriod

# The action names of ApplicationRequest, the requests on an existing application.
PERFORMED_ACTIONS: tuple[str, ...] = tuple(
    str(cls.model_fields["action"].default) for cls in get_args(ApplicationRequest)
)

APPLICATION_ACTIONS: dict[str, type[Frozen]] = {
    "submit_application": SubmitApplication,
    "mark_complete": MarkComplete,
    "request_information": RequestInformation,
    "provide_information": ProvideInformation,
    "start_review": StartReview,
    "recommend": Recommend,
    "object": Object,
    "record_plenary_decision": RecordPlenaryDecision,
    "withdraw_application": WithdrawApplication,
    "record_milestone": RecordMilestone,
    "request_full_membership": RequestFullMembership,
    "extend_engaged_period": ExtendEngagedPeriod,
}
