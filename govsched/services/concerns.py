"""Participant concerns, as the API, the CLI and rehearsals drive and read them.

Each step is decided by the pure rules and written with its audit entry, calendar entries and
notices in one transaction; then the case's workflow is told (started if none runs), and it
delivers the notices and keeps the case's time. A refused step writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session
from temporalio.client import Client

from governance.concerns.access import ConcernView, may_see, view
from governance.concerns.contracts import (
    ConcernCommand,
    FileConcern,
    RecommendOnConcern,
)
from governance.concerns.model import ConcernRecord, ConcernRules
from governance.concerns.process import NextPlenary, publish, transition_for
from governance.concerns.timeline import pending_events
from governance.kernel.actor import Actor
from governance.kernel.errors import Conflict, InvalidInput, NotFound, Problem
from governance.kernel.timekeeping import local_date, start_of_day
from governance.rulebook.model import Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import concerns as concern_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.applications import actor_for
from govsched.temporal.starters import wake_concern


@dataclass
class ConcernService:
    client: Client
    db: Database
    rulebook: Rulebook
    task_queue: str
    clock_offset: timedelta = timedelta(0)

    def record(self, command: ConcernCommand, at: datetime) -> ConcernRecord:
        """Apply the command in one write transaction (no workflow involved)."""
        actor = actor_for(self.db, command.by)
        with self.db.writing() as session:
            if isinstance(command, FileConcern):
                before = None
                if not registry_repo.member_exists(session, command.about):
                    raise InvalidInput(
                        "the concern is about no member",
                        [Problem("about", f"no member {command.about!r}")],
                    )
                if concern_repo.get(session, command.filing.id) is not None:
                    raise Conflict(
                        f"concern {command.filing.id!r} already exists",
                        [Problem("id", "is already used")],
                    )
                rules = ConcernRules.of(self.rulebook)
            else:
                before = concern_repo.get(session, command.case)
                if before is None or not may_see(before, actor):
                    raise NotFound("concern", command.case)
                rules = before.rules or ConcernRules.of(self.rulebook)
            plenary = None
            if isinstance(command, RecommendOnConcern):
                plenary = self._next_plenary(session, at)
            transition = transition_for(before, command, actor, at, rules, plenary)
            parties = concern_repo.parties(session, transition.record)
            applied = publish(before, transition, at, rules, parties)
            concern_repo.store(session, applied, before.version if before else None, at)
        return applied.record

    def _next_plenary(self, session: Session, at: datetime) -> NextPlenary | None:
        tz = self.rulebook.initiative.timezone
        plenary_id = registry_repo.next_plenary(session, local_date(at, tz))
        if plenary_id is None:
            return None
        plenary = registry_repo.get_plenary(session, plenary_id)
        assert plenary is not None
        return NextPlenary(id=plenary.id, starts=start_of_day(plenary.starts, tz))

    async def perform(self, command: ConcernCommand, at: datetime) -> ConcernRecord:
        record = self.record(command, at)
        await wake_concern(self.client, self.task_queue, record.id, self.clock_offset)
        return record

    def actor(self, person: str) -> Actor:
        return actor_for(self.db, person)

    def read(self, case: str, viewer: Actor) -> ConcernView:
        """The case as `viewer` may read it; a case they may not know of does not exist."""
        with self.db.reading() as session:
            record = concern_repo.get(session, case)
        if record is None or not may_see(record, viewer):
            raise NotFound("concern", case)
        return view(record, viewer)

    def list(self, viewer: Actor) -> list[ConcernView]:
        with self.db.reading() as session:
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
