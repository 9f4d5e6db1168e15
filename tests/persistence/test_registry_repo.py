"""The registry store: the demo registry seeded through the rules, read back on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError

from governance.kernel.model import (
    ChairTerm,
    Member,
    MemberStatus,
    Pillar,
    Role,
    StatusChange,
    SteeringCommitteeSeat,
)
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import ChairTermRow, MemberRow, PersonRow, PlenaryRow, SeatRow
from govsched.rehearsal.demo_registry import demo_registry

SEEDED_AT = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
TOKYO = timezone(timedelta(hours=9))


def _seed(db: Database) -> int:
    demo = demo_registry()
    with db.writing() as session:
        return seed(session, demo.commands(), SEEDED_AT, Rulebook(), demo.seats)


@pytest.fixture
def seeded(db: Database) -> Database:
    _seed(db)
    return db


def _count(db: Database, row: type[object]) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(row)) or 0)


def test_seeding_the_demo_registry_into_an_empty_database(db: Database) -> None:
    with db.reading() as session:
        assert registry_repo.is_empty(session)

    applied = _seed(db)

    assert applied == 74 + 76 + 2 + 2
    assert _count(db, MemberRow) == 74
    assert _count(db, PersonRow) == 76
    assert _count(db, PlenaryRow) == 2
    assert _count(db, ChairTermRow) == 2
    assert _count(db, SeatRow) == 9
    with db.reading() as session:
        assert not registry_repo.is_empty(session)
        assert len(registry_repo.list_members(session)) == 74
        assert len(registry_repo.list_people(session)) == 76
        assert [p.id for p in registry_repo.list_plenaries(session)] == [
            "plenary-2026",
            "plenary-2027",
        ]
        assert len(registry_repo.list_seats(session)) == 9


def test_a_seeded_member_round_trips_with_its_status_history(seeded: Database) -> None:
    with seeded.reading() as session:
        norland = registry_repo.get_member(session, "gov-norland")
        yssel = registry_repo.get_member(session, "gov-yssel")
        missing = registry_repo.get_member(session, "gov-nowhere")

    assert missing is None
    # Joined on 20 March: the start of that day in Toronto, EST in 2005, EDT in 2015.
    assert norland == Member(
        id="gov-norland",
        name="Government of Norland",
        pillar=Pillar.GOVERNMENT,
        country="Norland",
        joined=date(2005, 3, 20),
        status=MemberStatus.FULL,
        status_history=(
            StatusChange(
                status=MemberStatus.FULL,
                since=datetime(2005, 3, 20, 5, 0, tzinfo=UTC),
                decision="full member since joining",
            ),
        ),
    )
    assert yssel is not None
    assert yssel.status is MemberStatus.ENGAGED
    assert yssel.status_history == (
        StatusChange(
            status=MemberStatus.ENGAGED,
            since=datetime(2015, 3, 20, 4, 0, tzinfo=UTC),
            decision="admitted as engaged",
        ),
    )


def test_a_member_with_a_long_history_keeps_its_order(db: Database) -> None:
    history = (
        StatusChange(
            status=MemberStatus.ENGAGED,
            since=datetime(2020, 1, 1, 9, 0, tzinfo=TOKYO),
            decision="admitted as engaged",
        ),
        StatusChange(
            status=MemberStatus.FULL,
            since=datetime(2022, 6, 30, 23, 30, tzinfo=UTC),
            decision="plenary 2022",
        ),
        StatusChange(
            status=MemberStatus.INACTIVE,
            since=datetime(2024, 2, 1, 0, 0, tzinfo=UTC),
            decision="no annual report",
        ),
    )
    member = Member(
        id="co-aurum-mining",
        name="Aurum Mining",
        pillar=Pillar.COMPANY,
        country="Norland",
        joined=date(2020, 1, 1),
        status=MemberStatus.INACTIVE,
        status_history=history,
        group="Aurum Group",
    )
    with db.writing() as session:
        registry_repo.save_member(session, member)

    with db.reading() as session:
        stored = registry_repo.get_member(session, "co-aurum-mining")

    assert stored == member
    assert stored is not None
    assert [h.decision for h in stored.status_history] == [
        "admitted as engaged",
        "plenary 2022",
        "no annual report",
    ]
    assert stored.status_history[0].since == datetime(2020, 1, 1, 0, 0, tzinfo=UTC)
    assert all(h.since.tzinfo is UTC for h in stored.status_history)


def test_seeded_people_keep_roles_and_members(seeded: Database) -> None:
    with seeded.reading() as session:
        chair = registry_repo.get_person(session, "fp-gov-norland")
        secretariat = registry_repo.get_person(session, "sec-amina-okafor")
        of_norland = registry_repo.list_people(session, member_id="gov-norland")

    assert chair is not None
    assert chair.member == "gov-norland"
    assert chair.roles == frozenset({Role.FOCAL_POINT, Role.STEERING_COMMITTEE, Role.CHAIR})
    assert secretariat is not None
    assert secretariat.member is None
    assert secretariat.roles == frozenset({Role.SECRETARIAT})
    assert [p.id for p in of_norland] == ["fp-gov-norland"]


def test_email_taken_ignores_case(seeded: Database) -> None:
    with seeded.reading() as session:
        assert registry_repo.email_taken(session, "amina.okafor@secretariat.example")
        assert registry_repo.email_taken(session, "Amina.Okafor@Secretariat.EXAMPLE")
        assert not registry_repo.email_taken(session, "amina.okafor@elsewhere.example")


def test_email_taken_is_answered_from_the_lower_case_index(seeded: Database) -> None:
    """Each new person asks whether its address is taken: from `ix_people_email_lower`, not by
    reading every person (the planner is kept off sequential scans on PostgreSQL, which would
    otherwise prefer one on a table this small, to show the index answers the expression)."""
    with seeded.writing() as session:
        dialect = session.get_bind().dialect
        query = registry_repo.email_taken_query("Amina.Okafor@Secretariat.EXAMPLE").compile(
            dialect=dialect, compile_kwargs={"literal_binds": True}
        )
        if dialect.name == "postgresql":
            session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(row[0] for row in session.execute(text(f"EXPLAIN {query}")))
            assert "ix_people_email_lower" in plan, plan
            assert "Seq Scan" not in plan, plan
        else:
            rows = session.execute(text(f"EXPLAIN QUERY PLAN {query}")).all()
            plan = " ".join(str(row[-1]) for row in rows)
            assert "USING COVERING INDEX ix_people_email_lower" in plan or (
                "USING INDEX ix_people_email_lower" in plan
            ), plan
            assert "SCAN people" not in plan, plan


def test_list_members_filters_by_pillar_and_status(seeded: Database) -> None:
    with seeded.reading() as session:
        governments = registry_repo.list_members(session, pillar=Pillar.GOVERNMENT)
        companies = registry_repo.list_members(session, pillar=Pillar.COMPANY)
        ngos = registry_repo.list_members(session, pillar=Pillar.NGO)
        observers = registry_repo.list_members(session, pillar=Pillar.OBSERVER)
        engaged = registry_repo.list_members(session, status=MemberStatus.ENGAGED)
        full = registry_repo.list_members(session, status=MemberStatus.FULL)
        engaged_governments = registry_repo.list_members(
            session, pillar=Pillar.GOVERNMENT, status=MemberStatus.ENGAGED
        )
        expelled = registry_repo.list_members(session, status=MemberStatus.EXPELLED)

    assert (len(governments), len(companies), len(ngos), len(observers)) == (12, 36, 16, 10)
    assert all(m.pillar is Pillar.GOVERNMENT for m in governments)
    assert [m.id for m in governments] == sorted(m.id for m in governments)
    assert len(engaged) == 8
    assert len(full) == 66
    assert all(m.status is MemberStatus.ENGAGED for m in engaged)
    assert [m.id for m in engaged_governments] == ["gov-calderra", "gov-yssel"]
    assert expelled == []


def test_chair_terms_and_seats_come_back_in_order(seeded: Database) -> None:
    with seeded.reading() as session:
        terms = registry_repo.list_chair_terms(session)
        norland_terms = registry_repo.list_chair_terms(session, member_id="gov-norland")
        seats = registry_repo.list_seats(session)

    # 21 March is after the DST switch in Toronto in both years: local midnight is 04:00 UTC.
    assert terms == [
        ChairTerm(
            member="gov-estavia",
            starts=datetime(2025, 3, 21, 4, 0, tzinfo=UTC),
            ends=datetime(2026, 3, 21, 4, 0, tzinfo=UTC),
        ),
        ChairTerm(
            member="gov-norland",
            starts=datetime(2026, 3, 21, 4, 0, tzinfo=UTC),
            ends=datetime(2027, 3, 20, 4, 0, tzinfo=UTC),
        ),
    ]
    assert [t.member for t in norland_terms] == ["gov-norland"]
    assert seats[0] == SteeringCommitteeSeat(
        member="co-aurum-mining",
        pillar=Pillar.COMPANY,
        starts=date(2025, 3, 21),
        ends=date(2027, 3, 21),
    )
    assert [s.pillar for s in seats] == [Pillar.COMPANY] * 3 + [Pillar.GOVERNMENT] * 3 + [
        Pillar.NGO
    ] * 3


def test_instants_come_back_aware_and_in_utc(db: Database) -> None:
    starts = datetime(2027, 3, 20, 9, 30, tzinfo=TOKYO)
    ends = datetime(2028, 3, 20, 0, 0, tzinfo=UTC)
    with db.writing() as session:
        registry_repo.save_member(
            session,
            Member(
                id="gov-norland",
                name="Government of Norland",
                pillar=Pillar.GOVERNMENT,
                country="Norland",
                joined=date(2005, 3, 20),
                status=MemberStatus.FULL,
                status_history=(),
            ),
        )
        session.flush()
        registry_repo.save_chair_term(
            session, ChairTerm(member="gov-norland", starts=starts, ends=ends)
        )

    with db.reading() as session:
        if session.get_bind().dialect.name == "postgresql":
            # The connection's zone must not leak into what the repository returns.
            session.execute(text("SET TIME ZONE 'Asia/Tokyo'"))
        (term,) = registry_repo.list_chair_terms(session)

    assert term.starts == datetime(2027, 3, 20, 0, 30, tzinfo=UTC)
    assert term.starts.tzinfo is UTC
    assert term.starts.utcoffset() == timedelta(0)
    assert term.ends == ends
    assert term.ends.tzinfo is UTC


def test_sqlite_keeps_instants_as_naive_utc(sqlite_db: Database) -> None:
    with sqlite_db.writing() as session:
        registry_repo.save_member(
            session,
            Member(
                id="gov-norland",
                name="Government of Norland",
                pillar=Pillar.GOVERNMENT,
                country="Norland",
                joined=date(2005, 3, 20),
                status=MemberStatus.FULL,
                status_history=(
                    StatusChange(
                        status=MemberStatus.FULL,
                        since=datetime(2005, 3, 20, 14, 0, tzinfo=TOKYO),
                        decision="recorded",
                    ),
                ),
            ),
        )

    with sqlite_db.reading() as session:
        raw = session.execute(text("SELECT since FROM member_status_history")).scalar_one()

    assert str(raw).startswith("2005-03-20 05:00:00")


def test_a_naive_datetime_is_refused_when_written(db: Database) -> None:
    with db.writing() as session:
        registry_repo.save_member(
            session,
            Member(
                id="gov-norland",
                name="Government of Norland",
                pillar=Pillar.GOVERNMENT,
                country="Norland",
                joined=date(2005, 3, 20),
                status=MemberStatus.FULL,
                status_history=(),
            ),
        )

    naive = ChairTermRow(
        member_id="gov-norland",
        starts=datetime(2027, 3, 20, 0, 0),  # noqa: DTZ001  (the point of the test)
        ends=datetime(2028, 3, 20, 0, 0, tzinfo=UTC),
    )
    with db.writing() as session:
        session.add(naive)
        with pytest.raises(StatementError, match="naive datetime"):
            session.flush()
        session.rollback()

    assert _count(db, ChairTermRow) == 0
