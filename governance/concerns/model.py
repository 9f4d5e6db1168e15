"""What a participant concern is: the member it is about, who filed it, its stage and its record.

A concern is a dispute-resolution case (Governance Rules, Dispute Resolution; rule 26 of the
domain brief). Records are values: every step makes a new record, which the workflow keeps and
the database mirrors. Who may read which part is `concern_access`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from governance.kernel.model import Frozen, OneLine, Paragraphs, Slug
from governance.kernel.notices import Notification
from governance.rulebook.model import Rulebook

Url = Annotated[str, Field(min_length=8, max_length=500, pattern=r"^https?://\S+$")]
Summary = Annotated[Paragraphs, Field(min_length=1, max_length=20000)]
Text = Annotated[Paragraphs, Field(min_length=1, max_length=4000)]
ThirdParty = Annotated[OneLine, Field(min_length=1, max_length=200)]
# How an anonymous filer appears to everyone but the Secretariat.
ANONYMOUS = "anonymous"
# who recorded the Steering Committee's recommendation, as the parties read it
COMMITTEE = "steering_committee"


class ConcernState(StrEnum):
    FILED = "filed"
    DIALOGUE = "dialogue"
    REVIEW = "review"
    AWAITING_DECISION = "awaiting_decision"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


FINAL_STATES = frozenset({ConcernState.DECIDED, ConcernState.WITHDRAWN})
# From these stages on, the Steering Committee takes part in the case.
REVIEW_STATES = frozenset({ConcernState.REVIEW, ConcernState.AWAITING_DECISION})


class Outcome(StrEnum):
    RESOLVED = "resolved"
    NO_FURTHER_ACTION = "no_further_action"
    REMEDIAL_PLAN = "remedial_plan"
    # Proposals only: a status change is the plenary's (or the committee's) own decision,
    # recorded through the registry, never a side effect of a concern.
    PROPOSE_INACTIVE = "propose_inactive"
    PROPOSE_EXPULSION = "propose_expulsion"


class Step(Frozen):
    """One line of a case's history."""

    state: ConcernState
    action: str
    at: AwareDatetime
    by: str
    note: str = ""
    # Taken by the filer's side (filing, withdrawing): masked with the filer when anonymous.
    filer_side: bool = False


class Meeting(Frozen):
    """A dated record of the facilitated dialogue."""

    held_on: date
    recorded_at: AwareDatetime
    by: str
    note: Text


class Decision(Frozen):
    outcome: Outcome
    note: str = ""
    at: AwareDatetime
    by: str
    early: bool = False
    plenary: str | None = None
    follow_ups: tuple[date, ...] = ()


class ConcernRules(Frozen):
    """The rulebook entries a case follows, fixed when it is filed (a later rulebook change never
    rewrites the timetable of a case in progress)."""

    timezone: str
    uid_domain: str
    steering_committee: str
    chair: str
    secretariat: str
    plenary: str
    acknowledge_days: int
    dialogue_days: int
    dialogue_extensions: int
    review_days: int

    @classmethod
    def of(cls, rulebook: Rulebook) -> ConcernRules:
        concerns, labels = rulebook.concerns, rulebook.initiative.labels
        return cls(
            timezone=rulebook.initiative.timezone,
            uid_domain=rulebook.initiative.uid_domain,
            steering_committee=labels.steering_committee,
            chair=labels.chair,
            secretariat=labels.secretariat,
            plenary=labels.plenary,
            acknowledge_days=concerns.acknowledge_days,
            dialogue_days=concerns.dialogue_days,
            dialogue_extensions=concerns.dialogue_extensions,
            review_days=concerns.steering_committee_review_days,
        )


class Filing(Frozen):
    """What the filer gives (the API's and the rehearsal's body)."""

    # The filer's own name for the case. The API makes the case's id itself (so no filer learns
    # whether an id is taken) and keeps this one as the case's `reference`; a rehearsal's
    # scenario and the operator's CLI, which may know every case, name the case with it.
    id: Slug | None = None
    about: Slug
    summary: Summary
    evidence: list[Url] = []
    on_behalf_of: ThirdParty | None = None
    anonymous: bool = False


class ConcernRecord(Frozen):
    id: Slug
    about: Slug
    filed_by: str
    # the filer's own name for the case, when the server made its id (`Filing.id`)
    reference: str | None = None
    filer_member: str | None = None
    on_behalf_of: str | None = None
    anonymous: bool = False
    summary: str
    evidence: tuple[str, ...] = ()
    filed_at: AwareDatetime
    state: ConcernState
    history: tuple[Step, ...]
    acknowledge_due: AwareDatetime
    dialogue_due: AwareDatetime | None = None
    extensions: tuple[Step, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    review_due: AwareDatetime | None = None
    recommendation: Step | None = None
    decision_target: AwareDatetime | None = None
    decision_plenary: str | None = None
    decision: Decision | None = None
    done: frozenset[str] = frozenset()
    # Every notice the case produced, in order; the workflow delivers those past its count
    # (the ledger makes a second delivery a no-op).
    outbox: tuple[Notification, ...] = ()
    # The rulebook entries in force when it was filed.
    rules: ConcernRules | None = None
    version: int = 0

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def outcome(self) -> Outcome | None:
        return self.decision.outcome if self.decision else None

    def is_filer(self, person: str) -> bool:
        return person == self.filed_by
