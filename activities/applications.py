"""Activities of the membership processes: planning deadlines, recording steps, looking people up.

Deadline planning runs here, not in the workflow, because it converts between the initiative's
local days and UTC instants: its result lands in the history, so a replay never depends on the
time-zone database of the worker that replays it.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import activity

from activities.notifications import NotificationActivities
from governance.applications.contracts import (
    ApplicationStep,
    EngagedInput,
    EngagedStep,
    PlanDeadline,
    PlanEngaged,
    ProposalAnnouncement,
    StepResult,
)
from governance.applications.effects import proposal_notice
from governance.applications.model import Deadline
from governance.applications.timeline import deadline_after
from governance.kernel.model import Role
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from govsched.notify.port import Notifier
from govsched.persistence.commands import applications as commands
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo

# Focal points told per database page of the proposal announcement.
PAGE = 500


class ApplicationActivities:
    def __init__(self, db: Database, rulebook: Rulebook, notifier: Notifier) -> None:
        self._db = db
        self._rulebook = rulebook
        self._timezone = rulebook.initiative.timezone
        self._notify = NotificationActivities(db, notifier)

    @activity.defn(name="plan-deadline")
    def plan_deadline(self, plan: PlanDeadline) -> Deadline:
        """A deadline `days` local days after `at`, ending at the end of its day in the initiative's
        zone (here, not in the workflow: the result lands in the history). Refuses nothing."""
        return deadline_after(plan.kind, plan.at, plan.days, plan.timezone, plan.number)

    @activity.defn(name="plan-engaged-period")
    def plan_engaged(self, plan: PlanEngaged) -> EngagedInput:
        """The Engaged period of a member admitted at `admitted_at`, under today's rulebook;
        refuses (retrying) a member the registry does not hold."""
        with self._db.reading() as session:
            return commands.plan_engaged(session, plan, self._rulebook)

    @activity.defn(name="record-application-step")
    def record_step(self, step: ApplicationStep) -> StepResult:
        """The step's record, audit entry, calendar entries and member change, all or nothing.

        A retry of a step that committed finds its audit entry and changes nothing more.
        """
        with self._db.writing() as session:
            return commands.record_step(session, step, self._timezone)

    @activity.defn(name="record-engaged-step")
    def record_engaged_step(self, step: EngagedStep) -> None:
        """The Engaged period's step, all or nothing; a retry that committed changes nothing."""
        with self._db.writing() as session:
            commands.record_engaged_step(session, step)

    @activity.defn(name="full-member-focal-points")
    def full_member_focal_points(self) -> list[str]:
        """Kept for histories from before ANNOUNCE_IN_PAGES, which replay through it; the
        name is historical: voting members' focal points (observers are Full but never vote)."""
        with self._db.reading() as session:
            return registry_repo.voting_focal_points(session)

    @activity.defn(name="announce-proposal")
    def announce_proposal(self, announcement: ProposalAnnouncement) -> int:
        """Tell every voting member's focal point of a proposed admission; returns how many.

        One activity for the whole membership, so an application's history does not grow with
        it. A retry resumes after the last page it reported, and the ledger skips anyone a
        crashed attempt had already told.
        """
        details = activity.info().heartbeat_details
        after = str(details[0]) if details else ""
        told = 0
        while True:
            with self._db.reading() as session:
                page = registry_repo.voting_focal_points_page(session, after, PAGE)
            if not page:
                return told
            for person in page:
                self._notify.deliver(proposal_notice(announcement.record, person, announcement.at))
            told += len(page)
            after = page[-1]
            activity.heartbeat(after)

    @activity.defn(name="member-focal-points")
    def member_focal_points(self, member: str) -> list[str]:
        """The focal points of `member` (none for a member the registry does not hold)."""
        with self._db.reading() as session:
            return registry_repo.focal_points(session, member_id=member)

    @activity.defn(name="sitting-reviewers")
    def sitting_reviewers(self, people: list[str]) -> list[str]:
        """Those of `people` on the Steering Committee now (the role goes when a member stops
        voting: govsched.persistence.repos.registry)."""
        with self._db.reading() as session:
            sitting = set(registry_repo.people_with_role(session, Role.STEERING_COMMITTEE))
        return [p for p in people if p in sitting]

    @activity.defn(name="next-plenary")
    def next_plenary(self, after: datetime) -> str | None:
        """The id of the first plenary on or after the local day of `after`, if one is scheduled."""
        with self._db.reading() as session:
            return registry_repo.next_plenary(session, local_date(after, self._timezone))
