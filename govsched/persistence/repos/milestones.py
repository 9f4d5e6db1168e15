"""Plenary milestones: their due dates and who completed them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.kernel.model import Role
from governance.year.milestones import MilestoneStatus, PlannedMilestone
from govsched.persistence.tables import MilestoneRow


def _milestone(row: MilestoneRow) -> PlannedMilestone:
    return PlannedMilestone(
        plenary_id=row.plenary_id,
        year=row.year,
        key=row.key,
        title=row.title,
        due=row.due,
        owner_role=Role(row.owner_role),
        public=row.public,
        follow_up=row.follow_up,
        status=MilestoneStatus(row.status),
        completed_at=row.completed_at,
        completed_by=row.completed_by,
        planned_at=row.planned_at,
    )


def save(session: Session, milestones: Iterable[PlannedMilestone]) -> None:
    """Record each milestone, or its new due date or status."""
    for m in milestones:
        session.merge(
            MilestoneRow(
                plenary_id=m.plenary_id,
                key=m.key,
                year=m.year,
                title=m.title,
                due=m.due,
                owner_role=m.owner_role.value,
                public=m.public,
                follow_up=m.follow_up,
                status=m.status.value,
                completed_at=m.completed_at,
                completed_by=m.completed_by,
                planned_at=m.planned_at,
            )
        )


def of_plenary(session: Session, plenary_id: str) -> tuple[PlannedMilestone, ...]:
    query = select(MilestoneRow).where(MilestoneRow.plenary_id == plenary_id)
    return tuple(_milestone(r) for r in session.scalars(query.order_by(MilestoneRow.due)))


def open_milestones(session: Session) -> list[PlannedMilestone]:
    query = select(MilestoneRow).where(MilestoneRow.status == MilestoneStatus.OPEN.value)
    rows = session.scalars(query.order_by(MilestoneRow.due, MilestoneRow.plenary_id))
    return [_milestone(r) for r in rows]


def all_milestones(session: Session) -> list[PlannedMilestone]:
    query = select(MilestoneRow).order_by(
        MilestoneRow.year, MilestoneRow.due, MilestoneRow.plenary_id, MilestoneRow.key
    )
    return [_milestone(r) for r in session.scalars(query)]
