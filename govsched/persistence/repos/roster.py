"""The presentation ledger and the plenaries' rosters."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from governance.kernel.model import MemberStatus, Pillar
from governance.kernel.timekeeping import local_date
from governance.roster.document import RosterDocument
from governance.roster.rule import LedgerEntry, PresentationOutcome, RosterMember, StatusMark
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.tables import (
    MemberRow,
    PlenaryRow,
    PresentationRow,
    RosterPresenterRow,
    RosterRow,
)


def ledger(session: Session, before_year: int | None = None) -> list[LedgerEntry]:
    query = select(PresentationRow).order_by(PresentationRow.year, PresentationRow.member_id)
    if before_year is not None:
        query = query.where(PresentationRow.year < before_year)
    return [
        LedgerEntry(year=row.year, member=row.member_id, outcome=PresentationOutcome(row.outcome))
        for row in session.scalars(query)
    ]


def recorded_outcome(session: Session, year: int, member: str) -> PresentationOutcome | None:
    query = select(PresentationRow.outcome).where(
        PresentationRow.year == year, PresentationRow.member_id == member
    )
    outcome = session.scalar(query)
    return None if outcome is None else PresentationOutcome(outcome)


def add_entry(session: Session, entry: LedgerEntry, at: datetime, by: str, note: str = "") -> None:
    session.add(
        PresentationRow(
            year=entry.year,
            member_id=entry.member,
            outcome=entry.outcome.value,
            recorded_at=at,
            by_person=by,
            note=note,
        )
    )


def roster_members(session: Session, tz: str) -> list[RosterMember]:
    """Every member with its status history in the initiative's local dates."""
    query = select(MemberRow).options(selectinload(MemberRow.history)).order_by(MemberRow.id)
    return [
        RosterMember(
            id=row.id,
            pillar=Pillar(row.pillar),
            history=tuple(
                StatusMark(status=MemberStatus(h.status), since=local_date(h.since, tz))
                for h in row.history
            ),
        )
        for row in session.scalars(query)
    ]


def roster(session: Session, plenary_id: str) -> RosterRow | None:
    return session.get(RosterRow, plenary_id)


def announce(session: Session, plenary_id: str, year: int, seed: str, draw_on: date) -> None:
    if session.get(RosterRow, plenary_id) is None:
        session.add(
            RosterRow(
                plenary_id=plenary_id, year=year, seed=seed, draw_on=draw_on, status="announced"
            )
        )


def save_document(
    session: Session, plenary_id: str, document: RosterDocument, at: datetime
) -> None:
    row = session.get(RosterRow, plenary_id)
    if row is None:
        raise LookupError(plenary_id)
    row.status = "published"
    row.published_at = row.published_at or at
    row.document = document.model_dump(mode="json")
    session.execute(delete(RosterPresenterRow).where(RosterPresenterRow.plenary_id == plenary_id))
    session.add_all(
        RosterPresenterRow(plenary_id=plenary_id, member_id=slot.member, position=k)
        for k, slot in enumerate(document.slots)
    )


def document(session: Session, plenary_id: str) -> RosterDocument | None:
    row = session.get(RosterRow, plenary_id)
    if row is None or row.document is None:
        return None
    return RosterDocument.model_validate(row.document)


# A roster document's inputs: every member's status history and the ledger it was drawn from.
_INPUTS = ("members", "ledger")
_OUTPUTS = tuple(name for name in RosterDocument.model_fields if name not in _INPUTS)


def document_without_inputs(session: Session, plenary_id: str) -> RosterDocument | None:
    """The published document with its inputs left empty: what its notices and calendar events
    read (the slots, the deferrals, when it was drawn), never to recompute it. The other fields
    are read one by one in the database, so the inputs, most of the document at 20,000 members,
    are never loaded: whole, they made the roster's announcement the largest step of the
    `activities` worker (docs/deploy.md)."""
    fields = [RosterRow.document[name] for name in _OUTPUTS]
    row = session.execute(select(*fields).where(RosterRow.plenary_id == plenary_id)).one_or_none()
    if row is None or all(value is None for value in row):
        return None
    read = {name: value for name, value in zip(_OUTPUTS, row, strict=True) if value is not None}
    return RosterDocument.model_validate({**read, **dict.fromkeys(_INPUTS, ())})


def _drawn(session: Session, plenary_id: str) -> bool:
    """Whether the plenary's roster is published, read without its document."""
    status = session.scalar(select(RosterRow.status).where(RosterRow.plenary_id == plenary_id))
    return status == "published"


def slot_members(session: Session, plenary_id: str) -> tuple[str, ...] | None:
    """Who presents, in the slots' order (None: no roster drawn), without reading the document
    (every member's history and the ledger)."""
    if not _drawn(session, plenary_id):
        return None
    query = (
        select(RosterPresenterRow.member_id)
        .where(RosterPresenterRow.plenary_id == plenary_id)
        .order_by(RosterPresenterRow.position)
    )
    return tuple(session.scalars(query))


def presents(session: Session, plenary_id: str, member: str) -> bool | None:
    """Whether `member` is among the plenary's presenters (None: no roster drawn): two key
    lookups, whatever the roster's size. Every outcome asks this inside its write transaction,
    while the other outcomes wait for the lock."""
    if not _drawn(session, plenary_id):
        return None
    query = select(RosterPresenterRow.position).where(
        RosterPresenterRow.plenary_id == plenary_id, RosterPresenterRow.member_id == member
    )
    return session.scalar(query) is not None


def documents(session: Session) -> list[RosterDocument]:
    query = select(RosterRow).where(RosterRow.document.is_not(None)).order_by(RosterRow.year)
    return [RosterDocument.model_validate(row.document) for row in session.scalars(query)]


def plenaries_without_roster(session: Session, after: date) -> list[tuple[str, int]]:
    """Annual plenaries still ahead whose roster process has not started."""
    started = select(RosterRow.plenary_id)
    query = (
        select(PlenaryRow.id, PlenaryRow.year)
        .where(PlenaryRow.starts > after, PlenaryRow.kind == "annual")
        .where(PlenaryRow.id.not_in(started))
        .order_by(PlenaryRow.starts)
    )
    return [(row.id, row.year) for row in session.execute(query)]


def scheduled_instants(session: Session, plenary_ids: list[str]) -> dict[str, datetime]:
    """When each plenary was scheduled: the instant of its `plenary.scheduled` audit entry."""
    return audit_repo.recorded_at(session, "plenary.scheduled", "plenary", plenary_ids)
