"""What an application is: its applicant, its state, its deadlines and everything recorded on it.

Two kinds share one process: an organisation applying to join (it starts Engaged), and an Engaged
member asking to become Full. Records are values: every change makes a new record, which the
workflow keeps and the database mirrors.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from governance.kernel.actor import Actor
from governance.kernel.languages import Language
from governance.kernel.model import Email, Frozen, OneLine, Paragraphs, Pillar, Slug
from governance.rulebook.model import Recommendation, Rulebook

Url = Annotated[str, Field(min_length=8, max_length=500, pattern=r"^https?://\S+$")]
Statement = Annotated[Paragraphs, Field(min_length=1, max_length=20000)]
Note = Annotated[Paragraphs, Field(max_length=4000)]
Reason = Annotated[Paragraphs, Field(min_length=1, max_length=4000)]


class ApplicationKind(StrEnum):
    ADMISSION = "admission"
    FULL_MEMBERSHIP = "full_membership"


class ApplicationState(StrEnum):
    AWAITING_CHECK = "awaiting_completeness_check"
    INFORMATION_REQUESTED = "information_requested"
    COMPLETE = "complete"
    UNDER_REVIEW = "under_review"
    NO_OBJECTION_PERIOD = "no_objection_period"
    AWAITING_PLENARY = "awaiting_plenary"
    PROVISIONALLY_ADMITTED = "provisionally_admitted"
    ADMITTED = "admitted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"


FINAL_STATES = frozenset(
    {
        ApplicationState.ADMITTED,
        ApplicationState.REJECTED,
        ApplicationState.WITHDRAWN,
        ApplicationState.LAPSED,
    }
)


class PlenaryDecision(StrEnum):
    ADMIT = "admit"
    REJECT = "reject"


class DeadlineKind(StrEnum):
    INFORMATION = "information"
    REVIEW = "review"
    NO_OBJECTION = "no_objection"


class Applicant(Frozen):
    organisation: Annotated[OneLine, Field(min_length=1, max_length=200)]
    pillar: Pillar
    country: Annotated[OneLine, Field(min_length=1, max_length=80)]
    contact_email: Email
    statement: Statement
    documents: list[Url] = []
    # The language the applicant reads its notices in: the public form's, as its reader read it;
    # None (recorded by the Secretariat, or before languages) reads the initiative's.
    language: Language | None = None


APPLICANT = Actor(person="applicant")


class Step(Frozen):
    """One line of an application's history."""

    state: ApplicationState
    at: AwareDatetime
    by: str
    note: str = ""


class Deadline(Frozen):
    kind: DeadlineKind
    due_date: date
    due: AwareDatetime
    set_at: AwareDatetime
    number: int = 1


class InformationRequest(Frozen):
    question: Reason
    asked_at: AwareDatetime
    asked_by: str
    due_date: date
    answer: Note | None = None
    answered_at: AwareDatetime | None = None


class RecordedRecommendation(Frozen):
    person: str
    recommendation: Recommendation
    comment: str = ""
    at: AwareDatetime
    silent: bool = False


class Objection(Frozen):
    person: str
    member: str
    reason: str
    at: AwareDatetime


class ApplicationRules(Frozen):
    """The rulebook entries an application follows: fixed when it is submitted, so a change to
    the rulebook never rewrites the timetable of an application already in progress."""

    timezone: str
    uid_domain: str
    initiative: str
    steering_committee: str
    plenary: str
    information_response_days: int
    information_reminder_days_before: tuple[int, ...]
    review_days: int
    review_reminder_days_before: tuple[int, ...]
    silence_counts_as: Recommendation
    no_objection_days: int
    escalation_every_days: int = 30

    @classmethod
    def of(cls, rulebook: Rulebook) -> ApplicationRules:
        apps, labels = rulebook.applications, rulebook.initiative.labels
        return cls(
            timezone=rulebook.initiative.timezone,
            uid_domain=rulebook.initiative.uid_domain,
            initiative=rulebook.initiative.short_name,
            steering_committee=labels.steering_committee,
            plenary=labels.plenary,
            information_response_days=apps.information_response_days,
            information_reminder_days_before=tuple(apps.information_reminder_days_before),
            review_days=apps.review_days,
            review_reminder_days_before=tuple(apps.review_reminder_days_before),
            silence_counts_as=apps.silence_counts_as,
            no_objection_days=apps.no_objection_days,
        )


class ApplicationRecord(Frozen):
    id: Slug
    kind: ApplicationKind
    applicant: Applicant
    member: Slug | None = None
    window: date | None = None
    submitted_at: AwareDatetime
    submitted_by: str
    state: ApplicationState
    decided_at: AwareDatetime | None = None
    history: tuple[Step, ...]
    deadline: Deadline | None = None
    window_due: AwareDatetime | None = None
    decision_warning_at: AwareDatetime
    decision_target_at: AwareDatetime
    information_requests: tuple[InformationRequest, ...] = ()
    reviewers: tuple[str, ...] = ()
    recommendations: tuple[RecordedRecommendation, ...] = ()
    objections: tuple[Objection, ...] = ()
    ratification_plenary: str | None = None
    decided_at_plenary: str | None = None
    done: frozenset[str] = frozenset()
    version: int = 0

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def outcome(self) -> ApplicationState | None:
        return self.state if self.final else None

    def recommendation_of(self, person: str) -> RecordedRecommendation | None:
        return next((r for r in self.recommendations if r.person == person), None)

    @property
    def silent_reviewers(self) -> tuple[str, ...]:
        answered = {r.person for r in self.recommendations if not r.silent}
        return tuple(p for p in self.reviewers if p not in answered)
