"""Deciding registry commands on facts read from the database, and seeding through the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from governance.kernel.errors import Conflict, GovernanceError, InvalidInput
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.kernel.timekeeping import end_of_day, start_of_day
from governance.registry.changes import (
    AddMember,
    AddPerson,
    RegistryCommand,
    SchedulePlenary,
    SetChair,
    audit_entry,
)
from governance.registry.member_status import ChangeMemberStatus
from governance.registry.person_roles import ChangePersonRoles
from governance.roster.document import publish
from governance.roster.rule import RosterRules
from governance.rulebook.model import Rulebook
from governance.year.handover.contracts import HandoverRequest
from governance.year.handover.rules import DesignateIncomingChair
from governance.year.seats import RecordSeat
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.handover import hold_over
from govsched.persistence.commands.registry import decide, seed
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import roster as roster_repo
from govsched.persistence.tables import AuditRow, MemberRow, NotificationRow
from govsched.rehearsal.demo_registry import demo_registry

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
RULEBOOK = Rulebook()
NORLAND = AddMember(
    id="gov-norland", name="Government of Norland", pillar=Pillar.GOVERNMENT, country="Norland"
)
ESTAVIA = AddMember(
    id="gov-estavia",
    name="Government of Estavia",
    pillar=Pillar.GOVERNMENT,
    country="Estavia",
    status=MemberStatus.ENGAGED,
)
AURUM = AddMember(id="co-aurum-mining", name="Aurum Mining", pillar=Pillar.COMPANY, country="N")


def _apply(db: Database, *commands: RegistryCommand) -> None:
    """Decide and store each command as the registry activity does."""
    for n, command in enumerate(commands):
        with db.writing() as session:
            effects = decide(session, command, T0, RULEBOOK)
            entry = audit_entry(effects, f"test-{n}", T0, "sec-test", "")
            store_effects(session, effects, entry, T0)


def _refusal(db: Database, command: RegistryCommand) -> GovernanceError:
    with db.reading() as session, pytest.raises(GovernanceError) as caught:
        decide(session, command, T0, RULEBOOK)
    return caught.value


def _paths(error: GovernanceError) -> list[str]:
    return [p.path for p in error.problems]


def test_a_duplicate_member_is_a_conflict(db: Database) -> None:
    _apply(db, NORLAND)

    error = _refusal(db, NORLAND.model_copy(update={"name": "Another Norland"}))

    assert type(error) is Conflict
    assert _paths(error) == ["id"]
    assert "gov-norland" in error.message


def test_a_person_for_a_missing_member_is_invalid_input(db: Database) -> None:
    _apply(db, NORLAND)
    person = AddPerson(
        id="fp-gov-nowhere",
        name="Mira Chen",
        email="mira.chen@nowhere.example",
        member="gov-nowhere",
        roles=[Role.FOCAL_POINT],
    )

    error = _refusal(db, person)

    assert type(error) is InvalidInput
    assert _paths(error) == ["member"]
    assert "gov-nowhere" in error.problems[0].reason
    with db.reading() as session:
        assert registry_repo.get_person(session, "fp-gov-nowhere") is None


def test_an_email_taken_in_another_case_is_a_conflict(db: Database) -> None:
    _apply(
        db,
        NORLAND,
        AddPerson(id="fp-gov-norland", name="Amina Okafor", email="Amina.Okafor@gov.example"),
    )

    error = _refusal(
        db, AddPerson(id="fp-other", name="A. Okafor", email="amina.okafor@GOV.example")
    )

    assert type(error) is Conflict
    assert _paths(error) == ["email"]
    with db.reading() as session:
        stored = registry_repo.get_person(session, "fp-gov-norland")
    assert stored is not None
    assert stored.email == "amina.okafor@gov.example"


def test_a_company_cannot_host_a_plenary(db: Database) -> None:
    _apply(db, AURUM)

    error = _refusal(
        db,
        SchedulePlenary(
            year=2027,
            starts=date(2027, 5, 18),
            ends=date(2027, 5, 21),
            location="Aurum Town",
            host="co-aurum-mining",
        ),
    )

    assert type(error) is InvalidInput
    assert _paths(error) == ["host"]


def test_plenaries_already_recorded_count(db: Database) -> None:
    annual = SchedulePlenary(
        year=2027, starts=date(2027, 5, 18), ends=date(2027, 5, 21), location="Norland Harbour"
    )
    extraordinary = annual.model_copy(update={"kind": "extraordinary"})
    _apply(db, annual, extraordinary)

    error = _refusal(db, annual)
    with db.reading() as session:
        third = decide(session, extraordinary, T0, RULEBOOK)
        ids = [p.id for p in registry_repo.list_plenaries(session)]

    assert type(error) is Conflict
    assert _paths(error) == ["year"]
    assert sorted(ids) == ["plenary-2027", "plenary-2027-x1"]
    assert third.item_id == "plenary-2027-x2"


def test_the_chair_must_be_a_full_government_without_overlap(db: Database) -> None:
    _apply(
        db,
        NORLAND,
        ESTAVIA,
        SetChair(member="gov-norland", starts=date(2026, 3, 21), ends=date(2027, 3, 20)),
    )

    engaged = _refusal(
        db, SetChair(member="gov-estavia", starts=date(2027, 3, 20), ends=date(2028, 3, 20))
    )
    overlap = _refusal(
        db, SetChair(member="gov-norland", starts=date(2027, 1, 1), ends=date(2028, 1, 1))
    )

    assert type(engaged) is InvalidInput
    assert _paths(engaged) == ["member"]
    assert type(overlap) is Conflict
    assert _paths(overlap) == ["starts"]
    assert "gov-norland" in overlap.problems[0].reason


def test_a_plenary_planned_after_the_chairs_term_ends_carries_the_term_to_its_handover(
    db: Database,
) -> None:
    # Norland's term ends on 22 May 2027, a year after it began; the plenary is then planned
    # for June: Norland stays Chair until the handover at its end, and hands over there
    _apply(
        db,
        NORLAND,
        SetChair(member="gov-norland", starts=date(2026, 5, 22), ends=date(2027, 5, 22)),
        SchedulePlenary(
            year=2027, starts=date(2027, 6, 8), ends=date(2027, 6, 11), location="Norland Harbour"
        ),
    )
    handover_at = end_of_day(date(2027, 6, 11), RULEBOOK.initiative.timezone)
    with db.reading() as session:
        [held] = registry_repo.list_chair_terms(session)
        handover = handover_repo.get(session, 2027)
    assert held.ends == handover_at
    assert handover is not None
    assert handover.outgoing == "gov-norland"


def test_only_the_next_plenarys_handover_carries_the_chair_in_office(db: Database) -> None:
    # a plenary two years on is not the one that ends Norland's term (2028's, not planned yet,
    # comes between); nor is one planned after a handover still to happen
    _apply(
        db,
        NORLAND,
        SetChair(member="gov-norland", starts=date(2026, 5, 22), ends=date(2027, 5, 22)),
        SchedulePlenary(
            year=2029, starts=date(2029, 6, 5), ends=date(2029, 6, 8), location="Norland Harbour"
        ),
    )
    with db.reading() as session:
        [held] = registry_repo.list_chair_terms(session)
    assert held.ends == start_of_day(date(2027, 5, 22), RULEBOOK.initiative.timezone)


def test_a_term_long_over_is_history_and_no_plenary_carries_it(db: Database) -> None:
    _apply(
        db,
        NORLAND,
        SetChair(member="gov-norland", starts=date(2019, 5, 22), ends=date(2020, 5, 22)),
        SchedulePlenary(
            year=2027, starts=date(2027, 6, 8), ends=date(2027, 6, 11), location="Norland Harbour"
        ),
    )
    with db.reading() as session:
        [history] = registry_repo.list_chair_terms(session)
        handover = handover_repo.get(session, 2027)
    assert history.ends == start_of_day(date(2020, 5, 22), RULEBOOK.initiative.timezone)
    assert handover is not None
    assert handover.outgoing is None


def test_a_member_that_stops_voting_has_nobody_left_on_the_steering_committee(
    db: Database,
) -> None:
    committee = AddPerson(
        id="sc-aurum",
        name="Ana",
        email="ana@aurum.example",
        member="co-aurum-mining",
        roles=[Role.FOCAL_POINT, Role.STEERING_COMMITTEE],
    )
    _apply(db, AURUM, committee)
    _apply(
        db,
        ChangeMemberStatus(
            member="co-aurum-mining", status=MemberStatus.WITHDRAWN, decision="left in writing"
        ),
    )
    with db.reading() as session:
        person = registry_repo.get_person(session, "sc-aurum")
    assert person is not None
    assert person.roles == frozenset({Role.FOCAL_POINT})
    # nor can the role be given back while the member does not vote
    refused = _refusal(db, ChangePersonRoles(person="sc-aurum", roles=[Role.STEERING_COMMITTEE]))
    assert type(refused) is InvalidInput
    assert _paths(refused) == ["roles"]
    assert "withdrawn" in refused.problems[0].reason


def test_a_member_that_stops_voting_gives_up_its_seat_on_the_day_for_another(
    db: Database,
) -> None:
    others = [
        AddMember(id=f"co-{n}", name=f"Company {n}", pillar=Pillar.COMPANY, country="N")
        for n in ("bauxa", "cobra", "delta")
    ]
    term = {"starts": date(2026, 5, 1), "ends": date(2028, 5, 1)}
    _apply(
        db,
        AURUM,
        *others,
        RecordSeat(member="co-aurum-mining", **term),
        RecordSeat(member="co-bauxa", **term),
        RecordSeat(member="co-cobra", **term),
        # its next term, recorded ahead
        RecordSeat(member="co-aurum-mining", starts=date(2028, 5, 1), ends=date(2030, 5, 1)),
    )
    replacement = RecordSeat(member="co-delta", starts=date(2027, 1, 4), ends=date(2029, 1, 4))
    assert _paths(_refusal(db, replacement)) == ["member"]  # the pillar's three are taken
    # left on the day of T0 (4 January 2027 in Toronto)
    _apply(
        db,
        ChangeMemberStatus(
            member="co-aurum-mining", status=MemberStatus.WITHDRAWN, decision="left in writing"
        ),
    )
    with db.reading() as session:
        aurum = [s for s in registry_repo.list_seats(session) if s.member == "co-aurum-mining"]
    # the seat it held stays in the history, ended that day; the next term was never held
    assert [(s.starts, s.ends) for s in aurum] == [(date(2026, 5, 1), date(2027, 1, 4))]
    _apply(db, replacement)
    with db.reading() as session:
        held = {s.member for s in registry_repo.list_seats(session) if s.ends > date(2027, 1, 4)}
    assert held == {"co-bauxa", "co-cobra", "co-delta"}


def test_an_engaged_members_person_is_not_given_the_steering_committee_role(
    db: Database,
) -> None:
    _apply(db, ESTAVIA)
    refused = _refusal(
        db,
        AddPerson(
            id="sc-estavia",
            name="Eli",
            email="eli@estavia.example",
            member="gov-estavia",
            roles=[Role.STEERING_COMMITTEE],
        ),
    )
    assert type(refused) is InvalidInput
    assert _paths(refused) == ["roles"]


def test_seed_writes_audit_entries_keyed_seed(db: Database) -> None:
    demo = demo_registry()
    at = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    with db.writing() as session:
        applied = seed(session, demo.commands(), at, RULEBOOK, demo.seats)

    with db.reading() as session:
        entries = audit_repo.entries(session)
        norland = audit_repo.entries(session, item_kind="member", item_id="gov-norland")
        plenaries = calendar_repo.visible_events(session, frozenset({"public"}))
        notifications = session.scalar(select(func.count()).select_from(NotificationRow))

    assert applied == 154
    assert len(entries) == 154 + 9
    assert all(e.key.startswith("seed:") for e in entries)
    assert {e.actor for e in entries} == {"seed"}
    assert {e.reason for e in entries} == {"seeded"}
    assert {e.at for e in entries} == {at}
    assert [e.key for e in norland] == ["seed:member:gov-norland:member.added"]
    keys = {e.key for e in entries}
    assert "seed:person:fp-gov-norland:person.added" in keys
    assert "seed:plenary:plenary-2027:plenary.scheduled" in keys
    assert "seed:chair_term:chair-gov-norland-2026-03-21:chair_term.recorded" in keys
    assert "seed:seat:gov-norland:2025-03-21" in keys
    assert sum(1 for e in entries if e.action == "seat.recorded") == 9
    # Seeding records the plenaries' calendar events (and their public milestones) but
    # announces nothing.
    assert [e.item.uid for e in plenaries if e.item.kind == "plenary"] == [
        "plenary-2026@vpi.govsched",
        "plenary-2027@vpi.govsched",
    ]
    assert {e.item.uid for e in plenaries if e.item.kind == "milestone"} == {
        f"milestone-plenary-{year}-{key}@vpi.govsched"
        for year in (2026, 2027)
        for key in ("save-the-date", "call-for-agenda-and-presenters")
    }
    assert notifications == 0


def test_seeding_twice_is_refused_and_changes_nothing(db: Database) -> None:
    demo = demo_registry()
    at = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    with db.writing() as session:
        seed(session, demo.commands(), at, RULEBOOK, demo.seats)

    with pytest.raises(Conflict), db.writing() as session:
        seed(session, demo.commands(), at, RULEBOOK, demo.seats)

    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(MemberRow)) == 74
        assert session.scalar(select(func.count()).select_from(AuditRow)) == 154 + 9


TARSIS = AddMember(
    id="gov-tarsis", name="Government of Tarsis", pillar=Pillar.GOVERNMENT, country="Tarsis"
)
PLENARY_2027 = SchedulePlenary(
    year=2027, starts=date(2027, 5, 18), ends=date(2027, 5, 21), location="Norland Harbour"
)


def test_a_designated_incoming_chair_that_stops_being_full_is_no_longer_designated(
    db: Database,
) -> None:
    """Found by a review: a government that withdrew after being designated still took the
    Chair at the handover, and nobody was told. Its designation now lapses with its status, the
    Steering Committee and the Secretariat are asked for another, and the handover waits as one
    with nobody named (the outgoing Chair stays)."""
    secretariat = AddPerson(id="sec-test", name="S", email="s@x.example", roles=[Role.SECRETARIAT])
    _apply(
        db,
        NORLAND,
        TARSIS,
        secretariat,
        SetChair(member="gov-norland", starts=date(2026, 5, 22), ends=date(2027, 5, 22)),
        PLENARY_2027,
        DesignateIncomingChair(member="gov-tarsis", by="sec-test", year=2027),
    )
    leaves = ChangeMemberStatus(
        member="gov-tarsis", status=MemberStatus.WITHDRAWN, decision="left in writing"
    )
    with db.writing() as session:
        effects = decide(session, leaves, T0, RULEBOOK)
        store_effects(session, effects, audit_entry(effects, "leaves", T0, "sec-test", ""), T0)
    with db.reading() as session:
        handover = handover_repo.get(session, 2027)
    assert handover is not None
    assert (handover.incoming, handover.designated_at, handover.outgoing) == (
        None,
        None,
        "gov-norland",
    )
    told = [(n.channel, n.text) for n in effects.notices if n.item == "handover-2027"]
    assert told == [
        (
            channel,
            "Government of Tarsis is no longer a Full member, so it will not become Government "
            "Chair at the 2027 handover: designate another government.",
        )
        for channel in ("steering_committee", "secretariat")
    ]


def test_a_stalled_handover_keeps_the_outgoing_chair_in_the_registry_past_its_recorded_end(
    db: Database,
) -> None:
    """Found by a review: a term recorded to end after the handover (30 June) was left as it
    was when the handover passed with nobody named, so from 30 June the registry answered
    nobody for who was Chair while the notice said Norland stays."""
    _apply(
        db,
        NORLAND,
        SetChair(member="gov-norland", starts=date(2026, 5, 22), ends=date(2027, 6, 30)),
        PLENARY_2027,
    )
    after = datetime(2027, 5, 23, 12, tzinfo=UTC)
    with db.writing() as session:
        hold_over(session, HandoverRequest(year=2027, now=after), RULEBOOK)
    with db.writing() as session:
        hold_over(session, HandoverRequest(year=2027, now=after), RULEBOOK)
        [held] = registry_repo.list_chair_terms(session)
    tz = RULEBOOK.initiative.timezone
    assert held.ends == end_of_day(date(2028, 5, 21), tz)


def test_a_chair_whose_government_stops_being_full_leaves_office_at_once(db: Database) -> None:
    """Found by a review: the Chair of a government made Inactive kept the role, and decided a
    roster deferral and a plenary decision. The role goes with the vote, the term ends at the
    change, the next handover has nobody outgoing, and the Committee and the Secretariat are
    told; another government's person may then be given the role until a term is recorded."""
    chair = AddPerson(
        id="fp-norland",
        name="N",
        email="n@x.example",
        member="gov-norland",
        roles=[Role.FOCAL_POINT, Role.CHAIR],
    )
    tarsis_person = AddPerson(
        id="fp-tarsis", name="T", email="t@x.example", member="gov-tarsis", roles=[Role.FOCAL_POINT]
    )
    _apply(
        db,
        NORLAND,
        TARSIS,
        chair,
        tarsis_person,
        SetChair(member="gov-norland", starts=date(2026, 5, 22), ends=date(2027, 5, 22)),
        PLENARY_2027,
    )
    refused = _refusal(db, ChangePersonRoles(person="fp-tarsis", roles=[Role.CHAIR]))
    assert "holds the Chair's term now" in refused.problems[0].reason
    inactive = ChangeMemberStatus(
        member="gov-norland", status=MemberStatus.INACTIVE, decision="no report for two years"
    )
    with db.writing() as session:
        effects = decide(session, inactive, T0, RULEBOOK)
        store_effects(session, effects, audit_entry(effects, "inactive", T0, "sec-test", ""), T0)
    with db.reading() as session:
        person = registry_repo.get_person(session, "fp-norland")
        [term] = registry_repo.list_chair_terms(session)
        handover = handover_repo.get(session, 2027)
    assert person is not None
    assert person.roles == frozenset({Role.FOCAL_POINT})
    assert term.ends == T0
    assert handover is not None
    assert handover.outgoing is None
    told = sorted(n.channel for n in effects.notices if n.item == "chair-gov-norland")
    assert told == ["secretariat", "steering_committee"]
    _apply(db, ChangePersonRoles(person="fp-tarsis", roles=[Role.FOCAL_POINT, Role.CHAIR]))


def test_a_presenter_on_a_published_roster_that_leaves_is_pointed_out(db: Database) -> None:
    """The Secretariat hears that a withdrawn member still presents at a plenary to come."""
    long_standing = [
        AddMember(
            id=f"gov-old-{k}",
            name=f"Government {k}",
            pillar=Pillar.GOVERNMENT,
            country=f"C{k}",
            joined=date(2010, 1, 1),
        )
        for k in range(3)
    ]
    _apply(db, NORLAND, *long_standing, PLENARY_2027)
    tz = RULEBOOK.initiative.timezone
    with db.writing() as session:
        members = tuple(roster_repo.roster_members(session, tz))
        drawn = publish(
            2027,
            "plenary-2027",
            "seed",
            date(2027, 1, 4),
            T0,
            members,
            (),
            RosterRules.of(RULEBOOK),
        )
        roster_repo.announce(session, "plenary-2027", 2027, "seed", date(2027, 1, 4))
        roster_repo.save_document(session, "plenary-2027", drawn, T0)
    presenter = drawn.slots[0].member
    leaves = ChangeMemberStatus(member=presenter, status=MemberStatus.WITHDRAWN, decision="left")
    with db.reading() as session:
        effects = decide(session, leaves, T0, RULEBOOK)
    assert [n.key for n in effects.notices if "vroster-2027" in n.key] == [
        f"decision:member-status-{presenter}:vroster-2027:secretariat"
    ]
