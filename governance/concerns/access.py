"""Who may read what of a concern, and how an anonymous filer is masked.

Concerns are stricter than applications: only the parties (the filer, the focal points of the
filer's member and of the member concerned), the Secretariat and, from the review stage on, the
Steering Committee. The Chair sees the stage and deadlines of a case (they extend the dialogue
and receive the late-acknowledgement escalation) but its contents only as a Steering Committee
member. Anyone else is told the case does not exist. An anonymous filer is "anonymous" to
everyone but the Secretariat and the filer's own side.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from governance.concerns.model import (
    ANONYMOUS,
    COMMITTEE,
    REVIEW_STATES,
    ConcernRecord,
    ConcernState,
    Outcome,
    Step,
)
from governance.kernel.actor import Actor
from governance.kernel.model import Frozen, Role


def _reviewed(record: ConcernRecord) -> bool:
    """Has the case reached the Steering Committee (now or before its decision)?"""
    if record.state in REVIEW_STATES:
        return True
    return record.decision is not None and not record.decision.early


def filer_side(record: ConcernRecord, viewer: Actor) -> bool:
    return record.is_filer(viewer.person) or (
        record.filer_member is not None
        and viewer.member == record.filer_member
        and Role.FOCAL_POINT in viewer.roles
    )


def about_side(record: ConcernRecord, viewer: Actor) -> bool:
    return viewer.member == record.about and Role.FOCAL_POINT in viewer.roles


def sees_filer(record: ConcernRecord, viewer: Actor | None) -> bool:
    """`None` is the Secretariat's own export."""
    if viewer is None or not record.anonymous:
        return True
    return Role.SECRETARIAT in viewer.roles or filer_side(record, viewer)


def entitled(record: ConcernRecord, viewer: Actor) -> bool:
    """May `viewer` read the case's contents (summary, evidence, meetings, recommendation)?"""
    if Role.SECRETARIAT in viewer.roles or filer_side(record, viewer):
        return True
    if about_side(record, viewer):
        return True
    return Role.STEERING_COMMITTEE in viewer.roles and _reviewed(record)


def may_see(record: ConcernRecord, viewer: Actor) -> bool:
    """May `viewer` know of the case at all?"""
    return entitled(record, viewer) or Role.CHAIR in viewer.roles


# Who may read the counts of cases by state over time (the web's concerns overview): those who
# oversee the process. Each counts only the cases `may_see` lets them know of.
OVERSEERS = frozenset({Role.SECRETARIAT, Role.CHAIR, Role.STEERING_COMMITTEE})


def oversees(viewer: Actor) -> bool:
    return bool(viewer.roles & OVERSEERS)


def filers_step(record: ConcernRecord, step: Step) -> bool:
    """Was the step the filer's side's (and so masked with the filer when anonymous)?

    When the Secretariat files on behalf of a third party, the filer is that third party: the
    filing is theirs, made through the Secretariat. Every other step a Secretariat member takes
    on the case (acknowledging, referring, deciding, even withdrawing at the party's request) is
    the Secretariat's own and names no one but the Secretariat.
    """
    if record.on_behalf_of is not None:
        return step.action == "concern.filed"
    return step.filer_side or record.is_filer(step.by)


def masked(record: ConcernRecord, step: Step, viewer: Actor | None) -> str:
    """Who took the step, as `viewer` may know it: the filer's whole side is hidden together
    (a colleague's id would name the member as surely as the filer's)."""
    if record.anonymous and filers_step(record, step) and not sees_filer(record, viewer):
        return ANONYMOUS
    if (
        step.action == "concern.recommended"
        and viewer is not None
        and not viewer.roles & {Role.SECRETARIAT, Role.STEERING_COMMITTEE}
        and (filer_side(record, viewer) or about_side(record, viewer))
    ):
        # the parties read the Committee's recommendation, the decision being about them, but
        # not which of its members wrote it down (found by a review; the Committee speaks as one)
        return COMMITTEE
    return step.by


class StepView(Frozen):
    state: ConcernState
    action: str
    at: datetime
    by: str
    note: str = ""


class ConcernView(Frozen):
    id: str
    about: str
    filed_by: str
    filer_member: str | None
    on_behalf_of: str | None
    # the filer's own name for the case (the server made its id), masked with the filer
    reference: str | None = None
    anonymous: bool
    state: ConcernState
    outcome: Outcome | None
    filed_at: datetime
    acknowledge_due: datetime
    dialogue_due: datetime | None
    review_due: datetime | None
    decision_target: datetime | None
    decision_plenary: str | None
    extensions: int
    summary: str | None = None
    evidence: tuple[str, ...] = ()
    meetings: tuple[tuple[date, str], ...] = ()
    recommendation: str | None = None
    follow_ups: tuple[date, ...] = ()
    history: tuple[StepView, ...] = ()


def history_view(record: ConcernRecord, viewer: Actor | None) -> tuple[StepView, ...]:
    contents = viewer is None or entitled(record, viewer)
    return tuple(
        StepView(
            state=s.state,
            action=s.action,
            at=s.at,
            by=masked(record, s, viewer),
            note=s.note if contents else "",
        )
        for s in record.history
    )


def view(record: ConcernRecord, viewer: Actor) -> ConcernView:
    """The case as `viewer` may read it; call only when `may_see` holds."""
    shows_filer = sees_filer(record, viewer)
    contents = entitled(record, viewer)
    decision = record.decision
    return ConcernView(
        id=record.id,
        about=record.about,
        filed_by=record.filed_by if shows_filer else ANONYMOUS,
        filer_member=record.filer_member if shows_filer else None,
        on_behalf_of=record.on_behalf_of if shows_filer else None,
        reference=record.reference if shows_filer else None,
        anonymous=record.anonymous,
        state=record.state,
        outcome=record.outcome,
        filed_at=record.filed_at,
        acknowledge_due=record.acknowledge_due,
        dialogue_due=record.dialogue_due,
        review_due=record.review_due,
        decision_target=record.decision_target,
        decision_plenary=record.decision_plenary,
        extensions=len(record.extensions),
        summary=record.summary if contents else None,
        evidence=record.evidence if contents else (),
        meetings=tuple((m.held_on, m.note) for m in record.meetings) if contents else (),
        recommendation=(record.recommendation.note if contents and record.recommendation else None),
        follow_ups=decision.follow_ups if decision else (),
        history=history_view(record, viewer),
    )


def export_entry(record: ConcernRecord, secretariat: bool) -> dict[str, Any]:
    """The case in a rehearsal's state.json: the filer masked unless it is the Secretariat's own
    export."""
    viewer = None if secretariat else Actor(person="export")
    return {
        "id": record.id,
        "about": record.about,
        "state": record.state.value,
        "outcome": record.outcome.value if record.outcome else None,
        "history": [
            {
                "state": s.state.value,
                "action": s.action,
                "at": s.at,
                "by": s.by,
            }
            for s in history_view(record, viewer)
        ],
    }
