"""Payloads of the concern process: the commands people give and what crosses into Temporal.

Additive changes only: a new field needs a default, so recorded histories keep replaying.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from governance.concerns.model import Filing, Outcome, Text
from governance.kernel.model import Frozen, Paragraphs, Slug
from governance.kernel.notices import Notification

CONCERN_WORKFLOW = "concern"
CONCERN_CHANGED = "concern_changed"
Person = Annotated[str, Field(min_length=1, max_length=80)]
Note = Annotated[Paragraphs, Field(max_length=4000)]


def concern_workflow_id(case: str) -> str:
    return f"{CONCERN_WORKFLOW}-{case}"


class FileConcern(Filing):
    """A filing and who files it; flat, as a rehearsal's `file_concern` gives it."""

    action: Literal["file_concern"] = "file_concern"
    by: Person

    @property
    def filing(self) -> Filing:
        return Filing.model_validate(self.model_dump(exclude={"action", "by"}))


class AcknowledgeConcern(Frozen):
    action: Literal["acknowledge_concern"] = "acknowledge_concern"
    case: Slug
    by: Person


class RecordDialogue(Frozen):
    action: Literal["record_dialogue"] = "record_dialogue"
    case: Slug
    by: Person
    note: Text
    held_on: date | None = None


class ExtendDialogue(Frozen):
    action: Literal["extend_dialogue"] = "extend_dialogue"
    case: Slug
    by: Person
    reason: Text


class ReferConcern(Frozen):
    action: Literal["refer_concern"] = "refer_concern"
    case: Slug
    by: Person


class RecommendOnConcern(Frozen):
    action: Literal["recommend_on_concern"] = "recommend_on_concern"
    case: Slug
    by: Person
    recommendation: Text


class DecideConcern(Frozen):
    action: Literal["decide_concern"] = "decide_concern"
    case: Slug
    by: Person
    outcome: Outcome
    note: Note = ""
    follow_ups: list[date] = []


class WithdrawConcern(Frozen):
    action: Literal["withdraw_concern"] = "withdraw_concern"
    case: Slug
    by: Person
    note: Note = ""


ConcernCommand = Annotated[
    FileConcern
    | AcknowledgeConcern
    | RecordDialogue
    | ExtendDialogue
    | ReferConcern
    | RecommendOnConcern
    | DecideConcern
    | WithdrawConcern,
    Field(discriminator="action"),
]


class ConcernInput(Frozen):
    case: str
    clock_offset: timedelta = timedelta(0)
    delivered: int = 0


class ConcernStatusRequest(Frozen):
    case: str
    now: AwareDatetime
    delivered: int = 0


class ConcernStatus(Frozen):
    notices: list[Notification] = []
    delivered: int = 0
    next_at: datetime | None = None
    finished: bool = False


# The rehearsal's concern actions, by name (see govsched/rehearsal/action_schemas.py).
CONCERN_ACTIONS: dict[str, type[Frozen]] = {
    "file_concern": FileConcern,
    "acknowledge_concern": AcknowledgeConcern,
    "record_dialogue": RecordDialogue,
    "extend_dialogue": ExtendDialogue,
    "refer_concern": ReferConcern,
    "recommend_on_concern": RecommendOnConcern,
    "decide_concern": DecideConcern,
    "withdraw_concern": WithdrawConcern,
}
