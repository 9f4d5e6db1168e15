"""In-country Implementation Groups: groups, their meetings and attendance, as documents the
governance models validate again when read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.groups.attendance import Attendance
from governance.groups.meetings import Meeting
from governance.groups.model import Group
from governance.groups.nominations import Nomination
from govsched.persistence import locks
from govsched.persistence.tables import (
    GroupAttendanceRow,
    GroupMeetingRow,
    GroupNominationRow,
    GroupRow,
)


def lock(session: Session, group_id: str) -> None:
    """Hold the group and everything of it (its registry entry, meetings, attendance,
    nominations, plans and funding requests) until this write transaction ends: each change
    reads a document and writes it whole, so two at once must not both read the same one
    (`govsched.persistence.locks`)."""
    locks.hold(session, "icig-group", group_id)


def get_group(session: Session, group_id: str) -> Group | None:
    row = session.get(GroupRow, group_id)
    return None if row is None else Group.model_validate(row.document)


def groups(session: Session) -> list[Group]:
    rows = session.scalars(select(GroupRow).order_by(GroupRow.id))
    return [Group.model_validate(r.document) for r in rows]


def save_group(session: Session, group: Group) -> None:
    row = session.get(GroupRow, group.id)
    document = group.model_dump(mode="json")
    if row is None:
        session.add(GroupRow(id=group.id, status=group.status.value, document=document))
    else:
        row.status = group.status.value
        row.document = document
    session.flush()


def group_of_meeting(session: Session, meeting_id: str) -> str | None:
    """The group a meeting belongs to (it never changes), read without loading the meeting."""
    return session.scalar(select(GroupMeetingRow.group_id).where(GroupMeetingRow.id == meeting_id))


def get_meeting(session: Session, meeting_id: str) -> Meeting | None:
    row = session.get(GroupMeetingRow, meeting_id)
    return None if row is None else Meeting.model_validate(row.document)


def meetings(session: Session, group_id: str | None = None) -> list[Meeting]:
    query = select(GroupMeetingRow).order_by(GroupMeetingRow.id)
    if group_id is not None:
        query = query.where(GroupMeetingRow.group_id == group_id)
    return [Meeting.model_validate(r.document) for r in session.scalars(query)]


def save_meeting(session: Session, meeting: Meeting) -> None:
    row = session.get(GroupMeetingRow, meeting.id)
    document = meeting.model_dump(mode="json")
    if row is None:
        session.add(GroupMeetingRow(id=meeting.id, group_id=meeting.group_id, document=document))
    else:
        row.document = document
    session.flush()


def occurrence_key(recurrence_id: datetime | None) -> str:
    return "" if recurrence_id is None else recurrence_id.isoformat(timespec="seconds")


def get_attendance(
    session: Session, meeting_id: str, recurrence_id: datetime | None
) -> Attendance | None:
    row = session.get(GroupAttendanceRow, (meeting_id, occurrence_key(recurrence_id)))
    return None if row is None else Attendance.model_validate(row.document)


def attendance(session: Session, meeting_id: str) -> list[Attendance]:
    query = select(GroupAttendanceRow).where(GroupAttendanceRow.meeting_id == meeting_id)
    rows = session.scalars(query.order_by(GroupAttendanceRow.occurrence))
    return [Attendance.model_validate(r.document) for r in rows]


def save_attendance(session: Session, record: Attendance) -> None:
    key = (record.meeting_id, occurrence_key(record.recurrence_id))
    row = session.get(GroupAttendanceRow, key)
    document = record.model_dump(mode="json")
    if row is None:
        session.add(GroupAttendanceRow(meeting_id=key[0], occurrence=key[1], document=document))
    else:
        row.document = document
    session.flush()


def get_nomination(session: Session, group_id: str, year: int) -> Nomination | None:
    row = session.get(GroupNominationRow, (group_id, year))
    return None if row is None else Nomination.model_validate(row.document)


def nominations(
    session: Session, year: int | None = None, group_id: str | None = None
) -> list[Nomination]:
    query = select(GroupNominationRow).order_by(
        GroupNominationRow.year, GroupNominationRow.group_id
    )
    if year is not None:
        query = query.where(GroupNominationRow.year == year)
    if group_id is not None:
        query = query.where(GroupNominationRow.group_id == group_id)
    return [Nomination.model_validate(r.document) for r in session.scalars(query)]


def save_nomination(session: Session, nomination: Nomination) -> None:
    key = (nomination.group_id, nomination.year)
    row = session.get(GroupNominationRow, key)
    document = nomination.model_dump(mode="json")
    if row is None:
        session.add(
            GroupNominationRow(
                group_id=nomination.group_id, year=nomination.year, document=document
            )
        )
    else:
        row.document = document
    session.flush()
