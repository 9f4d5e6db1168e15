"""The concern workflow's one store activity: run the timed events that fell due, and hand back
the notices still to deliver and when to wake next.

Due events are applied here, not in the workflow, because deadlines are local days (the time
zone database) and every step must land with its audit entry in one transaction. A retry finds
the events already done (their keys are in the record) and changes nothing more.
"""

from __future__ import annotations

from temporalio import activity

from governance.concerns.contracts import ConcernStatus, ConcernStatusRequest
from governance.concerns.model import ConcernRules
from governance.concerns.process import run_due
from governance.concerns.timeline import next_event
from governance.rulebook.model import Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import concerns as concern_repo


class ConcernActivities:
    def __init__(self, db: Database, rulebook: Rulebook) -> None:
        self._db = db
        self._rulebook = rulebook

    @activity.defn(name="concern-status")
    def status(self, request: ConcernStatusRequest) -> ConcernStatus:
        with self._db.writing() as session:
            record = concern_repo.get(session, request.case)
            if record is None:
                # the service writes the case before it starts the workflow, so this is a case
                # removed by hand: nothing is left to do
                return ConcernStatus(finished=True, delivered=request.delivered)
            rules = record.rules or ConcernRules.of(self._rulebook)
            parties = concern_repo.parties(session, record)
            applied = run_due(record, request.now, rules, parties)
            if applied is not None:
                concern_repo.store(session, applied, record.version, request.now)
                record = applied.record
        upcoming = next_event(record, rules)
        return ConcernStatus(
            notices=list(record.outbox[request.delivered :]),
            delivered=len(record.outbox),
            next_at=upcoming.at if upcoming else None,
            finished=upcoming is None and record.final,
        )
