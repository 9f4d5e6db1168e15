"""Participant concerns, as the API, the CLI and rehearsals drive and read them.

Each step is decided by the pure rules and written with its audit entry, calendar entries and
notices in one transaction; then the case's workflow is told (started if none runs), and it
delivers the notices and keeps the case's time. A refused step writes nothing. A step sent
with an idempotency key keeps a receipt in its transaction (service.receipts): sent again after
Temporal was lost between the write and the signal, it only signals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from governance.application_model import Actor
from governance.concern_access import ConcernView, may_see, view
from governance.concern_contracts import (
    CONCERN_CHANGED,
    CONCERN_WORKFLOW,
    ConcernCommand,
    ConcernInput,
    FileConcern,
    RecommendOnConcern,
    concern_workflow_id,
)
from governance.concern_model import ConcernRecord, ConcernRules
from governance.concern_process import NextPlenary, publish, transition_for
from governance.concern_timeline import pending_events
from governance.errors import Conflict, InvalidInput, NotFound, Problem
from governance.rulebook import Rulebook
from governance.timekeeping import local_date, start_of_day
from persistence import concern_repo, registry_repo
from persistence.db import Database
from service import receipts
from service.applications import actor_for
from service.ids import CaseIds
from service.temporal import ServiceUnavailable, unreachable

_RECEIPTS = "concern"


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
        case = None
        with self.db.writing() as session:
            done = receipts.earlier(session, _RECEIPTS, key, command) if key else None
            if done is not None:
                stored = concern_repo.get(session, done)
                assert stored is not None, "a receipt names a stored case"
                return stored
            if isinstance(command, FileConcern):
                before = None
                if not registry_repo.member_exists(session, command.about):
                    raise InvalidInput(
                        "the concern is about no member",
                        [Problem("about", f"no member {command.about!r}")],
                    )
                case = self.case_ids.for_filing(actor.person, command.filing.id)
                # Named by the server, a case is found again only by its own filer's repeat.
                if concern_repo.get(session, case) is not None:
                    raise Conflict(
                        f"concern {case!r} already exists", [Problem("id", "is already used")]
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
            transition = transition_for(before, command, actor, at, rules, plenary, case)
            parties = concern_repo.parties(session, transition.record)
            applied = publish(before, transition, at, rules, parties)
            concern_repo.store(session, applied, before.version if before else None, at)
            if key is not None:
                receipts.keep(session, _RECEIPTS, key, command, at, applied.record.id)
        return applied.record

    def _next_plenary(self, session: Session, at: datetime) -> NextPlenary | None:
        tz = self.rulebook.initiative.timezone
        plenary_id = registry_repo.next_plenary(session, local_date(at, tz))
        if plenary_id is None:
            return None
        plenary = registry_repo.get_plenary(session, plenary_id)
        assert plenary is not None
        return NextPlenary(id=plenary.id, starts=start_of_day(plenary.starts, tz))

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
                "the workflow service was lost after the step was recorded; its notices wait",
                key,
            ) from exc
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


async def wake_concern(
    client: Client, task_queue: str, case: str, clock_offset: timedelta = timedelta(0)
) -> str:
    """Signal the case's workflow that a step was recorded, starting it if none runs."""
    workflow_id = concern_workflow_id(case)
    await client.start_workflow(
        CONCERN_WORKFLOW,
        ConcernInput(case=case, clock_offset=clock_offset),
        id=workflow_id,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        start_signal=CONCERN_CHANGED,
    )
    return workflow_id
