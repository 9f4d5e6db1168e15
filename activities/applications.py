"""Activities of the membership processes: planning deadlines, recording steps, looking people up.

Deadline planning runs here, not in the workflow, because it converts between the initiative's
local days and UTC instants: its result lands in the history, so a replay never depends on the
time-zone database of the worker that replays it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session
from temporalio import activity

from activities.notifications import NotificationActivities
from governance.applications.contracts import (
    ApplicationStep,
    EngagedInput,
    EngagedStep,
    MemberChangeRequest,
    PlanDeadline,
    PlanEngaged,
    ProposalAnnouncement,
    StepResult,
    engaged_input,
)
from governance.applications.effects import proposal_notice
from governance.applications.model import Deadline
from governance.applications.rules import MemberChangeKind
from governance.applications.timeline import deadline_after
from governance.kernel.audit import AuditEntry
from governance.kernel.model import Member, MemberStatus, Pillar, StatusChange
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from govsched.notify.port import Notifier
from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import MemberRow

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
        return deadline_after(plan.kind, plan.at, plan.days, plan.timezone, plan.number)

    @activity.defn(name="plan-engaged-period")
    def plan_engaged(self, plan: PlanEngaged) -> EngagedInput:
        """The Engaged period of a member admitted at `admitted_at`, under today's rulebook."""
        with self._db.reading() as session:
            row = session.get(MemberRow, plan.member)
            if row is None:
                raise LookupError(f"member {plan.member} is not in the registry")
            name, pillar = row.name, Pillar(row.pillar)
        admitted_on = plan.admitted_on or local_date(plan.admitted_at, self._timezone)
        return engaged_input(
            plan.member, name, pillar, admitted_on, plan.admitted_at, self._rulebook
        )

    @activity.defn(name="record-application-step")
    def record_step(self, step: ApplicationStep) -> StepResult:
        """The step's record, audit entry, calendar entries and member change, all or nothing.

        A retry of a step that committed finds its audit entry and changes nothing more.
        """
        with self._db.writing() as session:
            if not audit_repo.append(session, step.audit):
                stored = application_repo.get(session, step.record.id)
                return StepResult(member=stored.member if stored is not None else None)
            record = step.record
            member = record.member
            if step.member_change is not None:
                member = _change_member(
                    session, step.member_change, step.at, self._timezone, step.audit
                )
                record = record.model_copy(update={"member": member})
            application_repo.save(session, record)
            for item in step.calendar:
                calendar_repo.upsert(session, item, step.at)
            return StepResult(member=member)

    @activity.defn(name="record-engaged-step")
    def record_engaged_step(self, step: EngagedStep) -> None:
        with self._db.writing() as session:
            if not audit_repo.append(session, step.audit):
                return
            previous = application_repo.get_engaged(session, step.record.member)
            known = len(previous.evidence) if previous is not None else 0
            for evidence in step.record.evidence[known:]:
                application_repo.add_evidence(session, step.record.member, evidence)
            application_repo.save_engaged(session, step.record)
            for item in step.calendar:
                calendar_repo.upsert(session, item, step.audit.at)

    @activity.defn(name="full-member-focal-points")
    def full_member_focal_points(self) -> list[str]:
        """Kept for histories from before ANNOUNCE_IN_PAGES, which replay through it."""
        with self._db.reading() as session:
            return registry_repo.focal_points(session, member_status=MemberStatus.FULL)

    @activity.defn(name="announce-proposal")
    def announce_proposal(self, announcement: ProposalAnnouncement) -> int:
        """Tell every Full member's focal point of a proposed admission; returns how many.

        One activity for the whole membership, so an application's history does not grow with
        it. A retry resumes after the last page it reported, and the ledger skips anyone a
        crashed attempt had already told.
        """
        details = activity.info().heartbeat_details
        after = str(details[0]) if details else ""
        told = 0
        while True:
            with self._db.reading() as session:
                page = registry_repo.focal_points_page(session, MemberStatus.FULL, after, PAGE)
            if not page:
                return told
            for person in page:
                self._notify.deliver(proposal_notice(announcement.record, person, announcement.at))
            told += len(page)
            after = page[-1]
            activity.heartbeat(after)

    @activity.defn(name="member-focal-points")
    def member_focal_points(self, member: str) -> list[str]:
        with self._db.reading() as session:
            return registry_repo.focal_points(session, member_id=member)

    @activity.defn(name="next-plenary")
    def next_plenary(self, after: datetime) -> str | None:
        with self._db.reading() as session:
            return registry_repo.next_plenary(session, local_date(after, self._timezone))


def _change_member(
    session: Session, change: MemberChangeRequest, at: datetime, tz: str, audit: AuditEntry
) -> str:
    """Admit, make Full, or withdraw the member the step decided on; returns its id."""
    if change.kind is MemberChangeKind.ADMIT_ENGAGED:
        member_id = change.member or application_repo.new_member_id(
            session, change.organisation, change.pillar
        )
        registry_repo.save_member(
            session,
            Member(
                id=member_id,
                name=change.organisation,
                pillar=change.pillar,
                country=change.country,
                joined=local_date(at, tz),
                status=MemberStatus.ENGAGED,
                status_history=(
                    StatusChange(status=MemberStatus.ENGAGED, since=at, decision=change.decision),
                ),
            ),
        )
        action = "member.admitted"
    else:
        assert change.member is not None
        member_id = change.member
        status = (
            MemberStatus.FULL
            if change.kind is MemberChangeKind.BECOME_FULL
            else MemberStatus.WITHDRAWN
        )
        registry_repo.change_status(session, member_id, status, at, change.decision)
        action = f"member.{status.value}"
    session.flush()
    audit_repo.append(
        session,
        AuditEntry(
            key=f"{audit.key}:member",
            at=at,
            actor=audit.actor,
            action=action,
            item_kind="member",
            item_id=member_id,
            reason=change.decision,
            data={"application": audit.item_id},
        ),
    )
    return member_id
