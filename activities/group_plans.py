"""The group plan workflow's one store activity: run the plan's timed steps that fell due, and
hand back the notices still to deliver and when to wake next."""

from __future__ import annotations

from temporalio import activity

from governance.groups.contracts import GroupPlanStatus, GroupPlanStatusRequest
from governance.rulebook.model import Rulebook
from govsched.persistence.commands import group_plans as commands
from govsched.persistence.db import Database


class GroupPlanActivities:
    def __init__(self, db: Database, rulebook: Rulebook) -> None:
        self._db = db
        self._rulebook = rulebook

    @activity.defn(name="group-plan-status")
    def status(self, request: GroupPlanStatusRequest) -> GroupPlanStatus:
        """Remind of deliverables and use reports, tell of what is late, and close funding
        reviews whose deadline passed; a plan removed by hand is finished."""
        with self._db.writing() as session:
            return commands.run_due_events(session, request, self._rulebook)
