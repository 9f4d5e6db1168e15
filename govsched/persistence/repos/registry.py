"""Members, people, plenaries, Chair terms and Steering Committee seats."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, delete, exists, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from governance.kernel.languages import Language
from governance.kernel.model import (
    LEFT_STATUSES,
    VOTING_PILLARS,
    VOTING_STATUS,
    ChairTerm,
    Member,
    MemberStatus,
    Person,
    Pillar,
    Plenary,
    PlenaryKind,
    Role,
    StatusChange,
    SteeringCommitteeSeat,
    votes,
)
from governance.registry.changes import MemberFacts
from governance.reports.cycle import released_on_leaving
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.tables import (
    ChairTermRow,
    MemberRow,
    PersonRoleRow,
    PersonRow,
    PlenaryRow,
    SeatRow,
    StatusChangeRow,
)


def _member(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        name=row.name,
        pillar=Pillar(row.pillar),
        country=row.country,
        joined=row.joined,
        status=MemberStatus(row.status),
        status_history=tuple(
            StatusChange(status=MemberStatus(h.status), since=h.since, decision=h.decision)
            for h in row.history
        ),
        group=row.group_name,
    )


def _person(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        name=row.name,
        email=row.email,
        member=row.member_id,
        roles=frozenset(Role(r.role) for r in row.roles),
        language=Language(row.language) if row.language else None,
    )


def _plenary(row: PlenaryRow) -> Plenary:
    return Plenary(
        id=row.id,
        year=row.year,
        kind=PlenaryKind(row.kind),
        starts=row.starts,
        ends=row.ends,
        location=row.location,
        host=row.host_member_id,
    )


def is_empty(session: Session) -> bool:
    return not session.scalar(select(exists().where(MemberRow.id.is_not(None))))


def member_exists(session: Session, member_id: str) -> bool:
    return session.get(MemberRow, member_id) is not None


def member_facts(session: Session, member_id: str | None) -> MemberFacts | None:
    if member_id is None:
        return None
    row = session.get(MemberRow, member_id)
    if row is None:
        return None
    return MemberFacts(row.id, row.name, Pillar(row.pillar), MemberStatus(row.status))


def person_exists(session: Session, person_id: str) -> bool:
    return session.get(PersonRow, person_id) is not None


def email_taken_query(email: str) -> Select[tuple[bool]]:
    """Whether anyone has `email`, whatever its case (answered by `ix_people_email_lower`)."""
    return select(exists().where(func.lower(PersonRow.email) == email.lower()))


def email_taken(session: Session, email: str) -> bool:
    return bool(session.scalar(email_taken_query(email)))


def plenary_ids(session: Session, year: int) -> frozenset[str]:
    return frozenset(session.scalars(select(PlenaryRow.id).where(PlenaryRow.year == year)))


def save_member(session: Session, member: Member) -> None:
    row = MemberRow(
        id=member.id,
        name=member.name,
        pillar=member.pillar.value,
        country=member.country,
        joined=member.joined,
        status=member.status.value,
        group_name=member.group,
    )
    row.history = [
        StatusChangeRow(position=i, status=h.status.value, since=h.since, decision=h.decision)
        for i, h in enumerate(member.status_history)
    ]
    session.add(row)


def record_status_change(session: Session, member_id: str, change: StatusChange, day: date) -> None:
    """The member's new status, added at the end of its history; `day` is the change's local
    day."""
    change_status(session, member_id, change.status, change.since, change.decision, day)


def _leave_the_committee(session: Session, row: MemberRow, day: date) -> None:
    """A member that no longer votes has nobody on the Steering Committee, and none of its
    people acts as Chair: the roles go with its vote (the roles rule never gives them), or they
    would go on reading every confidential record and deciding for the initiative. (Its Chair
    term ends in the same transaction: `out_of_office`.)

    Its seats go too, or they would hold the pillar's places and refuse whoever fills them
    (seats run to the start of `ends`): the seat it holds ends on `day` and stays in the
    history; one not yet begun was never held and is let go."""
    if votes(Pillar(row.pillar), MemberStatus(row.status)):
        return
    people = select(PersonRow.id).where(PersonRow.member_id == row.id)
    session.execute(
        delete(PersonRoleRow).where(
            PersonRoleRow.person_id.in_(people),
            PersonRoleRow.role.in_([Role.STEERING_COMMITTEE.value, Role.CHAIR.value]),
        )
    )
    its_seats = SeatRow.member_id == row.id
    session.execute(
        update(SeatRow).where(its_seats, SeatRow.starts < day, SeatRow.ends > day).values(ends=day)
    )
    session.execute(delete(SeatRow).where(its_seats, SeatRow.starts >= day))


def _give_up_reviews(session: Session, row: MemberRow) -> None:
    """A member that left gives up the peer reviews it has not submitted
    (`reports.cycle.released_on_leaving`): it owes nothing any more, and each report it was to
    review waits for another reviewer, which the cycle's next look assigns as for a late
    report (its other reviews stay where they are). The Secretariat is told by the status
    change's notices, its review deadline withdrawn by its calendar items."""
    released = released_on_leaving(
        MemberStatus(row.status), report_repo.reviews_by(session, row.id)
    )
    report_repo.release_reviews(session, released)


def members_that_left(session: Session, member_ids: Iterable[str]) -> set[str]:
    """Those of `member_ids` that left the initiative (withdrawn, expelled)."""
    query = select(MemberRow.id).where(
        MemberRow.id.in_(sorted(set(member_ids))),
        MemberRow.status.in_([s.value for s in LEFT_STATUSES]),
    )
    return set(session.scalars(query))


def votes_now(session: Session, member_id: str) -> bool:
    """Whether the member votes (a member no longer recorded does not)."""
    row = session.get(MemberRow, member_id)
    return row is not None and votes(Pillar(row.pillar), MemberStatus(row.status))


def set_roles(session: Session, person: Person) -> None:
    """The person's roles, replaced by `person.roles`."""
    query = select(PersonRow).options(selectinload(PersonRow.roles))
    row = session.scalar(query.where(PersonRow.id == person.id))
    assert row is not None, person.id
    wanted = {role.value for role in person.roles}
    # kept rows stay as they are: a new row with a kept row's key would clash with it
    kept = [r for r in row.roles if r.role in wanted]
    held = {r.role for r in kept}
    row.roles = kept + [PersonRoleRow(role=role) for role in sorted(wanted - held)]


def count_with_role(session: Session, role: Role, besides: str) -> int:
    """How many people other than `besides` hold `role`."""
    query = (
        select(func.count())
        .select_from(PersonRoleRow)
        .where(PersonRoleRow.role == role.value, PersonRoleRow.person_id != besides)
    )
    return int(session.scalar(query) or 0)


def save_person(session: Session, person: Person) -> None:
    row = PersonRow(
        id=person.id,
        name=person.name,
        email=person.email.lower(),
        member_id=person.member,
        language=person.language.value if person.language else None,
    )
    wanted = {role.value for role in person.roles}
    # kept rows stay as they are: a new row with a kept row's key would clash with it
    kept = [r for r in row.roles if r.role in wanted]
    held = {r.role for r in kept}
    row.roles = kept + [PersonRoleRow(role=role) for role in sorted(wanted - held)]
    session.add(row)


def save_plenary(session: Session, plenary: Plenary) -> None:
    """Record a plenary, or its new dates and place when it moves."""
    session.merge(
        PlenaryRow(
            id=plenary.id,
            year=plenary.year,
            kind=plenary.kind.value,
            starts=plenary.starts,
            ends=plenary.ends,
            location=plenary.location,
            host_member_id=plenary.host,
        )
    )


def save_chair_term(session: Session, term: ChairTerm) -> None:
    session.add(ChairTermRow(member_id=term.member, starts=term.starts, ends=term.ends))


def save_seat(session: Session, seat: SteeringCommitteeSeat) -> None:
    session.add(
        SeatRow(
            member_id=seat.member,
            pillar=seat.pillar.value,
            starts=seat.starts,
            ends=seat.ends,
            recorded_at=seat.recorded_at,
        )
    )


def list_members(
    session: Session, pillar: Pillar | None = None, status: MemberStatus | None = None
) -> list[Member]:
    query = select(MemberRow).options(selectinload(MemberRow.history)).order_by(MemberRow.id)
    if pillar is not None:
        query = query.where(MemberRow.pillar == pillar.value)
    if status is not None:
        query = query.where(MemberRow.status == status.value)
    return [_member(row) for row in session.scalars(query)]


def _containing(text: str, *columns: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """Rows where any of `columns` contains `text`, whatever its case (LIKE's wildcards in the
    text are taken as themselves)."""
    wanted = text.lower()
    return or_(*(func.lower(c).contains(wanted, autoescape=True) for c in columns))


R = TypeVar("R")


def _page(
    session: Session,
    matching: Select[str],
    rows: Select[R],
    key: InstrumentedAttribute[str],
    offset: int,
    limit: int,
) -> tuple[list[R], int]:
    """The `rows` whose `key` is on the page (`offset`, `limit`) of the ids `matching` selects,
    in the order of `key`, and how many ids match in all."""
    total = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    page = matching.order_by(key).offset(offset).limit(limit)
    return list(session.scalars(rows.where(key.in_(page)).order_by(key))), total


def search_members(
    session: Session, text: str, offset: int, limit: int
) -> tuple[list[Member], int]:
    """A page of the members whose id, name or country contains `text` (every member when it is
    empty), by id, and how many match in all: a directory of thousands of members is read a
    page at a time."""
    matching = select(MemberRow.id)
    if text:
        wanted = _containing(text, MemberRow.id, MemberRow.name, MemberRow.country)
        matching = matching.where(wanted)
    rows = select(MemberRow).options(selectinload(MemberRow.history))
    found, total = _page(session, matching, rows, MemberRow.id, offset, limit)
    return [_member(row) for row in found], total


def search_people(session: Session, text: str, offset: int, limit: int) -> tuple[list[Person], int]:
    """A page of the people whose id, name or member's name contains `text` (everyone when it is
    empty), by id, and how many match in all."""
    matching = select(PersonRow.id).outerjoin(MemberRow, PersonRow.member_id == MemberRow.id)
    if text:
        matching = matching.where(_containing(text, PersonRow.id, PersonRow.name, MemberRow.name))
    rows = select(PersonRow).options(selectinload(PersonRow.roles))
    found, total = _page(session, matching, rows, PersonRow.id, offset, limit)
    return [_person(row) for row in found], total


def member_choices(session: Session, pillar: Pillar | None = None) -> list[tuple[str, str]]:
    """Every member's id and name (of `pillar` when given), by id: what a form offers, without
    the status histories `list_members` reads."""
    query = select(MemberRow.id, MemberRow.name).order_by(MemberRow.id)
    if pillar is not None:
        query = query.where(MemberRow.pillar == pillar.value)
    return [(member_id, name) for member_id, name in session.execute(query)]


def person_choices(session: Session) -> list[tuple[str, str, str | None]]:
    """Every person's id, name and member's name (None for the Secretariat's staff), by id."""
    query = (
        select(PersonRow.id, PersonRow.name, MemberRow.name)
        .outerjoin(MemberRow, PersonRow.member_id == MemberRow.id)
        .order_by(PersonRow.id)
    )
    return [(person_id, name, member) for person_id, name, member in session.execute(query)]


def get_member(session: Session, member_id: str) -> Member | None:
    query = select(MemberRow).options(selectinload(MemberRow.history))
    row = session.scalar(query.where(MemberRow.id == member_id))
    return None if row is None else _member(row)


def list_people(session: Session, member_id: str | None = None) -> list[Person]:
    query = select(PersonRow).options(selectinload(PersonRow.roles)).order_by(PersonRow.id)
    if member_id is not None:
        query = query.where(PersonRow.member_id == member_id)
    return [_person(row) for row in session.scalars(query)]


def get_person(session: Session, person_id: str) -> Person | None:
    query = select(PersonRow).options(selectinload(PersonRow.roles))
    row = session.scalar(query.where(PersonRow.id == person_id))
    return None if row is None else _person(row)


def list_plenaries(session: Session) -> list[Plenary]:
    query = select(PlenaryRow).order_by(PlenaryRow.starts, PlenaryRow.id)
    return [_plenary(row) for row in session.scalars(query)]


def get_plenary(session: Session, plenary_id: str) -> Plenary | None:
    row = session.get(PlenaryRow, plenary_id)
    return None if row is None else _plenary(row)


def list_chair_terms(session: Session, member_id: str | None = None) -> list[ChairTerm]:
    query = select(ChairTermRow).order_by(ChairTermRow.starts, ChairTermRow.id)
    if member_id is not None:
        query = query.where(ChairTermRow.member_id == member_id)
    return [
        ChairTerm(member=row.member_id, starts=row.starts, ends=row.ends)
        for row in session.scalars(query)
    ]


def list_seats(session: Session) -> list[SteeringCommitteeSeat]:
    query = select(SeatRow).order_by(SeatRow.pillar, SeatRow.starts, SeatRow.member_id)
    return [
        SteeringCommitteeSeat(
            member=row.member_id,
            pillar=Pillar(row.pillar),
            starts=row.starts,
            ends=row.ends,
            recorded_at=row.recorded_at,
        )
        for row in session.scalars(query)
    ]


def change_status(
    session: Session,
    member_id: str,
    status: MemberStatus,
    since: datetime,
    decision: str,
    day: date,
) -> None:
    """Move a member to `status`, keeping the change and its decision in the history; `day`
    is the local day of `since` (in the initiative's zone), on which a member that stops
    voting gives up its Steering Committee seat. A member that leaves gives up the peer reviews
    it has not submitted, in the same transaction."""
    query = select(MemberRow).options(selectinload(MemberRow.history))
    row = session.scalar(query.where(MemberRow.id == member_id))
    if row is None:
        raise LookupError(member_id)
    row.status = status.value
    row.history.append(
        StatusChangeRow(
            position=len(row.history), status=status.value, since=since, decision=decision
        )
    )
    _leave_the_committee(session, row, day)
    _give_up_reviews(session, row)


def names(session: Session, members: set[str], people: set[str]) -> dict[str, str]:
    """Members' and people's names by id, for pages that name them (ids not found are left
    out: the page shows the id)."""
    found = member_names(session, members)
    for person_id in people:
        person = get_person(session, person_id)
        if person is not None:
            found[person_id] = person.name
    return found


def member_names(session: Session, member_ids: set[str]) -> dict[str, str]:
    query = select(MemberRow.id, MemberRow.name).where(MemberRow.id.in_(sorted(member_ids)))
    return {row.id: row.name for row in session.execute(query)}


def all_member_names(session: Session) -> dict[str, str]:
    """Every member's name by id, without loading the members (their histories, their checks)."""
    return {row.id: row.name for row in session.execute(select(MemberRow.id, MemberRow.name))}


def people_names(session: Session, person_ids: set[str]) -> dict[str, str]:
    query = select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(sorted(person_ids)))
    return {row.id: row.name for row in session.execute(query)}


def all_people_names(session: Session) -> dict[str, str]:
    """Every person's name by id, without loading the people (their roles, their checks)."""
    return {row.id: row.name for row in session.execute(select(PersonRow.id, PersonRow.name))}


def people_with_role(session: Session, role: Role) -> list[str]:
    query = select(PersonRoleRow.person_id).where(PersonRoleRow.role == role.value)
    return sorted(session.scalars(query))


def focal_points(session: Session, member_id: str | None = None) -> list[str]:
    """Focal points, of one member or of every member."""
    query = (
        select(PersonRow.id)
        .join(PersonRoleRow, PersonRoleRow.person_id == PersonRow.id)
        .join(MemberRow, MemberRow.id == PersonRow.member_id)
        .where(PersonRoleRow.role == Role.FOCAL_POINT.value)
    )
    if member_id is not None:
        query = query.where(MemberRow.id == member_id)
    return sorted(session.scalars(query))


def _voting_with_role(role: Role) -> Select[str]:
    """People with `role` whose member votes: `governance.kernel.model.votes` as a query (Full,
    of a voting pillar; observers are Full while active but never vote)."""
    return (
        select(PersonRow.id)
        .join(PersonRoleRow, PersonRoleRow.person_id == PersonRow.id)
        .join(MemberRow, MemberRow.id == PersonRow.member_id)
        .where(
            PersonRoleRow.role == role.value,
            MemberRow.status == VOTING_STATUS.value,
            MemberRow.pillar.in_([p.value for p in VOTING_PILLARS]),
        )
    )


def _voting_focal_points() -> Select[str]:
    return _voting_with_role(Role.FOCAL_POINT)


def voting_people_with_role(session: Session, role: Role) -> list[str]:
    """The people with `role` whose member votes (Steering Committee reviewers: an observer's
    or an Engaged member's person who holds the role is no reviewer)."""
    return sorted(session.scalars(_voting_with_role(role)))


def voting_focal_points(session: Session) -> list[str]:
    return sorted(session.scalars(_voting_focal_points()))


def voting_focal_points_page(session: Session, after: str, limit: int) -> list[str]:
    """Up to `limit` focal points of voting members, ids after `after`, in order."""
    query = _voting_focal_points().where(PersonRow.id > after).order_by(PersonRow.id).limit(limit)
    return list(session.scalars(query))


def focal_points_by_member(session: Session, member_ids: Iterable[str]) -> dict[str, list[str]]:
    """Each member's focal points (a member without one maps to an empty list).

    The people are found by their member and their role checked each by key: as a join on the
    role, SQLite walked every focal point of the registry for each call, and bulk senders call
    this once per page of members, which made each notice grow with the registry (issue 21)."""
    wanted = sorted(set(member_ids))
    found: dict[str, list[str]] = {m: [] for m in wanted}
    is_focal_point = exists().where(
        PersonRoleRow.person_id == PersonRow.id, PersonRoleRow.role == Role.FOCAL_POINT.value
    )
    query = (
        select(PersonRow.member_id, PersonRow.id)
        .where(PersonRow.member_id.in_(wanted), is_focal_point)
        .order_by(PersonRow.id)
    )
    for member, person in session.execute(query):
        if member is not None:
            found[member].append(person)
    return found


def members_with_status(session: Session, status: MemberStatus) -> list[MemberFacts]:
    query = select(MemberRow).where(MemberRow.status == status.value).order_by(MemberRow.id)
    return [
        MemberFacts(row.id, row.name, Pillar(row.pillar), MemberStatus(row.status))
        for row in session.scalars(query)
    ]


def next_plenary(session: Session, after: date) -> str | None:
    """The first plenary starting after `after` (the one that will ratify what is decided now)."""
    query = select(PlenaryRow.id).where(PlenaryRow.starts > after).order_by(PlenaryRow.starts)
    return session.scalars(query).first()


def member_country(session: Session, member_id: str) -> str | None:
    row = session.get(MemberRow, member_id)
    return None if row is None else row.country


def set_person_language(session: Session, person_id: str, language: Language | None) -> None:
    """The person's own language, or None for the initiative's default (issue 20)."""
    row = session.get(PersonRow, person_id)
    if row is not None:
        row.language = language.value if language else None
