"""The Chair handover's stores: what is due now, and moving the Chair at the handover.

The move loads the handover, the outgoing term and the Chair's open tasks, lets the pure rule
hand over, and stores the terms, the role on people and the briefing in one transaction, with
its outcome under its key: a retry after the move committed returns the notices recorded then.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from governance.applications.model import ApplicationState
from governance.kernel.audit import SYSTEM_ACTOR, AuditEntry
from governance.kernel.model import Role
from governance.kernel.notices import Notification
from governance.rulebook.model import Rulebook
from governance.year.handover.contracts import (
    HandoverRequest,
    HandoverStatus,
)
from governance.year.handover.rules import (
    ChairTasks,
    Handover,
    HandoverDue,
    Owners,
    WaitingApplication,
    chair_since,
    hand_over,
    held_over_until,
    ready,
    what_is_due,
)
from governance.year.milestones import ChairHolders, MilestoneStatus
from govsched.persistence.commands.effects import applied_outcome, record_applied
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo


def _names(session: Session, handover: Handover) -> dict[str, str]:
    names = {}
    for member in (handover.outgoing, handover.incoming):
        facts = registry_repo.member_facts(session, member)
        if facts is not None:
            names[facts.id] = facts.name
    return names


def chair_holders(session: Session, now: datetime) -> ChairHolders:
    """Who acts as Chair at `now`, and since when."""
    return ChairHolders(
        people=tuple(registry_repo.people_with_role(session, Role.CHAIR)),
        since=chair_since(registry_repo.list_chair_terms(session), now),
    )


def stalled(session: Session, request: HandoverRequest) -> bool:
    """Has the handover passed with nobody named, the outgoing Chair staying?"""
    handover = handover_repo.get(session, request.year)
    return (
        handover is not None
        and handover.completed_at is None
        and handover.incoming is None
        and handover.outgoing is not None
        and handover.handover_at <= request.now
    )


def hold_over(session: Session, request: HandoverRequest, rulebook: Rulebook) -> None:
    """A stalled handover's outgoing Chair stays (README): its term runs on in the registry,
    until the next handover or a term later (`held_over_until`), and the designation closes it
    then."""
    handover = handover_repo.get(session, request.year)
    if handover is None or handover.outgoing is None or not stalled(session, request):
        return
    following = handover_repo.get(session, request.year + 1)
    until = held_over_until(
        handover, None if following is None else following.handover_at, rulebook
    )
    handover_repo.hold_over(session, handover.outgoing, handover.handover_at, until)


def status(session: Session, request: HandoverRequest, rulebook: Rulebook) -> HandoverStatus:
    """The handover's notices due at `now` and not yet sent, and what comes next."""
    handover = handover_repo.get(session, request.year)
    plenary = None if handover is None else registry_repo.get_plenary(session, handover.plenary_id)
    if handover is None or plenary is None or handover.completed_at is not None:
        return HandoverStatus(notices=[], next_at=None, ready=False, finished=True)
    chairs = chair_holders(session, request.now)
    owners = Owners(
        chairs=chairs.people,
        incoming=tuple(
            registry_repo.focal_points(session, member_id=handover.incoming)
            if handover.incoming
            else ()
        ),
        chair_since=chairs.since,
    )
    due: HandoverDue = what_is_due(
        handover, plenary, request.now, owners, _names(session, handover), rulebook
    )
    unsent = [n for n in due.notices if notification_repo.status_of(session, n.key) is None]
    return HandoverStatus(
        notices=unsent,
        next_at=due.next_at,
        ready=ready(handover, request.now),
        finished=False,
    )


def hand_over_chair(
    session: Session, request: HandoverRequest, rulebook: Rulebook
) -> list[Notification]:
    """Move the Chair: terms, the role on people, the next handover's outgoing Chair.

    Done once: a retry after the move committed returns the notices recorded with it.
    """
    key = f"handover-{request.year}:handed-over"
    stored = applied_outcome(session, key)
    if stored is not None:
        return [Notification.model_validate(n) for n in stored["notices"]]
    handover = handover_repo.get(session, request.year)
    if handover is None or not ready(handover, request.now):
        return []
    assert handover.incoming is not None
    people = registry_repo.focal_points(session, member_id=handover.incoming)
    following = handover_repo.get(session, request.year + 1)
    done = hand_over(
        handover,
        handover_repo.outgoing_term(session, handover.outgoing, handover.handover_at),
        None if following is None else following.handover_at,
        people,
        _chair_tasks(session, handover),
        _names(session, handover),
        rulebook,
    )
    handover_repo.record_handover(session, done, people)
    notices = list(done.notices)
    outcome = {"notices": [n.model_dump(mode="json") for n in notices]}
    record_applied(session, key, request.now, outcome)
    audit_repo.append(
        session,
        AuditEntry(
            key=key,
            at=done.opened.starts,
            actor=SYSTEM_ACTOR,
            action="chair.handed_over",
            item_kind="handover",
            item_id=handover.id,
            reason=notices[0].text,
        ),
    )
    return notices


def _chair_tasks(session: Session, handover: Handover) -> ChairTasks:
    milestones = tuple(
        m
        for m in milestone_repo.open_milestones(session)
        if m.owner_role is Role.CHAIR and m.status is MilestoneStatus.OPEN
    )
    waiting = [
        *application_repo.records(session, ApplicationState.AWAITING_PLENARY),
        *application_repo.records(session, ApplicationState.PROVISIONALLY_ADMITTED),
    ]
    applications = tuple(
        WaitingApplication(
            r.applicant.organisation, r.state is ApplicationState.PROVISIONALLY_ADMITTED
        )
        for r in waiting
    )
    items = tuple(i for i in handover.items if i.completed_at is None)
    return ChairTasks(milestones=milestones, applications=applications, items=items)
