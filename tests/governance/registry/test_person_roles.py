"""A person's roles changed by the Secretariat: exactly the roles asked, each one allowed for the
person's member, and never a Secretariat left with nobody."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.errors import Conflict, GovernanceError, NotFound
from governance.kernel.model import Person, Pillar, Role
from governance.registry.person_roles import (
    HELD_FOR_A_MEMBER,
    ChairInOffice,
    ChangePersonRoles,
    changed_person,
)

role_sets = st.frozensets(st.sampled_from(list(Role)))
members = st.sampled_from([None, *Pillar])


@given(role_sets, role_sets, members, st.integers(min_value=0, max_value=3))
def test_accepted_roles_are_exactly_those_asked_and_allowed(
    held: frozenset[Role], asked: frozenset[Role], pillar: Pillar | None, others: int
) -> None:
    member = None if pillar is None else f"{pillar.value[:3]}-test"
    person = Person(id="p-test", name="Test", email="t@x.example", member=member, roles=held)
    cmd = ChangePersonRoles(person=person.id, roles=sorted(asked))
    refusals: list[GovernanceError] = []
    try:
        after = changed_person(cmd, person, pillar, others)
    except GovernanceError as refused:
        refusals.append(refused)
    if refusals:
        assert refusals[0].problems
        assert all(p.path == "roles" for p in refusals[0].problems)
        return
    assert after.roles == asked != held
    assert after.model_copy(update={"roles": held}) == person
    assert member is not None or not asked & HELD_FOR_A_MEMBER
    assert Role.CHAIR not in asked or pillar in (None, Pillar.GOVERNMENT)
    assert Role.STEERING_COMMITTEE not in asked or pillar is not Pillar.OBSERVER
    assert Role.SECRETARIAT in asked or Role.SECRETARIAT not in held or others > 0


def test_the_last_person_in_the_secretariat_keeps_the_role() -> None:
    person = Person(id="sec-x", name="X", email="x@x.example", roles=frozenset({Role.SECRETARIAT}))
    with pytest.raises(Conflict) as refused:
        changed_person(ChangePersonRoles(person="sec-x", roles=[]), person, None, 0)
    assert "only person in the Secretariat" in refused.value.problems[0].reason
    assert (
        changed_person(ChangePersonRoles(person="sec-x", roles=[]), person, None, 1).roles == set()
    )


def test_an_unknown_person_is_not_found() -> None:
    with pytest.raises(NotFound):
        changed_person(ChangePersonRoles(person="nobody", roles=[]), None, None, 1)


def test_an_observers_person_is_refused_the_steering_committee_role() -> None:
    """The role makes its holder a reviewer of applications, plans and concerns: an observer
    never decides. Found by a review: the role was given, and the observer's objection sent
    an admission three voting members supported to the plenary."""
    person = Person(id="obs-ann", name="Ann", email="a@x.example", member="obs-oecd")
    cmd = ChangePersonRoles(person="obs-ann", roles=[Role.FOCAL_POINT, Role.STEERING_COMMITTEE])
    with pytest.raises(GovernanceError) as refused:
        changed_person(cmd, person, Pillar.OBSERVER, 1)
    assert [p.reason for p in refused.value.problems] == [
        "observers do not sit on the Steering Committee: they never vote"
    ]
    focal_point = ChangePersonRoles(person="obs-ann", roles=[Role.FOCAL_POINT])
    assert changed_person(focal_point, person, Pillar.OBSERVER, 1).roles == {Role.FOCAL_POINT}


def test_the_chair_role_goes_only_to_the_government_in_office() -> None:
    """Found by a review: the Secretariat could give the role to any government's person, who
    then decided deferrals and plenary decisions beside the Chair in office. The handover moves
    the role; a person who holds it already keeps it through other changes."""
    in_office = ChairInOffice("gov-norland", "Norland")
    other = Person(id="fp-gov-b", name="B", email="b@x.example", member="gov-b")
    cmd = ChangePersonRoles(person="fp-gov-b", roles=[Role.FOCAL_POINT, Role.CHAIR])
    with pytest.raises(GovernanceError) as refused:
        changed_person(cmd, other, Pillar.GOVERNMENT, 1, None, in_office)
    assert [p.reason for p in refused.value.problems] == [
        "Norland holds the Chair's term now: the role moves at the handover"
    ]
    chair = other.model_copy(update={"id": "fp-gov-n", "member": "gov-norland"})
    given = changed_person(
        cmd.model_copy(update={"person": "fp-gov-n"}), chair, Pillar.GOVERNMENT, 1, None, in_office
    )
    assert given.roles == {Role.FOCAL_POINT, Role.CHAIR}
    held = other.model_copy(update={"roles": frozenset({Role.CHAIR})})
    assert changed_person(cmd, held, Pillar.GOVERNMENT, 1, None, in_office).roles == set(cmd.roles)
    assert changed_person(cmd, other, Pillar.GOVERNMENT, 1, None, None).roles == set(cmd.roles)
