"""Gathering what the draft plenary agenda is generated from."""

from __future__ import annotations

from datetime import date

from governance.agenda import AgendaFacts, DraftAgenda, draft_agenda
from governance.application_model import Actor, ApplicationState
from governance.concern_model import ConcernState
from governance.errors import NotFound
from governance.model import PlenaryKind
from governance.rulebook import Rulebook
from persistence import (
    application_repo,
    concern_repo,
    handover_repo,
    milestone_repo,
    registry_repo,
    report_repo,
    roster_repo,
)
from persistence.db import Database

WAITING = (ApplicationState.AWAITING_PLENARY, ApplicationState.PROVISIONALLY_ADMITTED)


def agenda_for(
    db: Database, plenary_id: str, today: date, rulebook: Rulebook, viewer: Actor | None
) -> DraftAgenda:
    """The draft agenda as `viewer` may read it (None: the Secretariat's own copy)."""
    with db.reading() as session:
        plenary = registry_repo.get_plenary(session, plenary_id)
        if plenary is None:
            raise NotFound("plenary", plenary_id)
        annual = plenary.kind is PlenaryKind.ANNUAL
        applications = tuple(r for s in WAITING for r in application_repo.records(session, s))
        document = roster_repo.document(session, plenary_id)
        handover = handover_repo.get(session, plenary.year)
        if handover is not None and handover.plenary_id != plenary_id:
            handover = None
        reviews = tuple(report_repo.reviews(session, plenary.year)) if annual else ()
        missed = tuple(report_repo.missed(session, plenary.year)) if annual else ()
        concerns = tuple(concern_repo.records(session, ConcernState.AWAITING_DECISION))
        members = {r.member for r in applications if r.member}
        members |= {c.about for c in concerns}
        members |= {r.report_of for r in reviews} | {r.reviewer for r in reviews}
        members |= {m.member for m in missed}
        if document is not None:
            members |= {s.member for s in document.slots}
        if handover is not None:
            members |= {m for m in (handover.outgoing, handover.incoming) if m}
        facts = AgendaFacts(
            plenary=plenary,
            as_of=today,
            applications=tuple(sorted(applications, key=lambda r: (r.submitted_at, r.id))),
            roster=None if document is None else document.slots,
            handover=handover,
            milestones=milestone_repo.of_plenary(session, plenary_id),
            names=registry_repo.member_names(session, members),
            reviews=reviews,
            missed=missed,
            concerns=concerns,
        )
    return draft_agenda(facts, rulebook, viewer)
