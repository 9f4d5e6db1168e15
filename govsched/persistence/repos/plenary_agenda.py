"""The plenary agenda people keep: its items and its published versions."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from governance.year.published_agenda import (
    AgendaItem,
    AgendaVersion,
    Decision,
    DocumentLink,
    PublishedItem,
)
from govsched.persistence.tables import AgendaItemRow, AgendaVersionRow


def _item(row: AgendaItemRow) -> AgendaItem:
    return AgendaItem(
        id=row.id,
        plenary_id=row.plenary_id,
        position=row.position,
        title=row.title,
        documents=tuple(DocumentLink.model_validate(d) for d in row.documents),
        decision=None if row.decision is None else Decision.model_validate(row.decision),
    )


def items(session: Session, plenary_id: str) -> list[AgendaItem]:
    query = select(AgendaItemRow).where(AgendaItemRow.plenary_id == plenary_id)
    rows = session.scalars(query.order_by(AgendaItemRow.position, AgendaItemRow.id))
    return [_item(r) for r in rows]


def add(session: Session, plenary_id: str, title: str) -> AgendaItem:
    """A new item at the end of the agenda."""
    last = session.scalar(
        select(func.max(AgendaItemRow.position)).where(AgendaItemRow.plenary_id == plenary_id)
    )
    row = AgendaItemRow(
        plenary_id=plenary_id, position=(last or 0) + 1, title=title, documents=[], decision=None
    )
    session.add(row)
    session.flush()
    return _item(row)


def _row(session: Session, plenary_id: str, item_id: int) -> AgendaItemRow | None:
    row = session.get(AgendaItemRow, item_id)
    return row if row is not None and row.plenary_id == plenary_id else None


def save(session: Session, item: AgendaItem) -> None:
    row = _row(session, item.plenary_id, item.id)
    if row is None:
        raise LookupError(f"agenda item {item.id} of {item.plenary_id}")
    row.position = item.position
    row.title = item.title
    row.documents = [d.model_dump(mode="json") for d in item.documents]
    row.decision = None if item.decision is None else item.decision.model_dump(mode="json")


def reorder(session: Session, plenary_id: str, positions: list[tuple[int, int]]) -> None:
    for item_id, position in positions:
        row = _row(session, plenary_id, item_id)
        if row is not None:
            row.position = position


def remove(session: Session, plenary_id: str, item_id: int) -> None:
    session.execute(
        delete(AgendaItemRow).where(
            AgendaItemRow.plenary_id == plenary_id, AgendaItemRow.id == item_id
        )
    )


def _version(row: AgendaVersionRow) -> AgendaVersion:
    return AgendaVersion(
        plenary_id=row.plenary_id,
        number=row.number,
        published_at=row.published_at,
        published_by=row.published_by,
        items=tuple(PublishedItem.model_validate(i) for i in row.items),
    )


def versions(session: Session, plenary_id: str) -> list[AgendaVersion]:
    """Every published version, the first first."""
    query = select(AgendaVersionRow).where(AgendaVersionRow.plenary_id == plenary_id)
    return [_version(r) for r in session.scalars(query.order_by(AgendaVersionRow.number))]


def add_version(session: Session, version: AgendaVersion) -> None:
    session.add(
        AgendaVersionRow(
            plenary_id=version.plenary_id,
            number=version.number,
            published_at=version.published_at,
            published_by=version.published_by,
            items=[i.model_dump(mode="json") for i in version.items],
        )
    )
