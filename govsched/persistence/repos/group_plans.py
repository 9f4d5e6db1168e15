"""Groups' annual plans (with their follow-up's outbox) and funding requests, as documents the
governance models validate again when read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.groups.funding import FundingRequest
from governance.groups.plans import Plan
from governance.kernel.notices import Notification
from govsched.persistence.tables import GroupFundingRequestRow, GroupPlanRow

_NOTICES = TypeAdapter(list[Notification])


@dataclass(frozen=True, slots=True)
class StoredPlan:
    plan: Plan
    outbox: list[Notification]
    looked_through: datetime | None


def get_plan(session: Session, group_id: str, year: int) -> StoredPlan | None:
    row = session.get(GroupPlanRow, (group_id, year))
    if row is None:
        return None
    return StoredPlan(
        Plan.model_validate(row.document),
        _NOTICES.validate_python(row.outbox),
        row.looked_through,
    )


def plans(session: Session, group_id: str | None = None) -> list[Plan]:
    query = select(GroupPlanRow).order_by(GroupPlanRow.group_id, GroupPlanRow.year)
    if group_id is not None:
        query = query.where(GroupPlanRow.group_id == group_id)
    return [Plan.model_validate(r.document) for r in session.scalars(query)]


def save_plan(session: Session, plan: Plan) -> None:
    row = session.get(GroupPlanRow, (plan.group_id, plan.year))
    document = plan.model_dump(mode="json")
    if row is None:
        session.add(
            GroupPlanRow(group_id=plan.group_id, year=plan.year, document=document, outbox=[])
        )
    else:
        row.document = document
    session.flush()


def issue(
    session: Session,
    group_id: str,
    year: int,
    notices: list[Notification],
    looked_through: datetime | None = None,
) -> None:
    """Add notices to the plan's outbox (its workflow delivers them), and move the instant its
    timed steps were looked at up to `looked_through`."""
    row = session.get(GroupPlanRow, (group_id, year))
    assert row is not None, "a plan's notices are issued once it is stored"
    if notices:
        row.outbox = [*row.outbox, *_NOTICES.dump_python(notices, mode="json")]
    if looked_through is not None:
        row.looked_through = looked_through
    session.flush()


def group_of_request(session: Session, request_id: str) -> str | None:
    """The group a funding request belongs to (it never changes), read without loading the
    request, so a step can lock the group before it reads the request itself."""
    query = select(GroupFundingRequestRow.group_id).where(GroupFundingRequestRow.id == request_id)
    return session.scalar(query)


def get_request(session: Session, request_id: str) -> FundingRequest | None:
    row = session.get(GroupFundingRequestRow, request_id)
    return None if row is None else FundingRequest.model_validate(row.document)


def requests(
    session: Session, group_id: str | None = None, year: int | None = None
) -> list[FundingRequest]:
    query = select(GroupFundingRequestRow).order_by(GroupFundingRequestRow.id)
    if group_id is not None:
        query = query.where(GroupFundingRequestRow.group_id == group_id)
    if year is not None:
        query = query.where(GroupFundingRequestRow.year == year)
    return [FundingRequest.model_validate(r.document) for r in session.scalars(query)]


def save_request(session: Session, request: FundingRequest) -> None:
    row = session.get(GroupFundingRequestRow, request.id)
    document = request.model_dump(mode="json")
    if row is None:
        session.add(
            GroupFundingRequestRow(
                id=request.id,
                group_id=request.group_id,
                year=request.year,
                state=request.state.value,
                document=document,
            )
        )
    else:
        row.state = request.state.value
        row.document = document
    session.flush()
