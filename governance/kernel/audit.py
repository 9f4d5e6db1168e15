"""The audit log's entries: who did what, when, to which item, and why.

Each entry carries a key derived from the step that wrote it, so a retried activity finds its
entry already there instead of writing a second one.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, Field, field_validator

from governance.kernel.model import Frozen

SYSTEM_ACTOR = "system"
REASON_LENGTH = 2000


class AuditEntry(Frozen):
    key: Annotated[str, Field(min_length=1, max_length=300)]
    at: AwareDatetime
    actor: Annotated[str, Field(min_length=1, max_length=80)]
    action: Annotated[str, Field(pattern=r"^[a-z_.]{1,80}$")]
    item_kind: Annotated[str, Field(min_length=1, max_length=40)]
    item_id: Annotated[str, Field(min_length=1, max_length=200)]
    reason: Annotated[str, Field(max_length=REASON_LENGTH)] = ""
    data: dict[str, Any] = {}

    @field_validator("reason", mode="before")
    @classmethod
    def _clipped(cls, value: object) -> object:
        """A reason longer than the log keeps is cut, never refused: it is often a person's
        note, taken whole by the process it belongs to (up to 20,000 characters), and a refusal
        here came after the process had accepted it. An application froze for good on a
        4,000-character withdrawal note (found by a review): its every workflow task failed."""
        if isinstance(value, str) and len(value) > REASON_LENGTH:
            return value[: REASON_LENGTH - 1] + "…"
        return value
