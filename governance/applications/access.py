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
from governance.kernel.messages import Label, Message, say, term
from governance.kernel.model import Frozen, Role
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


def next_step(
    record: ApplicationRecord, labels: Labels, ratifying: Message | None = None
) -> str | None:
    """What happens next, in a sentence that names no reviewer and no recommendation."""
    message = next_step_message(record, labels, ratifying)
    return None if message is None else message.english()


def _label(field: str, labels: Labels) -> Label:
    return Label(key=f"initiative.labels.{field}", text=getattr(labels, field))


def next_step_message(
    record: ApplicationRecord, labels: Labels, ratifying: Message | None = None
) -> Message | None:
    """`next_step` as a message, for the applicant's status page in its reader's language.
    `ratifying`: the name of the plenary asked to ratify a provisional admission; the record
    knows only its id, which would mean nothing to the applicant."""
    deadline = record.deadline
    day = deadline.due_date if deadline is not None else None
    secretariat = _label("secretariat", labels)
    committee = _label("steering_committee", labels)
    plenary = _label("plenary", labels)
    match record.state:
        case S.AWAITING_CHECK:
            return say(
                "The %(secretariat)s checks that the application is complete.",
                secretariat=secretariat,
            )
        case S.INFORMATION_REQUESTED if day is not None:
            return say(
                "The applicant answers the %(secretariat)s's questions by %(day)s.",
                secretariat=secretariat,
                day=day,
            )
        case S.INFORMATION_REQUESTED:
            return say(
                "The applicant answers the %(secretariat)s's questions.", secretariat=secretariat
            )
        case S.COMPLETE:
            return say(
                "The %(secretariat)s opens the %(committee)s's review.",
                secretariat=secretariat,
                committee=committee,
            )
        case S.UNDER_REVIEW if day is not None:
            return say(
                "The %(committee)s reviews the application by %(day)s.",
                committee=committee,
                day=day,
            )
        case S.UNDER_REVIEW:
            return say("The %(committee)s reviews the application.", committee=committee)
        case S.NO_OBJECTION_PERIOD if day is not None:
            return say(
                "Voting members may object by %(day)s; without objection, provisional admission.",
                day=day,
            )
        case S.NO_OBJECTION_PERIOD:
            return say("Voting members may object; without objection, provisional admission.")
        case S.AWAITING_PLENARY:
            return say("The %(plenary)s decides.", plenary=plenary)
        case S.PROVISIONALLY_ADMITTED if ratifying is not None:
            return say("Ratification at %(where)s.", where=term(ratifying))
        case S.PROVISIONALLY_ADMITTED:
            return say("Ratification at the next %(plenary)s.", plenary=plenary)
    return None


def summary(
    record: ApplicationRecord, labels: Labels | None = None, ratifying: Message | None = None
) -> ApplicationSummary:
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
        next_step=next_step(record, labels or Labels(), ratifying),
        outcome=record.outcome,
    )
