"""A group plan's timed steps that fell due: run them, with their notices, in one transaction.

A retry of the activity finds the steps done (the plan's `looked_through` moved past them) and
the notices already in the outbox: it only hands back those still to deliver. `looked_through`
moves only when a look found something due.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from governance.groups.contracts import GroupPlanStatus, GroupPlanStatusRequest
from governance.groups.followup import Parties, next_step_at, run_due
from governance.groups.funding import stands_aside
from governance.groups.model import Group
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo


def parties(session: Session, group: Group) -> Parties:
    """The group's coordinators who can be reached: people of the registry (never a local
    participant's id, `Group.coordinating_people`), but none whose member left the initiative
    (listed until the Secretariat removes them, they hear nothing more of the group's funds:
    `funding.may_see`)."""
    found = [registry_repo.get_person(session, p) for p in group.coordinating_people]
    people = [p for p in found if p is not None]
    left = registry_repo.members_that_left(session, (p.member for p in people if p.member))
    reached = tuple(sorted(p.id for p in people if p.member not in left))
    return Parties(group_name=group.name, timezone=group.timezone, coordinators=reached)


def committee(session: Session) -> tuple[str, ...]:
    """The Steering Committee's people whose member votes (the role goes when a member stops
    voting)."""
    return tuple(registry_repo.voting_people_with_role(session, Role.STEERING_COMMITTEE))


def standing_aside(session: Session, group: Group, people: Iterable[str]) -> frozenset[str]:
    """Those of `people` who are parties to `group`'s funding requests (`funding.stands_aside`:
    its coordinators, the people of its member organisations), read now."""
    found = (registry_repo.get_person(session, p) for p in people)
    return frozenset(p.id for p in found if p is not None and stands_aside(group, p.id, p.member))


def sitting_reviewers(session: Session, group: Group) -> frozenset[str]:
    """Who decides on `group`'s funding requests now: the Steering Committee's people whose
    member votes (its reviewers are chosen so), but for the group's parties, who stand aside
    (also one who became a coordinator, or whose member joined the group, during a review)."""
    people = committee(session)
    return frozenset(people) - standing_aside(session, group, people)


def run_due_events(
    session: Session, request: GroupPlanStatusRequest, rulebook: Rulebook
) -> GroupPlanStatus:
    # held as the people's steps hold it: a review closed by its deadline and a recommendation
    # sent at that moment must not overwrite each other
    group_repo.lock(session, request.group_id)
    stored = plan_repo.get_plan(session, request.group_id, request.year)
    group = group_repo.get_group(session, request.group_id)
    if stored is None or group is None:
        # the service stores the plan before it starts the workflow: this one was removed
        return GroupPlanStatus(finished=True, delivered=request.delivered)
    plan, who = stored.plan, parties(session, group)
    since = stored.looked_through or plan.created_at
    funding = plan_repo.requests(session, plan.group_id, plan.year)
    sitting = sitting_reviewers(session, group)
    due = run_due(plan, funding, who, since, request.now, rulebook, sitting)
    # A look that finds nothing due writes nothing (a wake repeated after Temporal was lost
    # changes no row); the next look checks the same window again and finds nothing either.
    if due.notices or due.closed:
        for closed in due.closed:
            plan_repo.save_request(session, closed)
        plan_repo.issue(session, plan.group_id, plan.year, due.notices, request.now)
        stored = plan_repo.get_plan(session, request.group_id, request.year)
        assert stored is not None
        funding = plan_repo.requests(session, plan.group_id, plan.year)
    upcoming = next_step_at(plan, funding, who, request.now, rulebook)
    return GroupPlanStatus(
        notices=stored.outbox[request.delivered :],
        delivered=len(stored.outbox),
        next_at=upcoming,
        finished=upcoming is None,
    )
