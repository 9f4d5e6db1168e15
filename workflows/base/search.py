"""Search attributes: what the Temporal UI can list workflows by.

`GovschedYear` is the year of a process that belongs to one (the governance year, a Chair
handover, a reporting cycle, a verification roster); `GovschedApplicationState` is an
application's state, kept current as it moves. A cluster must have them registered before a
worker runs (`worker.register_search_attributes` does it where the cluster allows, and the
embedded dev server starts with them); an upsert of an unregistered attribute fails the
workflow task.

Upserting is a command, so runs that started before these existed replay without it: every
upsert goes through `show`, behind the SHOWN_IN_SEARCH patch.
"""

from __future__ import annotations

from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeKey, SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from workflows.base.patches import SHOWN_IN_SEARCH

YEAR = SearchAttributeKey.for_int("GovschedYear")
APPLICATION_STATE = SearchAttributeKey.for_keyword("GovschedApplicationState")
SEARCH_ATTRIBUTES: tuple[SearchAttributeKey[int] | SearchAttributeKey[str], ...] = (
    YEAR,
    APPLICATION_STATE,
)


def show(*updates: SearchAttributeUpdate[Any]) -> None:
    """Upsert the attributes, in runs started since SHOWN_IN_SEARCH."""
    if workflow.patched(SHOWN_IN_SEARCH):
        workflow.upsert_search_attributes(list(updates))
