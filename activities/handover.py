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
        when there is no handover, no plenary, or the Chair has moved."""
        with self._db.reading() as session:
            return commands.status(session, request, self._rulebook)

    @activity.defn(name="hand-over-chair")
    def hand_over(self, request: HandoverRequest) -> list[Notification]:
        """Move the Chair: terms, the role on people, the next handover's outgoing Chair.

        Done once: a retry after the move committed returns the notices recorded with it; a
        handover not ready (nobody designated, or before its instant) moves nothing.
        """
        with self._db.writing() as session:
            return commands.hand_over_chair(session, request, self._rulebook)
