"""The append-only audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.kernel.audit import AuditEntry
from govsched.persistence.tables import AuditRow


def append(session: Session, entry: AuditEntry) -> bool:
    """Add the entry unless its key is already there (a retried step); True if added."""
    if session.scalar(select(AuditRow.id).where(AuditRow.key == entry.key)) is not None:
        return False
    session.add(
        AuditRow(
            key=entry.key,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            item_kind=entry.item_kind,
            item_id=entry.item_id,
            reason=entry.reason,
            data=entry.data,
        )
    )
    return True


def entries(
    session: Session, item_kind: str | None = None, item_id: str | None = None
) -> list[AuditEntry]:
    """Entries in the order they happened; ties by key, so the order never depends on timing."""
    query = select(AuditRow).order_by(AuditRow.at, AuditRow.key)
    if item_kind is not None:
        query = query.where(AuditRow.item_kind == item_kind)
    if item_id is not None:
        query = query.where(AuditRow.item_id == item_id)
    return [
        AuditEntry(
            key=row.key,
            at=row.at,
            actor=row.actor,
            action=row.action,
            item_kind=row.item_kind,
            item_id=row.item_id,
            reason=row.reason,
            data=row.data,
        )
        for row in session.scalars(query)
    ]


def recorded_at(
    session: Session, action: str, item_kind: str, item_ids: list[str]
) -> dict[str, datetime]:
    """When each item's `action` was first audited (the command's own instant, or the seed's),
    whichever process later asks: processes started for records take these, never their own
    start instant, so a restarted worker starts them as an undisturbed one would."""
    query = (
        select(AuditRow.item_id, AuditRow.at)
        .where(
            AuditRow.action == action,
            AuditRow.item_kind == item_kind,
            AuditRow.item_id.in_(item_ids),
        )
        .order_by(AuditRow.at.desc())
    )
    # the earliest entry wins (an item has one; the order only makes that certain)
    return {row.item_id: row.at for row in session.execute(query)}
