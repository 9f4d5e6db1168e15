"""Who may read what of an application.

The Secretariat and the Steering Committee see everything. An Engaged member sees its own request
for Full membership. Full members' focal points see the summary of an application while it is
in its no-objection period (they may object to it). Everyone sees an admission once it is
announced. Anyone else is told the application does not exist, so its existence does not leak.
"""

from __future__ import annotations

from datetime import date

from governance.applications.model import ApplicationKind, ApplicationRecord, ApplicationState
from governance.kernel.actor import Actor
from governance.kernel.model import Frozen, MemberStatus, Role

_ANNOUNCED = frozenset({ApplicationState.PROVISIONALLY_ADMITTED, ApplicationState.ADMITTED})


class ApplicationSummary(Frozen):
    id: str
    kind: ApplicationKind
    organisation: str
    pillar: str
    country: str
    state: ApplicationState
    window: date | None
    decided_at: str | None
    next_deadline: date | None = None


def entitled(record: ApplicationRecord, viewer: Actor) -> bool:
    """May `viewer` read the whole application (statement, recommendations, objections)?"""
    if viewer.roles & {Role.SECRETARIAT, Role.STEERING_COMMITTEE}:
        return True
    return (
        record.kind is ApplicationKind.FULL_MEMBERSHIP
        and record.member is not None
        and viewer.member == record.member
    )


def may_see(record: ApplicationRecord, viewer: Actor) -> bool:
    """May `viewer` know of the application at all (its summary)?"""
    if entitled(record, viewer) or record.state in _ANNOUNCED:
        return True
    objector = Role.FOCAL_POINT in viewer.roles and viewer.member_status is MemberStatus.FULL
    return record.state is ApplicationState.NO_OBJECTION_PERIOD and objector


def summary(record: ApplicationRecord, viewer: Actor) -> ApplicationSummary:
    deadline = record.deadline.due_date if record.deadline and entitled(record, viewer) else None
    return ApplicationSummary(
        id=record.id,
        kind=record.kind,
        organisation=record.applicant.organisation,
        pillar=record.applicant.pillar.value,
        country=record.applicant.country,
        state=record.state,
        window=record.window,
        decided_at=record.decided_at.isoformat() if record.decided_at else None,
        next_deadline=deadline,
    )
