"""The demo registry: shaped like the VPI, and accepted command by command by the real rules."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from governance.kernel.model import VOTING_PILLARS, ChairTerm, MemberStatus, Pillar, Role
from governance.kernel.timekeeping import start_of_day
from governance.registry.changes import (
    AddMember,
    AddPerson,
    MemberFacts,
    SchedulePlenary,
    SetChair,
    add_member,
    add_person,
    schedule_plenary,
    set_chair,
)
from governance.rulebook.model import Rulebook
from govsched.rehearsal.demo_registry import CHAIR_MEMBER, DemoRegistry, demo_registry

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
# The demo is loaded when the stack first starts; any fixed instant before its first term will do.
LOADED_AT = datetime(2025, 1, 6, 14, 0, tzinfo=UTC)


def registry() -> DemoRegistry:
    return demo_registry()


def start_of_day_of(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else start_of_day(value, TZ)


def test_the_same_call_gives_the_same_registry() -> None:
    assert demo_registry() == demo_registry()


def test_the_registry_is_shaped_like_the_vpi() -> None:
    counts = Counter(m.pillar for m in registry().members)
    assert counts == {
        Pillar.GOVERNMENT: 12,
        Pillar.COMPANY: 36,
        Pillar.NGO: 16,
        Pillar.OBSERVER: 10,
    }


def test_member_ids_are_unique() -> None:
    ids = [m.id for m in registry().members]
    assert len(ids) == len(set(ids))


def test_person_ids_and_emails_are_unique() -> None:
    people = registry().people
    assert len({p.id for p in people}) == len(people)
    assert len({p.email.lower() for p in people}) == len(people)


def test_every_persons_member_exists() -> None:
    demo = registry()
    member_ids = {m.id for m in demo.members}
    assert all(p.member in member_ids for p in demo.people if p.member is not None)


def test_every_member_has_a_focal_point() -> None:
    demo = registry()
    focal = {p.member for p in demo.people if Role.FOCAL_POINT in p.roles}
    assert focal == {m.id for m in demo.members}


def test_some_members_are_still_engaged() -> None:
    statuses = Counter(m.status for m in registry().members)
    assert statuses[MemberStatus.ENGAGED] > 0
    assert statuses[MemberStatus.FULL] > statuses[MemberStatus.ENGAGED]


def test_the_secretariat_has_people_who_act_for_no_member() -> None:
    secretariat = [p for p in registry().people if Role.SECRETARIAT in p.roles]
    assert len(secretariat) >= 1
    assert all(p.member is None for p in secretariat)


def test_exactly_one_person_acts_as_chair_for_the_current_chair() -> None:
    demo = registry()
    chairs = [p for p in demo.people if Role.CHAIR in p.roles]
    assert len(chairs) == 1
    latest = max(demo.chair_terms, key=lambda t: start_of_day_of(t.starts))
    assert latest.member == CHAIR_MEMBER
    assert chairs[0].member == latest.member


def test_the_chair_term_in_force_in_mid_2026_is_the_chair_members() -> None:
    mid_2026 = datetime(2026, 9, 1, tzinfo=UTC)
    in_force = [
        t
        for t in registry().chair_terms
        if start_of_day_of(t.starts) <= mid_2026 < start_of_day_of(t.ends)
    ]
    assert [t.member for t in in_force] == [CHAIR_MEMBER]


def test_the_steering_committee_has_three_seats_per_voting_pillar() -> None:
    seats = registry().seats
    assert Counter(s.pillar for s in seats) == dict.fromkeys(VOTING_PILLARS, 3)


def test_steering_committee_seats_are_held_by_members_of_their_pillar() -> None:
    demo = registry()
    pillar_of = {m.id: m.pillar for m in demo.members}
    assert all(pillar_of[s.member] is s.pillar for s in demo.seats)
    assert len({s.member for s in demo.seats}) == len(demo.seats)


def test_steering_committee_seats_are_staggered_terms_of_the_rulebook_length() -> None:
    seats = registry().seats
    term_years = RULEBOOK.steering_committee.term_years
    assert all(s.ends == s.starts.replace(year=s.starts.year + term_years) for s in seats)
    for pillar in VOTING_PILLARS:
        start_years = {s.starts.year for s in seats if s.pillar is pillar}
        assert len(start_years) > 1, f"{pillar} seats all renew in the same year"


def test_steering_committee_seat_holders_have_a_person_with_the_role() -> None:
    demo = registry()
    with_role = {p.member for p in demo.people if Role.STEERING_COMMITTEE in p.roles}
    assert with_role == {s.member for s in demo.seats}


def test_commands_list_members_then_people_then_chair_terms_then_plenaries() -> None:
    # Chair terms before plenaries: a plenary's handover names the Chair holding the term then.
    demo = registry()
    kinds = [type(c).__name__ for c in demo.commands()]
    assert kinds == (
        ["AddMember"] * len(demo.members)
        + ["AddPerson"] * len(demo.people)
        + ["SetChair"] * len(demo.chair_terms)
        + ["SchedulePlenary"] * len(demo.plenaries)
    )


def test_every_command_is_accepted_by_the_rules_in_the_order_given() -> None:
    members: dict[str, MemberFacts] = {}
    person_ids: set[str] = set()
    emails: set[str] = set()
    plenary_ids: set[str] = set()
    terms: list[ChairTerm] = []
    for command in registry().commands():
        if isinstance(command, AddMember):
            effects = add_member(command, LOADED_AT, command.id in members, RULEBOOK)
            assert effects.member is not None
            m = effects.member
            members[m.id] = MemberFacts(m.id, m.name, m.pillar, m.status)
        elif isinstance(command, AddPerson):
            member = members.get(command.member) if command.member is not None else None
            effects = add_person(command, command.id in person_ids, command.email in emails, member)
            person_ids.add(command.id)
            emails.add(command.email)
        elif isinstance(command, SchedulePlenary):
            host = members.get(command.host) if command.host is not None else None
            effects = schedule_plenary(command, LOADED_AT, frozenset(plenary_ids), host, RULEBOOK)
            plenary_ids.add(effects.item_id)
        elif isinstance(command, SetChair):
            effects = set_chair(command, LOADED_AT, members.get(command.member), terms, RULEBOOK)
            assert effects.chair_term is not None
            terms.append(effects.chair_term)
    assert len(members) == 74
    assert plenary_ids == {"plenary-2026", "plenary-2027"}
    assert [t.member for t in terms] == ["gov-estavia", CHAIR_MEMBER]
    assert terms[0].ends == terms[1].starts
