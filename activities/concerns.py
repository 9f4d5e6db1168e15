"""The concern workflow's one store activity: run the timed events that fell due, and hand back
the notices still to deliver and when to wake next.

Due events are applied here, not in the workflow, because deadlines are local days (the time
zone database) and every step must land with its audit entry in one transaction. A retry finds
the events already done (their keys are in the record) and changes nothing more.
"""

from __future__ import annotations

from temporalio import activity

from governance.concerns.contracts import ConcernStatus, ConcernStatusRequest
from governance.rulebook.model import Rulebook
from govsched.persistence.commands import concerns as commands
from govsched.persistence.db import Database


class ConcernActivities:
    def __init__(self, db: Database, rulebook: Rulebook) -> None:
        self._db = db
        self._rulebook = rulebook

    @activity.defn(name="concern-status")
    def status(self, request: ConcernStatusRequest) -> ConcernStatus:
        """Run the case's timed events that fell due (escalations, the end of the dialogue, the
        follow-ups of a remedial plan); a case removed by hand is finished."""
        with self._db.writing() as session:
            return commands.run_due_events(session, request, self._rulebook)
