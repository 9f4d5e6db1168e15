"""The membership processes' stores: each step with its audit entry, calendar entries and member
change in one transaction.

The workflow decided the step (pure rules, in its history); here it is written, all or nothing.
A retry of a step that committed finds its audit entry and changes nothing more.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from governance.applications.contracts import (
    ApplicationStep,
    EngagedInput,
    EngagedStep,
    MemberChangeRequest,
    PlanEngaged,
    StepResult,
    engaged_input,
)
from governance.applications.rules import MemberChangeKind
from governance.kernel.audit import AuditEntry
from governance.kernel.model import Member, MemberStatus, Pillar, StatusChange
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import MemberRow


def plan_engaged(session: Session, plan: PlanEngaged, rulebook: Rulebook) -> EngagedInput:
    """The Engaged period of a member admitted at `admitted_at`, under today's rulebook."""
    row = session.get(MemberRow, plan.member)
    if row is None:
        raise LookupError(f"member {plan.member} is not in the registry")
    name, pillar = row.name, Pillar(row.pillar)
    admitted_on = plan.admitted_on or local_date(plan.admitted_at, rulebook.initiative.timezone)
    return engaged_input(plan.member, name, pillar, admitted_on, plan.admitted_at, rulebook)


def record_step(session: Session, step: ApplicationStep, tz: str) -> StepResult:
    """The step's record, audit entry, calendar entries and member change."""
    if not audit_repo.append(session, step.audit):
        stored = application_repo.get(session, step.record.id)
        return StepResult(member=stored.member if stored is not None else None)
    record = step.record
    member = record.member
    if step.member_change is not None:
        member = _change_member(session, step.member_change, step.at, tz, step.audit)
        record = record.model_copy(update={"member": member})
    application_repo.save(session, record)
    for item in step.calendar:
        calendar_repo.upsert(session, item, step.at)
    return StepResult(member=member)


def record_engaged_step(session: Session, step: EngagedStep) -> None:
    """The Engaged period's record, its new evidence, calendar entries and audit entry."""
    if not audit_repo.append(session, step.audit):
        return
    previous = application_repo.get_engaged(session, step.record.member)
    known = len(previous.evidence) if previous is not None else 0
    for evidence in step.record.evidence[known:]:
        application_repo.add_evidence(session, step.record.member, evidence)
    application_repo.save_engaged(session, step.record)
    for item in step.calendar:
        calendar_repo.upsert(session, item, step.audit.at)


def _change_member(
    session: Session, change: MemberChangeRequest, at: datetime, tz: str, audit: AuditEntry
) -> str:
    """Admit, make Full, or withdraw the member the step decided on; returns its id."""
    if change.kind in (MemberChangeKind.ADMIT_ENGAGED, MemberChangeKind.ADMIT_OBSERVER):
        member_id = change.member or application_repo.new_member_id(
            session, change.organisation, change.pillar
        )
        admitted = (
            MemberStatus.ENGAGED
            if change.kind is MemberChangeKind.ADMIT_ENGAGED
            else MemberStatus.FULL
        )
        registry_repo.save_member(
            session,
            Member(
                id=member_id,
                name=change.organisation,
                pillar=change.pillar,
                country=change.country,
                joined=local_date(at, tz),
                status=admitted,
                status_history=(StatusChange(status=admitted, since=at, decision=change.decision),),
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
        registry_repo.change_status(
            session, member_id, status, at, change.decision, local_date(at, tz)
        )
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
