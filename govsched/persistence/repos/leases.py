"""Leases: one holder of a named duty at a time, for as long as it keeps renewing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from govsched.persistence.tables import SchedulerLeaseRow


def acquire(session: Session, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease; True if `holder` holds it until `now + ttl`.

    One conditional UPDATE decides between contenders (the database serialises it), so two
    processes can never both believe they hold a live lease.
    """
    renewed = session.execute(
        update(SchedulerLeaseRow)
        .where(
            SchedulerLeaseRow.name == name,
            (SchedulerLeaseRow.holder == holder) | (SchedulerLeaseRow.expires_at <= now),
        )
        .values(holder=holder, expires_at=now + ttl)
    )
    if renewed.rowcount:  # type: ignore[attr-defined]
        return True
    if session.get(SchedulerLeaseRow, name) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(SchedulerLeaseRow(name=name, holder=holder, expires_at=now + ttl))
    except IntegrityError:
        return False  # another process created it first
    return True


def release(session: Session, name: str, holder: str) -> None:
    row = session.get(SchedulerLeaseRow, name)
    if row is not None and row.holder == holder:
        session.delete(row)


def holder(session: Session, name: str, now: datetime) -> str | None:
    row = session.get(SchedulerLeaseRow, name)
    return row.holder if row is not None and row.expires_at > now else None
