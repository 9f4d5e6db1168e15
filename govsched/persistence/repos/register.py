"""The register: the audit log searched, newest first, within the item kinds a reader may see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from governance.kernel.audit import AuditEntry
from govsched.persistence.tables import AuditRow


@dataclass(frozen=True)
class RegisterFilter:
    """Every part optional; `kinds` None means every kind (the Secretariat's reading)."""

    kinds: frozenset[str] | None = None
    hidden_actions: frozenset[str] = frozenset()
    item_kind: str | None = None
    item: str | None = None  # a part of the item's id
    person: str | None = None  # who acted, or the person the entry is about
    since: datetime | None = None  # inclusive
    before: datetime | None = None  # exclusive


def _escaped(text: str) -> str:
    # the search is for the text itself: LIKE's wildcards in it match only themselves
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _query(where: RegisterFilter) -> Select[AuditRow]:
    query = select(AuditRow)
    if where.kinds is not None:
        query = query.where(AuditRow.item_kind.in_(sorted(where.kinds)))
    if where.hidden_actions:
        query = query.where(AuditRow.action.not_in(sorted(where.hidden_actions)))
    if where.item_kind:
        query = query.where(AuditRow.item_kind == where.item_kind)
    if where.item:
        query = query.where(AuditRow.item_id.like(f"%{_escaped(where.item)}%", escape="\\"))
    if where.person:
        about = (AuditRow.item_kind == "person") & (AuditRow.item_id == where.person)
        query = query.where(or_(AuditRow.actor == where.person, about))
    if where.since is not None:
        query = query.where(AuditRow.at >= where.since)
    if where.before is not None:
        query = query.where(AuditRow.at < where.before)
    # newest first; ties by key, so the order never depends on timing
    return query.order_by(AuditRow.at.desc(), AuditRow.key.desc())


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        key=row.key,
        at=row.at,
        actor=row.actor,
        action=row.action,
        item_kind=row.item_kind,
        item_id=row.item_id,
        reason=row.reason,
        data=row.data,
    )


def search(session: Session, where: RegisterFilter, limit: int) -> tuple[list[AuditEntry], bool]:
    """Up to `limit` entries, and whether there were more."""
    rows = list(session.scalars(_query(where).limit(limit + 1)))
    return [_entry(row) for row in rows[:limit]], len(rows) > limit


def each(session: Session, where: RegisterFilter) -> Iterator[AuditEntry]:
    """Every matching entry (the CSV export), read in batches."""
    for row in session.scalars(_query(where).execution_options(yield_per=500)):
        yield _entry(row)


def item_kinds(session: Session, kinds: frozenset[str] | None) -> list[str]:
    """The kinds of item the log holds, among those the reader may see."""
    query = select(AuditRow.item_kind).distinct().order_by(AuditRow.item_kind)
    if kinds is not None:
        query = query.where(AuditRow.item_kind.in_(sorted(kinds)))
    return list(session.scalars(query))
