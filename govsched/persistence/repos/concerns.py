"""Participant concerns: the case record mirrored for reading, its steps and meeting records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from governance.concerns.effects import Parties
from governance.concerns.model import ConcernRecord, ConcernState
from governance.concerns.process import Applied
from governance.kernel.errors import Conflict, Problem
from governance.kernel.messages import say
from governance.kernel.model import Role
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import ConcernMeetingRow, ConcernRow, ConcernStepRow


def save(session: Session, record: ConcernRecord, expected_version: int | None) -> None:
    """Store the record if the stored one is still `expected_version` (None: a new case).

    Two commands on one case at once both read the same version; the second to write finds the
    version moved and is refused, rather than silently overwriting the first.
    """
    values = {
        "about_member_id": record.about,
        "filer_member_id": record.filer_member,
        "anonymous": record.anonymous,
        "state": record.state.value,
        "outcome": record.outcome.value if record.outcome else None,
        "decision_plenary": record.decision_plenary,
        "version": record.version,
        "record": record.model_dump(mode="json"),
    }
    if expected_version is None:
        if session.get(ConcernRow, record.id) is not None:
            raise Conflict(
                say("concern %(case)r already exists", case=record.id),
                [Problem("id", say("is already used"))],
            )
        session.add(ConcernRow(id=record.id, filed_at=record.filed_at, **values))
    else:
        changed = session.execute(
            update(ConcernRow)
            .where(ConcernRow.id == record.id, ConcernRow.version == expected_version)
            .values(**values)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                say("concern %(case)r changed meanwhile; try again", case=record.id),
                [Problem("case", say("was changed by someone else"))],
            )
    _add_new_lines(session, record)


def _add_new_lines(session: Session, record: ConcernRecord) -> None:
    """Steps and meetings only ever grow: add the ones not stored yet."""
    steps = set(
        session.scalars(
            select(ConcernStepRow.position).where(ConcernStepRow.concern_id == record.id)
        )
    )
    for position, step in enumerate(record.history):
        if position not in steps:
            session.add(
                ConcernStepRow(
                    concern_id=record.id,
                    position=position,
                    state=step.state.value,
                    action=step.action,
                    at=step.at,
                    by_person=step.by,
                    note=step.note,
                )
            )
    meetings = set(
        session.scalars(
            select(ConcernMeetingRow.position).where(ConcernMeetingRow.concern_id == record.id)
        )
    )
    for position, meeting in enumerate(record.meetings):
        if position not in meetings:
            session.add(
                ConcernMeetingRow(
                    concern_id=record.id,
                    position=position,
                    held_on=meeting.held_on,
                    recorded_at=meeting.recorded_at,
                    by_person=meeting.by,
                    note=meeting.note,
                )
            )


def get(session: Session, case: str) -> ConcernRecord | None:
    row = session.get(ConcernRow, case)
    return None if row is None else ConcernRecord.model_validate(row.record)


def records(
    session: Session, state: ConcernState | None = None, member: str | None = None
) -> list[ConcernRecord]:
    """Cases in filing order; `member` matches either side of a case."""
    query = select(ConcernRow).order_by(ConcernRow.filed_at, ConcernRow.id)
    if state is not None:
        query = query.where(ConcernRow.state == state.value)
    if member is not None:
        query = query.where(
            (ConcernRow.about_member_id == member) | (ConcernRow.filer_member_id == member)
        )
    return [ConcernRecord.model_validate(row.record) for row in session.scalars(query)]


def open_cases(session: Session) -> list[str]:
    final = [ConcernState.DECIDED.value, ConcernState.WITHDRAWN.value]
    query = select(ConcernRow.id).where(ConcernRow.state.not_in(final)).order_by(ConcernRow.id)
    return list(session.scalars(query))


def parties(session: Session, record: ConcernRecord) -> Parties:
    """The people of each side of the case as the registry stands, and the Chair."""
    filer = {record.filed_by}
    if record.filer_member is not None:
        filer |= set(registry_repo.focal_points(session, member_id=record.filer_member))
    return Parties(
        filer_side=tuple(sorted(filer)),
        about_side=tuple(registry_repo.focal_points(session, member_id=record.about)),
        chair=tuple(registry_repo.people_with_role(session, Role.CHAIR)),
        about_name=registry_repo.member_names(session, {record.about}).get(record.about, ""),
        plenary=(
            registry_repo.get_plenary(session, record.decision_plenary)
            if record.decision_plenary
            else None
        ),
    )


def store(session: Session, applied: Applied, expected_version: int | None, at: datetime) -> None:
    """A step with everything it publishes, in the caller's transaction."""
    save(session, applied.record, expected_version)
    for entry in applied.audit:
        audit_repo.append(session, entry)
    for item in applied.calendar:
        calendar_repo.upsert(session, item, at)
