"""Who may read what of an application.

The Secretariat and the Steering Committee see everything: the statement, the history, who
recommended what and why, the objections. The member asking for Full membership follows its own
request, voting members' focal points see an application while it is in its no-objection
period (they may object to it), the Chair one awaiting the plenary's decision (which the Chair
may record), and everyone an admission once it is announced. All of these see
the summary only: the state, the next step and the outcome, never who recommended what. Anyone
else is told the application does not exist, exactly as for an id nobody ever used, so its
existence does not leak (`visible` is that answer, given before any role or state check).
"""

from __future__ import annotations

from datetime import date

from governance.applications.model import ApplicationKind, ApplicationRecord, ApplicationState
from governance.kernel.actor import Actor
from governance.kernel.errors import NotFound
from governance.kernel.model import Frozen, Role
from governance.kernel.wording import day_text
from governance.rulebook.model import Labels

S = ApplicationState
_ANNOUNCED = frozenset({S.PROVISIONALLY_ADMITTED, S.ADMITTED})
_STAFF = frozenset({Role.SECRETARIAT, Role.STEERING_COMMITTEE})


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
    next_step: str | None = None
    outcome: ApplicationState | None = None


def entitled(_record: ApplicationRecord, viewer: Actor) -> bool:
    """May `viewer` read the whole application (statement, recommendations and comments,
    objections)? The Secretariat and the Steering Committee, whichever application it is; the
    applicant member is not (it would see who recommended what during the review)."""
    return bool(viewer.roles & _STAFF)


def applicant_side(record: ApplicationRecord, viewer: Actor) -> bool:
    """Is `viewer` a person of the member asking for Full membership in this application?"""
    return (
        record.kind is ApplicationKind.FULL_MEMBERSHIP
        and record.member is not None
        and viewer.member == record.member
    )


def may_see(record: ApplicationRecord, viewer: Actor) -> bool:
    """May `viewer` know of the application at all (its summary)?"""
    if entitled(record, viewer) or applicant_side(record, viewer):
        return True
    if record.state in _ANNOUNCED:
        return True
    if record.state is S.AWAITING_PLENARY and Role.CHAIR in viewer.roles:
        return True  # the Chair presides over the plenary's decision and may record it
    return record.state is S.NO_OBJECTION_PERIOD and viewer.objector


def visible(
    record: ApplicationRecord | None, viewer: Actor, application_id: str
) -> ApplicationRecord:
    """The record, or the unknown-id answer for one `viewer` may not know of: asked before any
    role or state check, so no verb tells a real id from one never used."""
    if record is None or not may_see(record, viewer):
        raise NotFound("application", application_id)
    return record


def next_step(record: ApplicationRecord, labels: Labels) -> str | None:
    """What happens next, in a sentence that names no reviewer and no recommendation."""
    deadline = record.deadline
    by = f" by {day_text(deadline.due_date)}" if deadline is not None else ""
    sc, plenary = labels.steering_committee, labels.plenary
    match record.state:
        case S.AWAITING_CHECK:
            return f"The {labels.secretariat} checks that the application is complete."
        case S.INFORMATION_REQUESTED:
            return f"The applicant answers the {labels.secretariat}'s questions{by}."
        case S.COMPLETE:
            return f"The {labels.secretariat} opens the {sc}'s review."
        case S.UNDER_REVIEW:
            return f"The {sc} reviews the application{by}."
        case S.NO_OBJECTION_PERIOD:
            return f"Voting members may object{by}; without objection, provisional admission."
        case S.AWAITING_PLENARY:
            return f"The {plenary} decides."
        case S.PROVISIONALLY_ADMITTED:
            where = record.ratification_plenary or f"the next {plenary}"
            return f"Ratification at {where}."
    return None


def summary(record: ApplicationRecord, labels: Labels | None = None) -> ApplicationSummary:
    """The application as anyone who may see it reads it; call only when `may_see` holds. The
    deadline is the next step's (a voting member was told the no-objection deadline anyway)."""
    deadline = record.deadline.due_date if record.deadline else None
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
        next_step=next_step(record, labels or Labels()),
        outcome=record.outcome,
    )
