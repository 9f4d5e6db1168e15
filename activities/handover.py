"""Activities of the Chair handover: what is due, and moving the Chair role at the handover."""

from __future__ import annotations

from temporalio import activity

from governance.kernel.notices import Notification
from governance.rulebook.model import Rulebook
from governance.year.handover.contracts import HandoverRequest, HandoverStatus
from govsched.persistence.commands import handover as commands
from govsched.persistence.db import Database


class HandoverActivities:
    def __init__(self, db: Database, rulebook: Rulebook) -> None:
        self._db = db
        self._rulebook = rulebook

    @activity.defn(name="handover-status")
    def status(self, request: HandoverRequest) -> HandoverStatus:
        """The handover's notices due at `now` and not yet sent, and what comes next; finished
        when there is no handover, no plenary, or the Chair has moved. A stalled handover also
        holds the outgoing Chair's term over (once; a retry finds it done), in a write of its
        own: the look itself stays a read, as it runs at every step of every handover."""
        with self._db.reading() as session:
            found = commands.status(session, request, self._rulebook)
            stalled = commands.stalled(session, request)
        if stalled:
            with self._db.writing() as session:
                commands.hold_over(session, request, self._rulebook)
        return found

    @activity.defn(name="hand-over-chair")
    def hand_over(self, request: HandoverRequest) -> list[Notification]:
        """Move the Chair: terms, the role on people, the next handover's outgoing Chair.

        Done once: a retry after the move committed returns the notices recorded with it; a
        handover not ready (nobody designated, or before its instant) moves nothing.
        """
        with self._db.writing() as session:
            return commands.hand_over_chair(session, request, self._rulebook)
