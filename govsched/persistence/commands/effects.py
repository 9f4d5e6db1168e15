"""Writing what an accepted registry command causes, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from governance.kernel.audit import AuditEntry
from governance.registry.changes import Effects
from governance.year.handover.rules import carried_to_handover
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import roster as roster_repo
from govsched.persistence.tables import AppliedCommandRow


def store_effects(session: Session, effects: Effects, audit: AuditEntry, at: datetime) -> None:
    if effects.member is not None:
        registry_repo.save_member(session, effects.member)
    if effects.status_change is not None:
        assert effects.status_day is not None
        registry_repo.record_status_change(
            session, effects.item_id, effects.status_change, effects.status_day
        )
    if effects.new_roles is not None:
        registry_repo.set_roles(session, effects.new_roles)
    if effects.person is not None:
        registry_repo.save_person(session, effects.person)
    if effects.plenary is not None:
        registry_repo.save_plenary(session, effects.plenary)
    if effects.chair_term is not None:
        registry_repo.save_chair_term(session, effects.chair_term)
    if effects.milestones:
        session.flush()
        milestone_repo.save(session, effects.milestones)
    if effects.seat is not None:
        registry_repo.save_seat(session, effects.seat)
    if effects.chair_term_ended is not None:
        session.flush()
        handover_repo.extend_term(session, effects.chair_term_ended)
    if effects.handover is not None:
        session.flush()
        handover = effects.handover
        # a government that no longer votes is not carried to a handover (its term ended
        # when it left Full membership: `out_of_office`)
        terms = [
            t
            for t in registry_repo.list_chair_terms(session)
            if registry_repo.votes_now(session, t.member)
        ]
        open_years = handover_repo.open_years(session)
        carried = carried_to_handover(handover, terms, at, open_years)
        if carried is not None:
            handover_repo.extend_term(session, carried)
            if handover.outgoing is None:
                handover = handover.model_copy(update={"outgoing": carried.member})
        handover_repo.save(session, handover)
    if effects.presentation is not None:
        roster_repo.add_entry(session, effects.presentation, at, audit.actor, audit.reason)
    session.flush()
    for item in effects.calendar:
        calendar_repo.upsert(session, item, at)
    audit_repo.append(session, audit)


def applied_outcome(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(AppliedCommandRow, key)
    return None if row is None else row.outcome


def record_applied(session: Session, key: str, at: datetime, outcome: dict[str, Any]) -> None:
    session.add(AppliedCommandRow(key=key, applied_at=at, outcome=outcome))
