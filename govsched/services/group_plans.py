"""Groups' annual plans and funding requests, as the API, the CLI, the web and rehearsals
drive and read them.

Each step is decided by the pure rules (governance.groups.plans, .funding) and written with
its audit entry and notices in one transaction; then the plan's workflow is told (started if
none runs), and it delivers the notices and keeps the plan's time. A refused step writes
nothing. Plans are read by everyone signed in, like the registry of groups; funding requests
only by the group's coordinators and members, the Secretariat and the Steering Committee: to
anyone else a request does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session
from temporalio.client import Client

from governance.groups import access
from governance.groups import funding as funding_rules
from governance.groups import plans as plan_rules
from governance.groups.followup import step_notices
from governance.groups.funding import Asker, FundingAsk, FundingRequest, FundingState
from governance.groups.model import Group
from governance.groups.money import Money
from governance.groups.plan_requests import (
    AddBudgetLine,
    AddPlanDeliverable,
    CheckGroupFunding,
    CompleteGroupFunding,
    PlanRequest,
    RecommendGroupFunding,
    ReportGroupFundingUse,
    RequestGroupFunding,
    SetDeliverableStatus,
    StartGroupPlan,
)
from governance.groups.plans import BudgetLine, Deliverable, DeliverableStatus, Plan
from governance.kernel.audit import AuditEntry
from governance.kernel.errors import Conflict, InvalidInput, NotFound, Problem
from governance.kernel.model import Person, Role
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Recommendation, Rulebook
from govsched.persistence.commands.group_plans import parties
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.groups import made
from govsched.temporal.client import ServiceUnavailable, unreachable
from govsched.temporal.starters import wake_group_plan

PLAN_KIND = "icig"
FUNDING_KIND = "icig_funding"


def _audit(
    session: Session, kind: str, item: str, by: str, at: datetime, action: str, **data: Any
) -> None:
    audit_repo.append(
        session,
        AuditEntry(
            key=f"{kind}:{item}:{action}:{by}:{at.isoformat()}",
            at=at,
            actor=by,
            action=f"{kind}.{action}",
            item_kind=kind,
            item_id=item,
            data=dict(data),
        ),
    )


def _group(session: Session, group_id: str) -> Group:
    group = group_repo.get_group(session, group_id)
    if group is None:
        raise NotFound("group", group_id)
    return group


def _stored_plan(session: Session, group_id: str, year: int) -> Plan:
    stored = plan_repo.get_plan(session, group_id, year)
    if stored is None:
        raise NotFound("plan", plan_rules.plan_id(group_id, year))
    return stored.plan


def asker(group: Group, person: Person) -> Asker:
    """The person as a funding request's rules see them in `group`."""
    return Asker(
        person=person.id,
        roles=person.roles,
        coordinator=group.is_coordinator(person.id),
        member=person.member is not None and person.member in group.member_ids,
    )


# -- plans: read by everyone signed in, kept by the Secretariat and the group's coordinators --


def get_plan(db: Database, group_id: str, year: int) -> Plan:
    with db.reading() as session:
        _group(session, group_id)
        return _stored_plan(session, group_id, year)


def list_plans(db: Database, group_id: str) -> list[Plan]:
    with db.reading() as session:
        _group(session, group_id)
        return plan_repo.plans(session, group_id)


def create_plan(db: Database, group_id: str, year: int, person: Person, at: datetime) -> Plan:
    with db.writing() as session:
        group = _group(session, group_id)
        access.check_runner(group, person.id, person.roles, "starting a group's plan")
        if plan_repo.get_plan(session, group_id, year) is not None:
            raise Conflict("the group has a plan for this year", [Problem("year", str(year))])
        plan = plan_rules.new_plan(group, year, at)
        plan_repo.save_plan(session, plan)
        _audit(session, PLAN_KIND, group_id, person.id, at, "plan_started", year=year)
    return plan


def _change_plan(
    db: Database, group_id: str, year: int, person: Person, at: datetime, action: str, change: Any
) -> Plan:
    with db.writing() as session:
        group = _group(session, group_id)
        access.check_runner(group, person.id, person.roles, "changing a group's plan")
        changed: Plan = change(session, _stored_plan(session, group_id, year))
        plan_repo.save_plan(session, changed)
        _audit(session, PLAN_KIND, group_id, person.id, at, action, year=year)
    return changed


def _known_owner(session: Session, deliverable: Deliverable) -> None:
    if registry_repo.get_person(session, deliverable.owner) is None:
        raise InvalidInput(
            "the deliverable's owner is nobody the workspace knows",
            [Problem("owner", f"{deliverable.owner!r} is not a person in the registry")],
        )


def add_deliverable(
    db: Database, group_id: str, year: int, data: dict[str, Any], person: Person, at: datetime
) -> Plan:
    deliverable = made(Deliverable, data)

    def change(session: Session, plan: Plan) -> Plan:
        _known_owner(session, deliverable)
        return plan_rules.add_deliverable(plan, deliverable)

    return _change_plan(db, group_id, year, person, at, "deliverable_added", change)


def set_deliverable_status(
    db: Database,
    group_id: str,
    year: int,
    deliverable_id: str,
    status: DeliverableStatus,
    person: Person,
    at: datetime,
) -> Plan:
    return _change_plan(
        db,
        group_id,
        year,
        person,
        at,
        f"deliverable_{status.value}",
        lambda _s, plan: plan_rules.change_deliverable(plan, deliverable_id, status),
    )


def add_budget_line(
    db: Database, group_id: str, year: int, data: dict[str, Any], person: Person, at: datetime
) -> Plan:
    line = made(BudgetLine, data)
    return _change_plan(
        db,
        group_id,
        year,
        person,
        at,
        "budget_line_added",
        lambda _s, plan: plan_rules.add_budget_line(plan, line),
    )


# -- funding requests: confidential to the group, the Secretariat and the Steering Committee --


def _request_seen(
    session: Session, request_id: str, person: Person
) -> tuple[FundingRequest, Group]:
    request = plan_repo.get_request(session, request_id)
    if request is None:
        raise NotFound("funding request", request_id)
    group = _group(session, request.group_id)
    if not funding_rules.may_see(asker(group, person)):
        # to whoever may not see it, a request does not exist
        raise NotFound("funding request", request_id)
    return request, group


def get_request(db: Database, request_id: str, person: Person) -> FundingRequest:
    with db.reading() as session:
        return _request_seen(session, request_id, person)[0]


def list_requests(db: Database, group_id: str, person: Person) -> list[FundingRequest]:
    """The group's requests; none for whoever may not see them."""
    with db.reading() as session:
        group = _group(session, group_id)
        if not funding_rules.may_see(asker(group, person)):
            return []
        return plan_repo.requests(session, group_id)


def may_see_requests(db: Database, group_id: str, person: Person) -> bool:
    with db.reading() as session:
        return funding_rules.may_see(asker(_group(session, group_id), person))


def _store_step(
    session: Session,
    before: FundingRequest | None,
    after: FundingRequest,
    group: Group,
    person: Person,
    at: datetime,
    action: str,
) -> None:
    plan_repo.save_request(session, after)
    notices = step_notices(before, after, parties(session, group), at)
    plan_repo.issue(session, after.group_id, after.year, notices)
    _audit(session, FUNDING_KIND, after.id, person.id, at, action, state=after.state.value)


def request_funding(
    db: Database, group_id: str, data: dict[str, Any], person: Person, at: datetime
) -> FundingRequest:
    """A coordinator asks for funds against the group's plan of `data["year"]`."""
    wanted = made(FundingAsk, data)
    with db.writing() as session:
        group = _group(session, group_id)
        _stored_plan(session, group_id, wanted.year)
        if plan_repo.get_request(session, wanted.id) is not None:
            raise Conflict("the request exists already", [Problem("id", f"{wanted.id!r}")])
        after = funding_rules.request_funding(
            wanted.id,
            group_id,
            wanted.year,
            wanted.amount,
            wanted.purpose,
            asker(group, person),
            at,
        )
        _store_step(session, None, after, group, person, at, "requested")
    return after


def _funding_step(
    db: Database, request_id: str, person: Person, at: datetime, action: str, change: Any
) -> FundingRequest:
    with db.writing() as session:
        before, group = _request_seen(session, request_id, person)
        after: FundingRequest = change(session, before, asker(group, person))
        _store_step(session, before, after, group, person, at, action)
    return after


def check_request(
    db: Database,
    request_id: str,
    complete: bool,
    missing: str,
    person: Person,
    at: datetime,
    rulebook: Rulebook,
) -> FundingRequest:
    """The Secretariat's completeness check: to the Steering Committee, or back to the group."""

    def change(session: Session, before: FundingRequest, who: Asker) -> FundingRequest:
        if not complete:
            return funding_rules.return_incomplete(before, who, missing)
        reviewers = tuple(registry_repo.people_with_role(session, Role.STEERING_COMMITTEE))
        return funding_rules.start_review(before, who, reviewers, at, rulebook)

    action = "review_started" if complete else "returned"
    return _funding_step(db, request_id, person, at, action, change)


def complete_request(
    db: Database,
    request_id: str,
    amount: Money | None,
    purpose: str | None,
    person: Person,
    at: datetime,
) -> FundingRequest:
    return _funding_step(
        db,
        request_id,
        person,
        at,
        "completed",
        lambda _s, before, who: funding_rules.resubmit(before, who, amount, purpose, at),
    )


def recommend(
    db: Database,
    request_id: str,
    recommendation: Recommendation,
    comment: str,
    person: Person,
    at: datetime,
    rulebook: Rulebook,
) -> FundingRequest:
    return _funding_step(
        db,
        request_id,
        person,
        at,
        "recommended",
        lambda _s, before, who: funding_rules.recommend(
            before, who, recommendation, comment, at, rulebook
        ),
    )


def report_use(
    db: Database, request_id: str, spent: Money, report: str, person: Person, at: datetime
) -> FundingRequest:
    return _funding_step(
        db,
        request_id,
        person,
        at,
        "use_reported",
        lambda _s, before, who: funding_rules.report_use(before, who, spent, report, at),
    )


def report_overdue(request: FundingRequest, rulebook: Rulebook, now: datetime) -> bool:
    return request.report_overdue(local_date(now, rulebook.initiative.timezone))


def open_plans(db: Database) -> list[tuple[str, int]]:
    """Every plan with an open deliverable or a request still under way: its workflow must run
    (a step recorded while Temporal was lost has its notices waiting in the outbox)."""
    with db.reading() as session:
        found = {
            (p.group_id, p.year)
            for p in plan_repo.plans(session)
            if any(d.open for d in p.deliverables)
        }
        found |= {
            (r.group_id, r.year)
            for r in plan_repo.requests(session)
            if r.state not in funding_rules.FINAL
        }
    return sorted(found)


def _money(amount: str, currency: str, field: str) -> Money:
    return made(Money, {"amount": amount, "currency": currency}, prefix=field)


def _person(db: Database, person_id: str) -> Person:
    with db.reading() as session:
        person = registry_repo.get_person(session, person_id)
    if person is None:
        raise NotFound("person", person_id)
    return person


@dataclass
class GroupPlanService:
    """The steps above, each followed by a wake of the plan's workflow."""

    client: Client
    db: Database
    rulebook: Rulebook
    task_queue: str
    clock_offset: timedelta = timedelta(0)

    async def wake(self, group_id: str, year: int) -> None:
        try:
            await wake_group_plan(self.client, self.task_queue, group_id, year, self.clock_offset)
        except Exception as exc:
            if not unreachable(exc):
                raise
            # recorded, its notices in the plan's outbox; a worker that starts wakes every
            # open plan
            raise ServiceUnavailable(
                "the workflow service was lost after the step was recorded; its notices wait"
            ) from exc

    async def after(self, plan: Plan) -> Plan:
        await self.wake(plan.group_id, plan.year)
        return plan

    async def after_request(self, request: FundingRequest) -> FundingRequest:
        await self.wake(request.group_id, request.year)
        return request

    def with_offset(self, clock_offset: timedelta) -> GroupPlanService:
        return replace(self, clock_offset=clock_offset)

    async def perform(self, request: PlanRequest, at: datetime) -> None:
        """A request as a rehearsal (or any caller holding only a person id) makes it."""
        db, by, rules = self.db, _person(self.db, request.by), self.rulebook
        match request:
            case StartGroupPlan():
                await self.after(create_plan(db, request.group, request.year, by, at))
            case AddPlanDeliverable():
                data = request.model_dump(include={"id", "title", "owner", "due"})
                await self.after(add_deliverable(db, request.group, request.year, data, by, at))
            case SetDeliverableStatus():
                changed = set_deliverable_status(
                    db, request.group, request.year, request.deliverable, request.status, by, at
                )
                await self.after(changed)
            case AddBudgetLine():
                data = request.model_dump(include={"id", "label", "amount", "currency"})
                await self.after(add_budget_line(db, request.group, request.year, data, by, at))
            case RequestGroupFunding():
                ask = request.model_dump(include={"id", "year", "purpose"})
                ask["amount"] = {"amount": request.amount, "currency": request.currency}
                await self.after_request(request_funding(db, request.group, ask, by, at))
            case CheckGroupFunding():
                checked = check_request(
                    db, request.request, request.complete, request.missing, by, at, rules
                )
                await self.after_request(checked)
            case CompleteGroupFunding():
                amount = None
                if request.amount is not None or request.currency is not None:
                    amount = _money(request.amount or "", request.currency or "", "amount")
                completed = complete_request(db, request.request, amount, request.purpose, by, at)
                await self.after_request(completed)
            case RecommendGroupFunding():
                said = recommend(
                    db, request.request, request.recommendation, request.comment, by, at, rules
                )
                await self.after_request(said)
            case ReportGroupFundingUse():
                spent = _money(request.spent, request.currency, "spent")
                reported = report_use(db, request.request, spent, request.report, by, at)
                await self.after_request(reported)


async def wake_open_plans(
    client: Client, db: Database, task_queue: str, clock_offset: timedelta
) -> list[str]:
    return [
        await wake_group_plan(client, task_queue, group_id, year, clock_offset)
        for group_id, year in open_plans(db)
    ]


__all__ = ["FundingState", "GroupPlanService"]
