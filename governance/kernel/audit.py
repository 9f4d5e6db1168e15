"""The audit log's entries: who did what, when, to which item, and why.

Each entry carries a key derived from the step that wrote it, so a retried activity finds its
entry already there instead of writing a second one.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from governance.kernel.model import Frozen

SYSTEM_ACTOR = "system"


class AuditEntry(Frozen):
    key: Annotated[str, Field(min_length=1, max_length=300)]
    at: AwareDatetime
    actor: Annotated[str, Field(min_length=1, max_length=80)]
    action: Annotated[str, Field(pattern=r"^[a-z_.]{1,80}$")]
    item_kind: Annotated[str, Field(min_length=1, max_length=40)]
    item_id: Annotated[str, Field(min_length=1, max_length=200)]
    reason: Annotated[str, Field(max_length=2000)] = ""
    data: dict[str, Any] = {}
