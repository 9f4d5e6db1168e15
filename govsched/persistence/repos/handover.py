"""Chair handovers, their checklists, and the Chair role moving from one government to the next."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.orm import Session, selectinload

from governance.kernel.model import ChairTerm, Role
from governance.rulebook.model import HandoverOwner
from governance.year.handover.rules import HandedOver, Handover, HandoverItemState
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import ChairTermRow, HandoverItemRow, HandoverRow, PersonRoleRow


def _handover(row: HandoverRow) -> Handover:
    return Handover(
        year=row.year,
        plenary_id=row.plenary_id,
        handover_at=row.handover_at,
        outgoing=row.outgoing_member,
        incoming=row.incoming_member,
        designated_at=row.designated_at,
        designated_by=row.designated_by,
        completed_at=row.completed_at,
        planned_at=row.planned_at,
        items=tuple(
            HandoverItemState(
                key=i.key,
                title=i.title,
                owner=HandoverOwner(i.owner),
                due=i.due,
                completed_at=i.completed_at,
                completed_by=i.completed_by,
            )
            for i in row.items
        ),
    )


def _query() -> Select[Any]:
    return select(HandoverRow).options(selectinload(HandoverRow.items))


def save(session: Session, handover: Handover) -> None:
    """Record a handover, or its new dates, designation, checklist progress or completion."""
    row = session.scalar(_query().where(HandoverRow.year == handover.year))
    if row is None:
        row = HandoverRow(year=handover.year)
        row.items = []
        session.add(row)
    row.plenary_id = handover.plenary_id
    row.handover_at = handover.handover_at
    row.outgoing_member = handover.outgoing
    row.incoming_member = handover.incoming
    row.designated_at = handover.designated_at
    row.designated_by = handover.designated_by
    row.completed_at = handover.completed_at
    row.planned_at = handover.planned_at
    existing = {i.key: i for i in row.items}
    for position, item in enumerate(handover.items):
        item_row = existing.get(item.key)
        if item_row is None:
            item_row = HandoverItemRow(key=item.key)
            row.items.append(item_row)
        item_row.position = position
        item_row.title = item.title
        item_row.owner = item.owner.value
        item_row.due = item.due
        item_row.completed_at = item.completed_at
        item_row.completed_by = item.completed_by


def get(session: Session, year: int) -> Handover | None:
    row = session.scalar(_query().where(HandoverRow.year == year))
    return None if row is None else _handover(row)


def next_open(session: Session) -> Handover | None:
    """The earliest handover still to happen (possibly past its instant, awaiting a Chair)."""
    query = _query().where(HandoverRow.completed_at.is_(None)).order_by(HandoverRow.year)
    row = session.scalars(query).first()
    return None if row is None else _handover(row)


def open_years(session: Session) -> list[int]:
    query = select(HandoverRow.year).where(HandoverRow.completed_at.is_(None))
    return sorted(session.scalars(query))


def all_handovers(session: Session) -> list[Handover]:
    return [_handover(r) for r in session.scalars(_query().order_by(HandoverRow.year))]


def record_handover(session: Session, done: HandedOver, incoming_people: list[str]) -> None:
    """The Chair moves: terms, the role on people, and the next handover's outgoing Chair."""
    save(session, done.handover)
    if done.closed is not None:
        _close_term(session, done.closed.member, done.opened.starts)
    registry_repo.save_chair_term(session, done.opened)
    session.execute(delete(PersonRoleRow).where(PersonRoleRow.role == Role.CHAIR.value))
    if incoming_people:
        session.execute(
            insert(PersonRoleRow),
            [{"person_id": p, "role": Role.CHAIR.value} for p in sorted(set(incoming_people))],
        )
    later = _query().where(HandoverRow.year > done.handover.year).order_by(HandoverRow.year)
    following = session.scalars(later).first()
    if following is not None and following.completed_at is None:
        following.outgoing_member = done.opened.member


def hold_over(session: Session, member: str, handover_at: datetime, until: datetime) -> None:
    """The member's term that was to end at `handover_at` (or at any time before `until`) runs
    `until` instead: its handover passed with nobody named."""
    query = (
        select(ChairTermRow)
        .where(ChairTermRow.member_id == member, ChairTermRow.starts < handover_at)
        .order_by(ChairTermRow.starts.desc())
    )
    row = session.scalars(query).first()
    # never shortened: a term recorded to end after the handover but before `until` runs on
    # too (a plenary moved earlier, a term recorded short), so the registry keeps a Chair
    if row is not None and row.ends < until:
        row.ends = until


def extend_term(session: Session, term: ChairTerm) -> None:
    """The member's term that began at `term.starts` ends at `term.ends` instead."""
    query = select(ChairTermRow).where(
        ChairTermRow.member_id == term.member, ChairTermRow.starts == term.starts
    )
    for row in session.scalars(query):
        row.ends = term.ends


def _close_term(session: Session, member: str, at: datetime) -> None:
    """End the member's latest term that began before `at` exactly at `at`."""
    query = (
        select(ChairTermRow)
        .where(ChairTermRow.member_id == member, ChairTermRow.starts < at)
        .order_by(ChairTermRow.starts.desc())
    )
    row = session.scalars(query).first()
    if row is not None:
        row.ends = at


def outgoing_term(session: Session, member: str | None, at: datetime) -> ChairTerm | None:
    if member is None:
        return None
    terms = [t for t in registry_repo.list_chair_terms(session, member) if t.starts < at]
    return max(terms, key=lambda t: t.starts) if terms else None
