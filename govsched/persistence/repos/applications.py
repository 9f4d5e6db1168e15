"""Applications, evidence towards Full membership, and Engaged periods."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.applications.engaged_period import EngagedRecord, Evidence
from governance.applications.model import ApplicationKind, ApplicationRecord, ApplicationState
from governance.kernel.model import Pillar
from governance.registry.changes import member_id_for
from govsched.persistence.tables import (
    ApplicationRow,
    ApplicationStepRow,
    EngagedPeriodRow,
    EvidenceRow,
    MemberRow,
)


def save(session: Session, record: ApplicationRecord) -> None:
    """Mirror the record; its history only ever grows, so steps are added, never rewritten."""
    row = session.get(ApplicationRow, record.id)
    if row is None:
        row = ApplicationRow(id=record.id, submitted_at=record.submitted_at)
        session.add(row)
    row.kind = record.kind.value
    row.member_id = record.member
    row.organisation = record.applicant.organisation
    row.pillar = record.applicant.pillar.value
    row.country = record.applicant.country
    row.state = record.state.value
    row.window_closes = record.window
    row.decided_at = record.decided_at
    row.version = record.version
    row.record = record.model_dump(mode="json")
    steps = select(ApplicationStepRow.position).where(
        ApplicationStepRow.application_id == record.id
    )
    known = set(session.scalars(steps))
    for position, step in enumerate(record.history):
        if position not in known:
            session.add(
                ApplicationStepRow(
                    application_id=record.id,
                    position=position,
                    state=step.state.value,
                    at=step.at,
                    by_person=step.by,
                    note=step.note,
                )
            )


def get(session: Session, application_id: str) -> ApplicationRecord | None:
    row = session.get(ApplicationRow, application_id)
    return None if row is None else ApplicationRecord.model_validate(row.record)


def version_of(session: Session, application_id: str) -> int | None:
    row = session.get(ApplicationRow, application_id)
    return None if row is None else row.version


def records(
    session: Session,
    state: ApplicationState | None = None,
    window: date | None = None,
    kind: ApplicationKind | None = None,
    member: str | None = None,
) -> list[ApplicationRecord]:
    query = select(ApplicationRow).order_by(ApplicationRow.submitted_at, ApplicationRow.id)
    if state is not None:
        query = query.where(ApplicationRow.state == state.value)
    if window is not None:
        query = query.where(ApplicationRow.window_closes == window)
    if kind is not None:
        query = query.where(ApplicationRow.kind == kind.value)
    if member is not None:
        query = query.where(ApplicationRow.member_id == member)
    return [ApplicationRecord.model_validate(row.record) for row in session.scalars(query)]


def new_member_id(session: Session, organisation: str, pillar: Pillar) -> str:
    taken = set(session.scalars(select(MemberRow.id)))
    return member_id_for(organisation, pillar, taken)


def add_evidence(session: Session, member: str, evidence: Evidence) -> None:
    session.add(
        EvidenceRow(
            member_id=member,
            kind=evidence.kind.value,
            at=evidence.at,
            by_person=evidence.by,
            note=evidence.note,
        )
    )


def save_engaged(session: Session, record: EngagedRecord) -> None:
    row = session.get(EngagedPeriodRow, record.member)
    if row is None:
        row = EngagedPeriodRow(member_id=record.member)
        session.add(row)
    row.due_date = record.due_date
    row.state = record.state.value
    row.version = record.version
    row.record = record.model_dump(mode="json")


def get_engaged(session: Session, member: str) -> EngagedRecord | None:
    row = session.get(EngagedPeriodRow, member)
    return None if row is None else EngagedRecord.model_validate(row.record)


def engaged_members_tracked(session: Session) -> set[str]:
    return set(session.scalars(select(EngagedPeriodRow.member_id)))
