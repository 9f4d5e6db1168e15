"""A group's coordinator whose member withdraws or is expelled after being added: the group
lists them until the Secretariat removes them (its history of who took part is not rewritten),
but they ask for no funds (409 naming `by`), no longer read the group's requests, and hear
nothing more of them; the Secretariat names another coordinator. An Inactive member's person
still coordinates: Inactive members may come back (found by a review, 8 December 2026,
fifteenth session)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.groups.funding import FundingRequest, FundingState
from governance.groups.model import Exploration, Group, GroupStatus
from governance.groups.plan_requests import (
    CheckGroupFunding,
    CompleteGroupFunding,
    PlanRequest,
    RequestGroupFunding,
    StartGroupPlan,
)
from governance.kernel.errors import Conflict, NotFound
from governance.kernel.model import MemberStatus, Person, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, audit_entry
from governance.registry.member_status import ChangeMemberStatus
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.group_plans import parties
from govsched.persistence.commands.registry import decide
from govsched.persistence.db import Database
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import group_plans as service

RULEBOOK = Rulebook()
T0 = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
LEFT = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)
LATER = datetime(2027, 3, 12, 10, 0, tzinfo=UTC)


def _registry(db: Database, *commands: RegistryCommand, at: datetime = T0) -> None:
    for n, command in enumerate(commands):
        with db.writing() as session:
            effects = decide(session, command, at, RULEBOOK)
            entry = audit_entry(effects, f"test-{at.isoformat()}-{n}", at, "sec", "")
            store_effects(session, effects, entry, at)


def _record(db: Database, request: PlanRequest, at: datetime = T0) -> FundingRequest:
    outcome = service.record(db, request, at, RULEBOOK)
    assert isinstance(outcome, FundingRequest)
    return outcome


def _ask(request_id: str) -> RequestGroupFunding:
    return RequestGroupFunding(
        by="ama",
        group="ghana",
        id=request_id,
        year=2027,
        amount="100.00",
        currency="USD",
        purpose="Two trainings.",
    )


@pytest.fixture
def group(db: Database) -> Database:
    """Ghana's group coordinated by Ama (of co-a) and Kofi (of no member); a request of Ama's
    returned by the Secretariat for what is missing."""
    _registry(
        db,
        AddMember(id="co-a", name="Aurum", pillar=Pillar.COMPANY, country="GH"),
        AddPerson(id="sec", name="Sec", email="sec@example.org", roles=[Role.SECRETARIAT]),
        AddPerson(
            id="ama",
            name="Ama",
            email="ama@example.org",
            member="co-a",
            roles=[Role.FOCAL_POINT],
        ),
        AddPerson(id="kofi", name="Kofi", email="kofi@example.org"),
    )
    with db.writing() as session:
        group_repo.save_group(
            session,
            Group(
                id="ghana",
                name="Ghana group",
                country="GH",
                timezone="Africa/Accra",
                status=GroupStatus.ACTIVE,
                exploration=Exploration(demand="a", support="b", recorded_on=date(2027, 1, 5)),
                member_ids=frozenset({"co-a"}),
                coordinators=frozenset({"ama", "kofi"}),
            ),
        )
    service.record(db, StartGroupPlan(by="ama", group="ghana", year=2027), T0, RULEBOOK)
    _record(db, _ask("fr-1"))
    returned = _record(db, CheckGroupFunding(by="sec", request="fr-1", complete=False, missing="x"))
    assert returned.state is FundingState.RETURNED
    return db


def _person(db: Database, person_id: str) -> Person:
    with db.reading() as session:
        person = registry_repo.get_person(session, person_id)
    assert person is not None
    return person


@pytest.mark.parametrize("status", [MemberStatus.WITHDRAWN, MemberStatus.EXPELLED])
def test_a_coordinator_whose_member_left_asks_for_no_funds_and_reads_no_request(
    group: Database, status: MemberStatus
) -> None:
    db = group
    _registry(db, ChangeMemberStatus(member="co-a", status=status, decision="left"), at=LEFT)

    with pytest.raises(Conflict) as refused:
        service.record(db, _ask("fr-2"), LATER, RULEBOOK)
    assert [p.path for p in refused.value.problems] == ["by"]
    assert "which left the initiative" in str(refused.value.problems[0].reason)
    ama = _person(db, "ama")
    assert service.list_requests(db, "ghana", ama) == []
    assert not service.may_see_requests(db, "ghana", ama)
    with pytest.raises(NotFound):
        service.get_request(db, "fr-1", ama)
    with pytest.raises(NotFound):
        service.record(
            db, CompleteGroupFunding(by="ama", request="fr-1", purpose="All."), LATER, RULEBOOK
        )
    # still listed (the Secretariat removes them), but no longer told of the group's funds
    with db.reading() as session:
        stored = group_repo.get_group(session, "ghana")
        assert stored is not None
        assert stored.is_coordinator("ama")
        assert parties(session, stored).coordinators == ("kofi",)
    # the other coordinator goes on
    assert _record(db, CompleteGroupFunding(by="kofi", request="fr-1", purpose="All."), LATER)


def test_an_inactive_members_coordinator_still_asks_for_funds(group: Database) -> None:
    db = group
    inactive = ChangeMemberStatus(member="co-a", status=MemberStatus.INACTIVE, decision="quiet")
    _registry(db, inactive, at=LEFT)
    assert _record(db, _ask("fr-2"), LATER).requested_by == "ama"
    assert [r.id for r in service.list_requests(db, "ghana", _person(db, "ama"))] == [
        "fr-1",
        "fr-2",
    ]
