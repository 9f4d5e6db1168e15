"""Notification preferences: the kinds a person opted out of receiving as direct messages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from governance.rulebook.model import NotificationKind
from govsched.persistence.tables import NotificationOptOutRow


def opted_out(session: Session, person_id: str) -> set[NotificationKind]:
    query = select(NotificationOptOutRow.kind).where(NotificationOptOutRow.person_id == person_id)
    return {NotificationKind(kind) for kind in session.scalars(query)}


def set_opt_outs(
    session: Session, person_id: str, kinds: Iterable[NotificationKind], at: datetime
) -> set[NotificationKind]:
    """Replace the person's opt-outs with `kinds`; returns them."""
    wanted = set(kinds)
    session.execute(
        delete(NotificationOptOutRow).where(NotificationOptOutRow.person_id == person_id)
    )
    for kind in sorted(wanted):
        session.add(NotificationOptOutRow(person_id=person_id, kind=kind.value, updated_at=at))
    session.flush()
    return wanted
