"""Registry changes a signed-in person makes, from the API or from the web workspace.

Each goes through the registry-change workflow, so it is applied once per key, audited and
announced. When no worker answers within APPLY_WAIT_SECONDS the change is reported as queued:
the workflow exists and applies it as soon as a worker runs, so nothing is lost.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from governance.kernel.messages import say
from governance.kernel.model import Frozen, Person
from governance.registry.changes import RegistryCommand
from governance.registry.contracts import RegistryChange, registry_change_workflow_id
from govsched.http.deps import checked_key
from govsched.http.errors import ServiceUnavailable
from govsched.http.state import AppState
from govsched.persistence.commands import receipts
from govsched.services import registry as registry_service
from govsched.temporal.client import unreachable

APPLY_WAIT_SECONDS = 20.0


@dataclass(frozen=True)
class Submitted:
    """What became of a change: applied (its item and summary), or queued for a worker."""

    item_kind: str
    item_id: str
    summary: str
    queued: bool = False


class _Asked(Frozen):
    """What a key names: who asked for which change, and why."""

    actor: str
    reason: str
    command: RegistryCommand


def _claim_sent(
    state: AppState, key: str | None, person: Person, reason: str, command: RegistryCommand
) -> None:
    if key is not None:
        _claim(state, checked_key(key), _Asked(actor=person.id, reason=reason, command=command))


def _claim(state: AppState, key: str, asked: _Asked) -> None:
    """The key names the change's workflow, which answers a repeat with its first outcome
    whatever was sent: a key sent again by another person, or with another change, is refused
    instead of answered with an outcome that is not theirs (as applications' keys, found by a
    review). Claimed once the workflow answered, so nothing is written while Temporal is
    lost."""
    receipts.claim_once(state.db, "registry-change", key, asked, state.settings.now())


async def submit_change(
    state: AppState, person: Person, reason: str, command: RegistryCommand, key: str | None
) -> Submitted:
    """Apply the change as `person`; a refusal is raised as its GovernanceError."""
    client = await state.temporal.client()
    change = RegistryChange(
        key=checked_key(key),
        at=state.settings.now(),
        actor=person.id,
        reason=reason,
        command=command,
    )
    try:
        outcome = await asyncio.wait_for(
            registry_service.submit(
                client, change, state.settings.task_queue, state.settings.clock_offset
            ),
            timeout=APPLY_WAIT_SECONDS,
        )
    except TimeoutError:
        _claim_sent(state, key, person, reason, command)
        return Submitted(
            item_kind="pending",
            item_id=registry_change_workflow_id(change.key),
            summary="queued: it will be applied as soon as a worker is running",
            queued=True,
        )
    except Exception as exc:
        if unreachable(exc):
            raise ServiceUnavailable(
                say("the workflow service cannot be reached"), change.key
            ) from exc
        raise
    _claim_sent(state, key, person, reason, command)
    registry_service.raise_if_refused(outcome)
    assert outcome.applied is not None
    applied = outcome.applied
    return Submitted(item_kind=applied.item_kind, item_id=applied.item_id, summary=applied.summary)
