"""Gathering what the draft plenary agenda is generated from."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from governance.applications.model import ApplicationState
from governance.concerns.model import ConcernState
from governance.groups.nominations import confirmed
from governance.kernel.actor import Actor
from governance.kernel.errors import NotFound
from governance.kernel.model import Plenary, PlenaryKind
from governance.rulebook.model import Rulebook
from governance.year.plenary_agenda import (
    AgendaFacts,
    AgendaWords,
    DraftAgenda,
    GroupSeat,
    agenda_words,
)
from govsched.i18n.documents import agenda_in_reading
from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import concerns as concern_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.repos import roster as roster_repo

WAITING = (ApplicationState.AWAITING_PLENARY, ApplicationState.PROVISIONALLY_ADMITTED)


def _group_seats(session: Session, plenary: Plenary) -> tuple[GroupSeat, ...]:
    """The in-country groups' confirmed nominees: the plenary's in-country participants."""
    names = {g.id: g.name for g in group_repo.groups(session)}
    return tuple(
        GroupSeat(
            group=names.get(n.group_id, n.group_id),
            nominee=n.name,
            travel_supported=bool(n.travel_supported),
        )
        for n in confirmed(group_repo.nominations(session, year=plenary.year))
    )


def agenda_for(
    db: Database, plenary_id: str, today: date, rulebook: Rulebook, viewer: Actor | None
) -> DraftAgenda:
    """The draft agenda as `viewer` may read it (None: the Secretariat's own copy), in the
    language being written (`use_language`; English outside one)."""
    words = agenda_words_for(db, plenary_id, today, rulebook, viewer)
    return agenda_in_reading(words, rulebook.label_text)


def agenda_words_for(
    db: Database, plenary_id: str, today: date, rulebook: Rulebook, viewer: Actor | None
) -> AgendaWords:
    """The draft agenda as messages, for any reader's language."""
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
            group_seats=_group_seats(session, plenary) if annual else (),
        )
    return agenda_words(facts, rulebook, viewer)
