"""Participant concerns, as the API, the CLI and rehearsals drive and read them.

Each step is decided by the pure rules and written with its audit entry, calendar entries and
notices in one transaction; then the case's workflow is told (started if none runs), and it
delivers the notices and keeps the case's time. A refused step writes nothing. A step sent
with an idempotency key keeps a receipt in its transaction (govsched.persistence.commands.receipts):
sent again after Temporal was lost between the write and the signal, it only signals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from temporalio.client import Client

from governance.concerns.access import ConcernView, may_see, view
from governance.concerns.contracts import (
    ConcernCommand,
)
from governance.concerns.model import ConcernRecord, ConcernRules
from governance.concerns.timeline import pending_events
from governance.kernel.actor import Actor
from governance.kernel.errors import NotFound
from governance.kernel.messages import say
from governance.rulebook.model import Rulebook
from govsched.persistence.commands import concerns as commands
from govsched.persistence.db import Database
from govsched.persistence.repos import concerns as concern_repo
from govsched.services.applications import actor_for
from govsched.services.ids import CaseIds
from govsched.temporal.client import ServiceUnavailable, unreachable
from govsched.temporal.starters import wake_concern


@dataclass
class ConcernService:
    client: Client
    db: Database
    rulebook: Rulebook
    task_queue: str
    clock_offset: timedelta = timedelta(0)
    # Who names a new case: the server (the API) or the filer (rehearsals, the CLI): ids.py.
    case_ids: CaseIds = field(kw_only=True)

    def record(
        self, command: ConcernCommand, at: datetime, key: str | None = None
    ) -> ConcernRecord:
        """Apply the command in one write transaction (no workflow involved); a command whose
        `key` was applied before is not applied again: the case as it stands comes back."""
        actor = actor_for(self.db, command.by)
        with self.db.writing() as session:
            return commands.record(
                session,
                command,
                actor,
                at,
                self.rulebook,
                name_case=self.case_ids.for_filing,
                key=key,
            )

    async def perform(
        self, command: ConcernCommand, at: datetime, key: str | None = None
    ) -> ConcernRecord:
        record = self.record(command, at, key)
        try:
            await wake_concern(self.client, self.task_queue, record.id, self.clock_offset)
        except Exception as exc:
            if not unreachable(exc):
                raise
            # recorded, its notices in the outbox; the repeat (same key) only signals, and a
            # worker that starts wakes every open case anyway
            raise ServiceUnavailable(
                say("the workflow service was lost after the step was recorded; its notices wait"),
                key,
            ) from exc
        return record

    def actor(self, person: str) -> Actor:
        return actor_for(self.db, person)

    def read(self, case: str, viewer: Actor) -> ConcernView:
        """The case as `viewer` may read it; a case they may not know of does not exist."""
        return view(case_for(self.db, case, viewer), viewer)

    def list(self, viewer: Actor) -> list[ConcernView]:
        return cases_for(self.db, viewer)


def case_for(db: Database, case: str, viewer: Actor) -> ConcernRecord:
    """The whole record, once `viewer` may know of it, for deciding which steps to offer them
    (the web); never to be shown as it is: `view` is what they may read."""
    with db.reading() as session:
        record = concern_repo.get(session, case)
    if record is None or not may_see(record, viewer):
        raise NotFound("concern", case)
    return record


def cases_for(db: Database, viewer: Actor) -> list[ConcernView]:
    """The cases `viewer` may know of, as they may read them, in filing order."""
    with db.reading() as session:
        records = concern_repo.records(session)
    return [view(r, viewer) for r in records if may_see(r, viewer)]


async def wake_open_concerns(
    client: Client, db: Database, rulebook: Rulebook, task_queue: str, clock_offset: timedelta
) -> list[str]:
    """At worker start: every case with something still to happen gets its workflow (a step
    recorded while Temporal was unreachable has its notices waiting in the outbox)."""
    with db.reading() as session:
        records = concern_repo.records(session)
    waiting = [
        r.id
        for r in records
        if not r.final or pending_events(r, r.rules or ConcernRules.of(rulebook))
    ]
    return [await wake_concern(client, task_queue, case, clock_offset) for case in waiting]
