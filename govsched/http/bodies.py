"""Request bodies the API and the web workspace both accept.

A web form posts the same body the API route takes, so a refusal names the same fields in
both; the bodies live here, beside the two, so neither imports the other.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from governance.applications.model import Note, PlenaryDecision, Url
from governance.applications.model import Reason as Statement
from governance.applications.requests import ResponseDays
from governance.feeds.scopes import PERSON_SCOPE
from governance.kernel.model import Incoming, Slug
from governance.kernel.text import ValidText
from governance.reports.cycle import ReportKind
from governance.rulebook.model import Recommendation

# Why a registry change is made, for the audit log.
Reason = Annotated[str, Field(max_length=2000, description="why, for the audit log")]
# The longest roster forecast either asks for, in years.
MAX_FORECAST_YEARS = 20

# -- applications ------------------------------------------------------------------------------


class RequestInformationBody(Incoming):
    question: Statement
    respond_within_days: ResponseDays | None = None


class ProvideInformationBody(Incoming):
    answer: Statement


class RecommendBody(Incoming):
    recommendation: Recommendation
    comment: Note = ""


class ObjectBody(Incoming):
    reason: Statement


class PlenaryDecisionBody(Incoming):
    decision: PlenaryDecision
    note: Note = ""


# -- the year: milestones and the Chair handover -----------------------------------------------


class CompleteIn(Incoming):
    reason: Reason = ""


class DesignateIn(Incoming):
    member: Slug
    reason: Reason = ""


class CompleteItemIn(Incoming):
    reason: Reason = ""


# -- the roster --------------------------------------------------------------------------------


class DeferralBody(Incoming):
    member: Slug
    reason: Statement


class DecisionBody(Incoming):
    approve: bool


# -- reports -----------------------------------------------------------------------------------


class ReportIn(Incoming):
    member: Slug
    kind: ReportKind
    url: Url
    public: bool = False
    public_on: date | None = None
    indicators: dict[str, Any] | None = Field(
        None, description="impact indicator values by key, checked against the year's set"
    )


class ReviewIn(Incoming):
    reviewer: Slug
    url: Url


# -- feeds -------------------------------------------------------------------------------------

Scope = Annotated[
    str,
    Field(
        max_length=80,
        description="person (your own feed), role:<role> for a role you hold, "
        "pillar:<pillar> for your member's pillar (the Secretariat: any pillar), or "
        "group:<group id> for an in-country group's meetings",
    ),
]


class FeedTokenIn(ValidText):
    scope: Scope = PERSON_SCOPE
