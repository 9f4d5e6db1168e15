"""A funding request's Steering Committee review as the service and the plan's activity run it
from the database: a reviewer whose member stops voting is neither waited for, reminded, nor
counted silent (with the rulebook's silence counted as an objection, it would decline)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.groups.contracts import GroupPlanStatusRequest
from governance.groups.funding import FundingRequest, FundingState
from governance.groups.model import Exploration, Group, GroupStatus
from governance.groups.plan_requests import (
    CheckGroupFunding,
    PlanRequest,
    RecommendGroupFunding,
    RequestGroupFunding,
    StartGroupPlan,
)
from governance.kernel.errors import Conflict
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, audit_entry
from governance.registry.member_status import ChangeMemberStatus
from governance.rulebook.model import Recommendation, load_rulebook
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.group_plans import run_due_events
from govsched.persistence.commands.registry import decide
from govsched.persistence.db import Database
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from govsched.services import group_plans as service

STRICT = load_rulebook({"applications": {"silence_counts_as": "object"}})
T0 = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
LEFT_ON = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)
# the first review reminder falls before the deadline of 12 April (Toronto)
REMINDED = datetime(2027, 4, 9, 12, 0, tzinfo=UTC)


def _registry(db: Database, *commands: RegistryCommand, at: datetime = T0) -> None:
    for n, command in enumerate(commands):
        with db.writing() as session:
            effects = decide(session, command, at, STRICT)
            entry = audit_entry(effects, f"test-{at.isoformat()}-{n}", at, "sec", "")
            store_effects(session, effects, entry, at)


def _committee(member: str, person: str) -> tuple[AddMember, AddPerson]:
    return (
        AddMember(id=member, name=member, pillar=Pillar.COMPANY, country="N"),
        AddPerson(
            id=person,
            name=person,
            email=f"{person}@example.org",
            member=member,
            roles=[Role.FOCAL_POINT, Role.STEERING_COMMITTEE],
        ),
    )


def _record(db: Database, request: PlanRequest, at: datetime = T0) -> FundingRequest:
    outcome = service.record(db, request, at, STRICT)
    assert isinstance(outcome, FundingRequest)
    return outcome


def test_the_review_is_decided_by_the_reviewers_still_sitting(db: Database) -> None:
    _registry(
        db,
        *_committee("co-a", "sc-a"),
        *_committee("co-left", "sc-left"),
        *_committee("co-b", "sc-b"),
        AddPerson(id="sec", name="Sec", email="sec@example.org", roles=[Role.SECRETARIAT]),
        AddPerson(id="ama", name="Ama", email="ama@example.org", member="co-a"),
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
                coordinators=frozenset({"ama"}),
            ),
        )
    service.record(db, StartGroupPlan(by="ama", group="ghana", year=2027), T0, STRICT)
    ask = RequestGroupFunding(
        by="ama", group="ghana", id="fr-1", year=2027, amount="100.00", currency="USD", purpose="x"
    )
    _record(db, ask)
    review = _record(db, CheckGroupFunding(by="sec", request="fr-1", complete=True))
    assert review.reviewers == ("sc-a", "sc-b", "sc-left")

    left = ChangeMemberStatus(member="co-left", status=MemberStatus.WITHDRAWN, decision="left")
    _registry(db, left, at=LEFT_ON)

    look = GroupPlanStatusRequest(group_id="ghana", year=2027, now=REMINDED)
    with db.writing() as session:
        status = run_due_events(session, look, STRICT)
    reminders = [n for n in status.notices if "review-reminder" in n.key]
    assert sorted(n.recipients for n in reminders) == [("sc-a",), ("sc-b",)]

    support = Recommendation.SUPPORT
    _record(db, RecommendGroupFunding(by="sc-a", request="fr-1", recommendation=support), REMINDED)
    decided = _record(
        db, RecommendGroupFunding(by="sc-b", request="fr-1", recommendation=support), REMINDED
    )
    assert decided.state is FundingState.APPROVED
    assert [(r.person, r.silent) for r in decided.recommendations] == [
        ("sc-a", False),
        ("sc-b", False),
    ]


def _ghana(coordinators: frozenset[str]) -> Group:
    return Group(
        id="ghana",
        name="Ghana group",
        country="GH",
        timezone="Africa/Accra",
        status=GroupStatus.ACTIVE,
        exploration=Exploration(demand="a", support="b", recorded_on=date(2027, 1, 5)),
        member_ids=frozenset({"co-a"}),
        coordinators=coordinators,
    )


def test_the_group_s_parties_on_the_committee_stand_aside(db: Database) -> None:
    """Found by a review: a Committee member who coordinated the group supported its request.
    sc-a is of co-a, a member of the group: never a reviewer, told nothing, refused. sc-b is
    made a coordinator during the review: from then on neither reminded nor counted silent
    (silence counted as an objection would decline), and sc-c's support decides at once."""
    _registry(
        db,
        *_committee("co-a", "sc-a"),
        *_committee("co-b", "sc-b"),
        *_committee("co-c", "sc-c"),
        AddPerson(id="sec", name="Sec", email="sec@example.org", roles=[Role.SECRETARIAT]),
        AddPerson(id="ama", name="Ama", email="ama@example.org", member="co-a"),
    )
    with db.writing() as session:
        group_repo.save_group(session, _ghana(frozenset({"ama"})))
    service.record(db, StartGroupPlan(by="ama", group="ghana", year=2027), T0, STRICT)
    ask = RequestGroupFunding(
        by="ama", group="ghana", id="fr-1", year=2027, amount="100.00", currency="USD", purpose="x"
    )
    _record(db, ask)
    review = _record(db, CheckGroupFunding(by="sec", request="fr-1", complete=True))
    assert review.reviewers == ("sc-b", "sc-c")
    with db.reading() as session:
        stored = plan_repo.get_plan(session, "ghana", 2027)
    assert stored is not None
    asked = [n.recipients for n in stored.outbox if n.key.startswith("request:icig-funding")]
    assert sorted(asked) == [("sc-b",), ("sc-c",)]
    support = Recommendation.SUPPORT
    with pytest.raises(Conflict) as refused:
        _record(db, RecommendGroupFunding(by="sc-a", request="fr-1", recommendation=support))
    assert [p.path for p in refused.value.problems] == ["by"]

    with db.writing() as session:
        group_repo.save_group(session, _ghana(frozenset({"ama", "sc-b"})))
    look = GroupPlanStatusRequest(group_id="ghana", year=2027, now=REMINDED)
    with db.writing() as session:
        status = run_due_events(session, look, STRICT)
    reminders = [n for n in status.notices if "review-reminder" in n.key]
    assert [n.recipients for n in reminders] == [("sc-c",)]
    with pytest.raises(Conflict):
        _record(db, RecommendGroupFunding(by="sc-b", request="fr-1", recommendation=support))

    decided = _record(
        db, RecommendGroupFunding(by="sc-c", request="fr-1", recommendation=support), REMINDED
    )
    assert decided.state is FundingState.APPROVED
    assert [(r.person, r.silent) for r in decided.recommendations] == [("sc-c", False)]
