"""The calendar-event store: one row per domain item, versioned for subscribers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from governance.kernel.calendar import CalendarItem, EventStatus, PublishedEvent, is_new_version
from governance.kernel.messages import Message
from govsched.persistence.tables import CalendarAudienceRow, CalendarEventRow


def _item(row: CalendarEventRow) -> CalendarItem:
    return CalendarItem(
        uid=row.uid,
        kind=row.kind,
        title=row.title,
        description=row.description,
        location=row.location,
        url=row.url,
        start_date=row.start_date,
        end_date=row.end_date,
        starts=row.starts,
        ends=row.ends,
        status=EventStatus(row.status),
        audiences=frozenset(a.audience for a in row.audiences),
        confidential=row.confidential,
        title_message=_message(row.title_message),
        description_message=_message(row.description_message),
    )


def _message(document: dict[str, Any] | None) -> Message | None:
    return None if document is None else Message.model_validate(document)


def _document(message: Message | None) -> dict[str, Any] | None:
    return None if message is None else message.model_dump(mode="json")


def _stored(row: CalendarEventRow) -> PublishedEvent:
    return PublishedEvent(
        item=_item(row), sequence=row.sequence, created=row.created, last_modified=row.last_modified
    )


def _copy_fields(row: CalendarEventRow, item: CalendarItem) -> None:
    row.kind = item.kind
    row.title = item.title
    row.description = item.description
    row.location = item.location
    row.url = item.url
    row.start_date = item.start_date
    row.end_date = item.end_date
    row.starts = item.starts
    row.ends = item.ends
    row.status = item.status.value
    row.confidential = item.confidential
    row.title_message = _document(item.title_message)
    row.description_message = _document(item.description_message)
    row.audiences = [CalendarAudienceRow(audience=a) for a in sorted(item.audiences)]


def upsert(session: Session, item: CalendarItem, at: datetime) -> PublishedEvent:
    """Store the item; SEQUENCE goes up by one when what subscribers see has changed."""
    query = select(CalendarEventRow).options(selectinload(CalendarEventRow.audiences))
    row = session.scalar(query.where(CalendarEventRow.uid == item.uid))
    if row is None:
        row = CalendarEventRow(uid=item.uid, sequence=0, revision=0, created=at, last_modified=at)
        _copy_fields(row, item)
        session.add(row)
        session.flush()
        return _stored(row)
    old = _item(row)
    if old == item:
        return _stored(row)
    if is_new_version(old, item):
        row.sequence += 1
    row.revision += 1
    row.last_modified = max(at, row.last_modified)
    _copy_fields(row, item)
    session.flush()
    return _stored(row)


def get(session: Session, uid: str) -> PublishedEvent | None:
    query = select(CalendarEventRow).options(selectinload(CalendarEventRow.audiences))
    row = session.scalar(query.where(CalendarEventRow.uid == uid))
    return None if row is None else _stored(row)


def visible_events(session: Session, audiences: frozenset[str]) -> list[PublishedEvent]:
    """Events any of `audiences` may see, ordered by UID so a feed's bytes are stable.

    Confidential events never carry the public audience (CalendarItem refuses it), so matching
    on audiences alone keeps them out of every feed not entitled to them.
    """
    matching = select(CalendarAudienceRow.event_uid).where(
        CalendarAudienceRow.audience.in_(sorted(audiences))
    )
    query = (
        select(CalendarEventRow)
        .options(selectinload(CalendarEventRow.audiences))
        .where(CalendarEventRow.uid.in_(matching))
        .order_by(CalendarEventRow.uid)
    )
    return [_stored(row) for row in session.scalars(query)]


def version(session: Session) -> tuple[int, int]:
    """Changes whenever any event is added or changed, in any order: a cheap feed-cache key."""
    count, revisions = session.execute(
        select(
            func.count(CalendarEventRow.uid), func.coalesce(func.sum(CalendarEventRow.revision), 0)
        )
    ).one()
    return int(count), int(revisions)
