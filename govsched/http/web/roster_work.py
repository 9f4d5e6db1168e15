"""Roster work: asking to defer (a presenter's focal points) and deciding (the Chair or the
Secretariat).

Open requests live in the roster workflow's state, and reads never query a workflow; the
workflow records each request, refusal and lapse in the audit log and each approval in the
roster document, so "asked" and "awaiting a decision" are read from those.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from governance.kernel.model import Role
from governance.roster.document import RosterDocument
from governance.rulebook.model import Rulebook
from govsched.http.web import action_forms as actions
from govsched.http.web.auth import Viewer
from govsched.http.web.work_item import WorkItem
from govsched.i18n.current import gettext as _
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import roster as roster_repo


def deferral_items(db: Database, viewer: Viewer, rulebook: Rulebook, today: date) -> list[WorkItem]:
    member = viewer.person.member
    if not viewer.holds(Role.FOCAL_POINT) or member is None:
        return []
    items = []
    with db.reading() as session:
        documents = roster_repo.documents(session)
        plenaries = {p.id: p for p in registry_repo.list_plenaries(session)}
        asked = {d.year: deferrals_asked(session, d) for d in documents}
    window = timedelta(days=rulebook.roster.deferral_window_days)
    for document in documents:
        plenary = plenaries.get(document.plenary)
        if plenary is None or member not in {s.member for s in document.slots}:
            continue
        if member in asked.get(document.year, set()):
            continue
        last_day = min(document.drawn_on + window, plenary.starts - timedelta(days=1))
        if today > last_day:
            continue
        items.append(
            WorkItem(
                last_day,
                _("Present at the %(year)s plenary, or ask to defer") % {"year": document.year},
                _("you are on the verification roster"),
                f"/web/roster?year={document.year}",
                (actions.request_deferral(document.year, member, "/web/my-work"),),
                "roster",
            )
        )
    return items


REQUESTED, CLOSED = (
    "roster.deferral_requested",
    {"roster.deferral_refused", "roster.deferral_lapsed"},
)


def deferrals_asked(session: Session, document: RosterDocument) -> set[str]:
    """Members that asked to defer (a member asks once, whatever the answer)."""
    asked = {d.member for d in document.deferrals}
    for entry in audit_repo.entries(session, "roster", str(document.year)):
        if entry.action == REQUESTED:
            asked.add(entry.key.rsplit(":", 1)[-1])
    return asked


def pending_deferrals(session: Session, document: RosterDocument) -> list[tuple[str, str]]:
    """(member, reason) of requests nobody decided, from the roster's audit trail (the roster
    workflow records each request, refusal and lapse there; approvals are in the document)."""
    requested: dict[str, str] = {}
    closed = {d.member for d in document.deferrals}
    for entry in audit_repo.entries(session, "roster", str(document.year)):
        member = entry.key.rsplit(":", 1)[-1]
        if entry.action == REQUESTED:
            requested[member] = entry.reason
        elif entry.action in CLOSED:
            closed.add(member)
    return sorted((m, r) for m, r in requested.items() if m not in closed)


def decision_items(db: Database, viewer: Viewer, today: date) -> list[WorkItem]:
    if not viewer.holds(Role.CHAIR, Role.SECRETARIAT):
        return []
    items = []
    with db.reading() as session:
        plenaries = {p.id: p for p in registry_repo.list_plenaries(session)}
        for document in roster_repo.documents(session):
            plenary = plenaries.get(document.plenary)
            if plenary is None or today >= plenary.starts:
                continue
            names = registry_repo.member_names(session, {s.member for s in document.slots})
            for member, reason in pending_deferrals(session, document):
                items.append(
                    WorkItem(
                        plenary.starts - timedelta(days=1),
                        _("Decide on %(member)s's request to defer")
                        % {"member": names.get(member, member)},
                        _("%(year)s roster; reason given: %(reason)s")
                        % {"year": document.year, "reason": reason},
                        f"/web/roster?year={document.year}",
                        (actions.decide_deferral(document.year, member, "/web/my-work"),),
                        "roster",
                    )
                )
    return items
