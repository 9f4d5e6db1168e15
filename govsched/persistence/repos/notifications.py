"""The notification ledger: intent first, then the delivery receipt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from governance.kernel.messages import Message
from governance.kernel.notices import Notification
from governance.rulebook.model import NotificationKind
from govsched.persistence.tables import NotificationRow

PENDING = "pending"
SENT = "sent"
FAILED = "failed"
# Every recipient of a direct notice opted out of its kind: nothing was sent, by choice.
OPTED_OUT = "opted_out"


def record_intent(session: Session, notification: Notification) -> NotificationRow:
    """The ledger row for the notification's key, created as pending if new."""
    row = session.get(NotificationRow, notification.key)
    if row is not None:
        return row
    row = NotificationRow(
        key=notification.key,
        kind=notification.kind.value,
        channel=notification.channel,
        recipients=list(notification.recipients),
        text=notification.text,
        message=None
        if notification.message is None
        else notification.message.model_dump(mode="json"),
        item=notification.item,
        issued_at=notification.issued_at,
        status=PENDING,
        attempts=0,
    )
    session.add(row)
    session.flush()
    return row


def mark_attempt(session: Session, key: str) -> None:
    row = session.get(NotificationRow, key)
    if row is not None:
        row.attempts += 1


def mark_sent(session: Session, key: str, delivered_at: datetime, external_ref: str | None) -> None:
    """The receipt, written by key in one statement (no read first: every notice comes here).
    A copy of the row the session holds is not refreshed (the session's pending changes are
    written first)."""
    session.execute(
        update(NotificationRow)
        .where(NotificationRow.key == key)
        .values(status=SENT, delivered_at=delivered_at, external_ref=external_ref, error=None),
        execution_options={"synchronize_session": False},
    )


def mark_failed(session: Session, key: str, error: str) -> None:
    row = session.get(NotificationRow, key)
    if row is not None:
        row.status = FAILED
        row.error = error[:4000]


def mark_opted_out(session: Session, key: str) -> None:
    row = session.get(NotificationRow, key)
    if row is not None:
        row.status = OPTED_OUT


def text_of(session: Session, key: str) -> str | None:
    row = session.get(NotificationRow, key)
    return None if row is None else row.text


def status_of(session: Session, key: str) -> str | None:
    row = session.get(NotificationRow, key)
    return None if row is None else row.status


def delivered(session: Session) -> list[Notification]:
    """Sent notifications in the order they were issued (ties by key)."""
    query = (
        select(NotificationRow)
        .where(NotificationRow.status == SENT)
        .order_by(NotificationRow.issued_at, NotificationRow.key)
    )
    return [_notification(row) for row in session.scalars(query)]


def get(session: Session, key: str) -> Notification | None:
    row = session.get(NotificationRow, key)
    return None if row is None else _notification(row)


def message_of(session: Session, key: str) -> Message | None:
    """The notice's message as stored (None for one issued before messages were kept)."""
    row = session.get(NotificationRow, key)
    return None if row is None or row.message is None else Message.model_validate(row.message)


def _notification(row: NotificationRow) -> Notification:
    return Notification(
        key=row.key,
        kind=NotificationKind(row.kind),
        channel=row.channel,
        recipients=tuple(row.recipients),
        text=row.text,
        item=row.item,
        issued_at=row.issued_at,
        message=None if row.message is None else Message.model_validate(row.message),
    )
