"""Groups' annual plans and funding requests, as the API, the web, the CLI and rehearsals drive
and read them.

Every step is a request naming who asks (governance/groups/plan_requests.py), decided by the
pure rules (governance.groups.plans, .funding) and written with its audit entry and notices in
one transaction; then the plan's workflow is told (started if none runs), and it delivers the
notices and keeps the plan's time. A refused step writes nothing. A step sent with an
idempotency key keeps a receipt in its transaction (persistence/commands/receipts.py): sent
again after Temporal was lost between the write and the signal, it answers as the first time
and only signals.

Plans are read by everyone signed in, like the registry of groups; funding requests only by the
group's coordinators and members, the Secretariat and the Steering Committee: to anyone else a
request does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session
from temporalio.client import Client

from governance.groups import access
from governance.groups import funding as funding_rules
from governance.groups import plans as plan_rules
from governance.groups.followup import overdue_on_adding, step_notices
from governance.groups.funding import Asker, FundingAsk, FundingRequest
from governance.groups.model import Group
from governance.groups.money import Money, Spent
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
from governance.groups.plans import BudgetLine, Deliverable, Plan
from governance.kernel.audit import AuditEntry
from governance.kernel.errors import Conflict, InvalidInput, NotFound, Problem
from governance.kernel.messages import say
from governance.kernel.model import MemberStatus, Person
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from govsched.persistence.commands import receipts
from govsched.persistence.commands.group_plans import (
    committee,
    parties,
    sitting_reviewers,
    standing_aside,
)
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.groups import existing_group, made
from govsched.temporal.client import ServiceUnavailable, unreachable
from govsched.temporal.starters import wake_group_plan

PLAN_KIND = "icig"
FUNDING_KIND = "icig_funding"
# The receipts of plan and funding steps (govsched.persistence.commands.receipts).
RECEIPTS = "icig-plan"

Outcome = Plan | FundingRequest


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


def _stored_plan(session: Session, group_id: str, year: int) -> Plan:
    stored = plan_repo.get_plan(session, group_id, year)
    if stored is None:
        raise NotFound("plan", plan_rules.plan_id(group_id, year))
    return stored.plan


def _person(session: Session, person_id: str) -> Person:
    person = registry_repo.get_person(session, person_id)
    if person is None:
        raise NotFound("person", person_id)
    return person


def asker(group: Group, person: Person, member_status: MemberStatus | None = None) -> Asker:
    """The person as a funding request's rules see them in `group`; `member_status`: their
    member's status now (None: no member, or not read)."""
    member = person.member
    return Asker(
        person=person.id,
        roles=person.roles,
        coordinator=group.acts_as_coordinator(person.id),
        member=member is not None and member in group.member_ids,
        own_member=None if member is None or member_status is None else (member, member_status),
    )


def _asker(session: Session, group: Group, person: Person) -> Asker:
    """`asker`, with the person's member's status read in `session`."""
    facts = registry_repo.member_facts(session, person.member)
    return asker(group, person, None if facts is None else facts.status)


def _money(amount: str, currency: str, field: str) -> Money:
    return made(Money, {"amount": amount, "currency": currency}, prefix=field)


# -- reading --


def get_plan(db: Database, group_id: str, year: int) -> Plan:
    with db.reading() as session:
        existing_group(session, group_id)
        return _stored_plan(session, group_id, year)


def list_plans(db: Database, group_id: str) -> list[Plan]:
    with db.reading() as session:
        existing_group(session, group_id)
        return plan_repo.plans(session, group_id)


def _request_seen(
    session: Session, request_id: str, person: Person
) -> tuple[FundingRequest, Group]:
    request = plan_repo.get_request(session, request_id)
    if request is None:
        raise NotFound("funding request", request_id)
    group = existing_group(session, request.group_id)
    if not funding_rules.may_see(_asker(session, group, person)):
        # to whoever may not see it, a request does not exist
        raise NotFound("funding request", request_id)
    return request, group


def get_request(db: Database, request_id: str, person: Person) -> FundingRequest:
    with db.reading() as session:
        request = _request_seen(session, request_id, person)[0]
    return funding_rules.as_read_by(request, person.roles)


def list_requests(db: Database, group_id: str, person: Person) -> list[FundingRequest]:
    """The group's requests; none for whoever may not see them."""
    with db.reading() as session:
        group = existing_group(session, group_id)
        if not funding_rules.may_see(_asker(session, group, person)):
            return []
        requests = plan_repo.requests(session, group_id)
    return [funding_rules.as_read_by(r, person.roles) for r in requests]


def may_see_requests(db: Database, group_id: str, person: Person) -> bool:
    with db.reading() as session:
        return funding_rules.may_see(_asker(session, existing_group(session, group_id), person))


def report_overdue(request: FundingRequest, rulebook: Rulebook, now: datetime) -> bool:
    return request.report_overdue(local_date(now, rulebook.initiative.timezone))


# -- the steps, each inside the caller's transaction --


def _change_plan(
    session: Session, group_id: str, year: int, by: Person, at: datetime, action: str, change: Any
) -> Plan:
    group = existing_group(session, group_id)
    access.check_runner(group, by.id, by.roles, say("changing a group's plan"))
    changed: Plan = change(_stored_plan(session, group_id, year))
    plan_repo.save_plan(session, changed)
    _audit(session, PLAN_KIND, group_id, by.id, at, action, year=year)
    return changed


def _start_plan(session: Session, request: StartGroupPlan, by: Person, at: datetime) -> Plan:
    group = existing_group(session, request.group)
    access.check_runner(group, by.id, by.roles, say("starting a group's plan"))
    if plan_repo.get_plan(session, request.group, request.year) is not None:
        raise Conflict(
            say("the group has a plan for this year"), [Problem("year", str(request.year))]
        )
    plan = plan_rules.new_plan(group, request.year, at)
    plan_repo.save_plan(session, plan)
    _audit(session, PLAN_KIND, group.id, by.id, at, "plan_started", year=request.year)
    return plan


def _add_deliverable(
    session: Session, request: AddPlanDeliverable, by: Person, at: datetime
) -> Plan:
    data = request.model_dump(include={"id", "title", "owner", "due"})
    deliverable = made(Deliverable, data, prefix="")
    if registry_repo.get_person(session, deliverable.owner) is None:
        raise InvalidInput(
            say("the deliverable's owner is nobody the workspace knows"),
            [
                Problem(
                    "owner",
                    say("%(owner)r is not a person in the registry", owner=deliverable.owner),
                )
            ],
        )
    plan = _change_plan(
        session,
        request.group,
        request.year,
        by,
        at,
        "deliverable_added",
        lambda plan: plan_rules.add_deliverable(plan, deliverable),
    )
    group = existing_group(session, request.group)
    late = overdue_on_adding(plan, deliverable, parties(session, group), at)
    if late:
        plan_repo.issue(session, group.id, plan.year, late)
    return plan


def _set_deliverable_status(
    session: Session, request: SetDeliverableStatus, by: Person, at: datetime
) -> Plan:
    """The runners' change, and also the owner's own: asked before anything is changed."""
    group = existing_group(session, request.group)
    stored = plan_repo.get_plan(session, request.group, request.year)
    found = stored.plan.deliverable(request.deliverable) if stored else None
    # who may is asked first: only those who may change a status learn whether a plan exists
    access.check_deliverable_status(group, found.owner if found else None, by.id, by.roles)
    plan = _stored_plan(session, request.group, request.year)
    changed = plan_rules.change_deliverable(plan, request.deliverable, request.status)
    plan_repo.save_plan(session, changed)
    action = f"deliverable_{request.status.value}"
    _audit(session, PLAN_KIND, group.id, by.id, at, action, year=request.year)
    return changed


def _add_budget_line(session: Session, request: AddBudgetLine, by: Person, at: datetime) -> Plan:
    data = request.model_dump(include={"id", "label", "amount", "currency"})
    line = made(BudgetLine, data, prefix="")
    return _change_plan(
        session,
        request.group,
        request.year,
        by,
        at,
        "budget_line_added",
        lambda plan: plan_rules.add_budget_line(plan, line),
    )


def _store_step(
    session: Session,
    before: FundingRequest | None,
    after: FundingRequest,
    group: Group,
    by: Person,
    at: datetime,
    action: str,
) -> FundingRequest:
    plan_repo.save_request(session, after)
    notices = step_notices(before, after, parties(session, group), at)
    plan_repo.issue(session, after.group_id, after.year, notices)
    _audit(session, FUNDING_KIND, after.id, by.id, at, action, state=after.state.value)
    return after


def _request_funding(
    session: Session, request: RequestGroupFunding, by: Person, at: datetime
) -> FundingRequest:
    ask = request.model_dump(include={"id", "year", "purpose"})
    ask["amount"] = {"amount": request.amount, "currency": request.currency}
    wanted = made(FundingAsk, ask, prefix="")
    group = existing_group(session, request.group)
    # who asks is decided first: only a coordinator learns whether a plan or an id exists
    after = funding_rules.request_funding(
        wanted.id,
        group.id,
        wanted.year,
        wanted.amount,
        wanted.purpose,
        _asker(session, group, by),
        at,
    )
    _stored_plan(session, group.id, wanted.year)
    if plan_repo.get_request(session, wanted.id) is not None:
        raise Conflict(
            say("the request exists already"), [Problem("id", say("%(id)r is taken", id=wanted.id))]
        )
    return _store_step(session, None, after, group, by, at, "requested")


def _funding_step(
    session: Session,
    request: PlanRequest,
    by: Person,
    at: datetime,
    rulebook: Rulebook,
) -> FundingRequest:
    assert not isinstance(request, StartGroupPlan | AddPlanDeliverable | SetDeliverableStatus)
    assert not isinstance(request, AddBudgetLine | RequestGroupFunding)
    before, group = _request_seen(session, request.request, by)
    who = _asker(session, group, by)
    match request:
        case CheckGroupFunding(complete=False):
            after, action = (
                funding_rules.return_incomplete(before, who, request.missing),
                "returned",
            )
        case CheckGroupFunding():
            reviewers = committee(session)
            aside = standing_aside(session, group, reviewers)
            after = funding_rules.start_review(before, who, reviewers, at, rulebook, aside)
            action = "review_started"
        case CompleteGroupFunding():
            amount = None
            if request.amount is not None or request.currency is not None:
                amount = _money(request.amount or "", request.currency or "", "amount")
            after = funding_rules.resubmit(before, who, amount, request.purpose, at)
            action = "completed"
        case RecommendGroupFunding():
            sitting = sitting_reviewers(session, group)
            after = funding_rules.recommend(
                before, who, request.recommendation, request.comment, at, rulebook, sitting
            )
            action = "recommended"
        case ReportGroupFundingUse():
            data = {"amount": request.spent, "currency": request.currency}
            spent = made(Spent, data, prefix="spent")
            after = funding_rules.report_use(before, who, spent, request.report, at)
            action = "use_reported"
    return _store_step(session, before, after, group, by, at, action)


def _apply(
    session: Session, request: PlanRequest, by: Person, at: datetime, rulebook: Rulebook
) -> Outcome:
    match request:
        case StartGroupPlan():
            return _start_plan(session, request, by, at)
        case AddPlanDeliverable():
            return _add_deliverable(session, request, by, at)
        case SetDeliverableStatus():
            return _set_deliverable_status(session, request, by, at)
        case AddBudgetLine():
            return _add_budget_line(session, request, by, at)
        case RequestGroupFunding():
            return _request_funding(session, request, by, at)
    return _funding_step(session, request, by, at, rulebook)


def _as_receipt(outcome: Outcome) -> dict[str, Any]:
    kind = "plan" if isinstance(outcome, Plan) else "funding_request"
    return {"kind": kind, "document": outcome.model_dump(mode="json")}


def _from_receipt(stored: dict[str, Any]) -> Outcome:
    if stored["kind"] == "plan":
        return Plan.model_validate(stored["document"])
    return FundingRequest.model_validate(stored["document"])


_ON_A_REQUEST = (
    CheckGroupFunding,
    CompleteGroupFunding,
    RecommendGroupFunding,
    ReportGroupFundingUse,
)


def _group_asked(session: Session, request: PlanRequest) -> str:
    """The group a step is about: named by the step, or the group of the request it names (a
    request nobody made is refused later, as unknown)."""
    if isinstance(request, _ON_A_REQUEST):
        return plan_repo.group_of_request(session, request.request) or ""
    return request.group


def record(
    db: Database, request: PlanRequest, at: datetime, rulebook: Rulebook, key: str | None = None
) -> Outcome:
    """Apply the step in one write transaction (no workflow involved); a step whose `key` was
    applied before is not applied again: what it answered then comes back. Steps on one group
    are applied one after the other, each reading what the one before wrote (`group_repo.lock`:
    a step reads a plan or a request, changes it and writes it whole, and adds to the plan's
    outbox)."""
    with db.writing() as session:
        group_repo.lock(session, _group_asked(session, request))
        by = _person(session, request.by)
        done = receipts.earlier(session, RECEIPTS, key, request) if key else None
        if done is not None:
            return _as_read_by(_from_receipt(done), by)
        outcome = _apply(session, request, by, at, rulebook)
        if key is not None:
            receipts.keep(session, RECEIPTS, key, request, at, _as_receipt(outcome))
    return _as_read_by(outcome, by)


def _as_read_by(outcome: Outcome, person: Person) -> Outcome:
    """What the step answers its caller: a request as they may read it."""
    if isinstance(outcome, FundingRequest):
        return funding_rules.as_read_by(outcome, person.roles)
    return outcome


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


@dataclass
class GroupPlanService:
    """The steps, each followed by a wake of the plan's workflow."""

    client: Client
    db: Database
    rulebook: Rulebook
    task_queue: str
    clock_offset: timedelta = timedelta(0)

    async def perform(self, request: PlanRequest, at: datetime, key: str | None = None) -> Outcome:
        outcome = record(self.db, request, at, self.rulebook, key)
        group_id = outcome.group_id
        try:
            await wake_group_plan(
                self.client, self.task_queue, group_id, outcome.year, self.clock_offset
            )
        except Exception as exc:
            if not unreachable(exc):
                raise
            # recorded, its notices in the plan's outbox; the repeat (same key) only signals,
            # and a worker that starts wakes every open plan
            raise ServiceUnavailable(
                say("the workflow service was lost after the step was recorded; its notices wait"),
                key,
            ) from exc
        return outcome


async def wake_open_plans(
    client: Client, db: Database, task_queue: str, clock_offset: timedelta
) -> list[str]:
    return [
        await wake_group_plan(client, task_queue, group_id, year, clock_offset)
        for group_id, year in open_plans(db)
    ]
