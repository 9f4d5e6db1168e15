"""The roster's stores: planning it, drawing it, applying a deferral, each in one transaction.

The draw loads what the rule reads (the members of the presenting pillars with their status
histories, and the ledger before the year), lets the pure rule publish the document, and stores
it with its calendar entries and audit entry; a retry finds the stored document and draws
nothing again.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from governance.kernel.errors import NotFound
from governance.kernel.timekeeping import iso_instant
from governance.kernel.wording import listing
from governance.roster.contracts import (
    ApplyDeferral,
    DeferralResult,
    MoveSlots,
    PlanRoster,
    Presenter,
    PublishedRoster,
    RosterPlan,
)
from governance.roster.document import RosterDocument, defer, publish
from governance.roster.effects import audit, presentation_item
from governance.roster.plan import plan_for
from governance.roster.rule import LedgerEntry, PresentationOutcome, RosterRules
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import roster as roster_repo


def roster_seed(uid_domain: str, plenary_id: str, scheduled_at: str) -> str:
    """The tie-break seed, fixed when the plenary is scheduled, long before the draw."""
    return hashlib.sha256(f"{uid_domain}:{plenary_id}:{scheduled_at}".encode()).hexdigest()[:16]


def plan(session: Session, request: PlanRoster, rulebook: Rulebook) -> RosterPlan:
    """The roster's dates under the rulebook, and its seed, announced once in the audit."""
    plenary = registry_repo.get_plenary(session, request.plenary_id)
    if plenary is None:
        raise NotFound("plenary", request.plenary_id)
    existing = roster_repo.roster(session, plenary.id)
    seed = (
        existing.seed
        if existing
        else roster_seed(
            rulebook.initiative.uid_domain, plenary.id, iso_instant(request.scheduled_at)
        )
    )
    planned = plan_for(plenary, seed, request, rulebook)
    roster_repo.announce(session, plenary.id, plenary.year, seed, planned.draw_on)
    audit_repo.append(
        session, audit(planned, "roster.seed_published", "system", request.scheduled_at, seed)
    )
    return planned


def presenter(session: Session, member: str) -> Presenter:
    """A presenting member's name and focal points, as notices and calendar entries need them."""
    facts = registry_repo.member_facts(session, member)
    return Presenter(
        member=member,
        name=facts.name if facts else member,
        focal_points=tuple(registry_repo.focal_points(session, member_id=member)),
    )


def presenters(session: Session, document: RosterDocument) -> dict[str, Presenter]:
    members = {s.member for s in document.slots} | {d.member for d in document.deferrals}
    return {member: presenter(session, member) for member in sorted(members)}


def stored(session: Session, plenary_id: str) -> PublishedRoster:
    """The drawn roster as the store holds it, with its presenters, for its notices and
    calendar events: the document's inputs are left out (`document_without_inputs`)."""
    document = roster_repo.document_without_inputs(session, plenary_id)
    if document is None:
        raise NotFound("roster", plenary_id)
    return PublishedRoster(document=document, presenters=presenters(session, document))


def move_slots(session: Session, request: MoveSlots, uid_domain: str) -> None:
    """Every presentation event to the moved plenary's dates (same UIDs, next SEQUENCE)."""
    moved, published = request.plan, request.published
    for slot in published.document.slots:
        name = published.presenters[slot.member].name
        item = presentation_item(moved, slot, name, uid_domain)
        calendar_repo.upsert(session, item, request.at)


def draw(session: Session, planned: RosterPlan, rulebook: Rulebook) -> RosterDocument:
    """Draw and publish the roster once: the document already stored is returned as it is."""
    document = roster_repo.document(session, planned.plenary_id)
    if document is not None:
        return document
    return publish_drawn(session, planned, drawn(session, planned, rulebook), rulebook)


def drawn(session: Session, planned: RosterPlan, rulebook: Rulebook) -> RosterDocument:
    """The roster the rule draws from what the store holds now; reads only, so it can be done
    outside a write transaction (the draw takes seconds to minutes with the membership)."""
    return publish(
        planned.year,
        planned.plenary_id,
        planned.seed,
        planned.draw_on,
        planned.call_at,
        tuple(roster_repo.roster_members(session, rulebook.initiative.timezone)),
        tuple(roster_repo.ledger(session, before_year=planned.year)),
        RosterRules.of(rulebook),
    )


def publish_drawn(
    session: Session, planned: RosterPlan, document: RosterDocument, rulebook: Rulebook
) -> RosterDocument:
    """Store the drawn document, its presenters, their calendar events and the audit entry."""
    roster_repo.save_document(session, planned.plenary_id, document, planned.call_at)
    names = presenters(session, document)
    for slot in document.slots:
        item = presentation_item(
            planned, slot, names[slot.member].name, rulebook.initiative.uid_domain
        )
        calendar_repo.upsert(session, item, planned.call_at)
    members = listing([s.member for s in document.slots])
    audit_repo.append(
        session, audit(planned, "roster.published", "system", planned.call_at, members)
    )
    return document


def unrecorded(session: Session, planned: RosterPlan) -> list[str]:
    """Names of the presenters whose outcome the ledger does not hold yet."""
    document = roster_repo.document(session, planned.plenary_id)
    if document is None:
        return []
    recorded = {e.member for e in roster_repo.ledger(session) if e.year == planned.year}
    names = presenters(session, document)
    return [names[s.member].name for s in document.slots if s.member not in recorded]


def apply_deferral(session: Session, request: ApplyDeferral, uid_domain: str) -> DeferralResult:
    """Take the member off, record `deferred` in the ledger, draw its replacement (once: a
    retry finds the deferral applied)."""
    planned, wanted = request.plan, request.request
    current = roster_repo.document(session, planned.plenary_id)
    if current is None:
        raise NotFound("roster", str(planned.year))
    vacated = next((s for s in current.drawn + current.slots if s.member == wanted.member), None)
    if vacated is None:
        raise NotFound("presenter", wanted.member)
    if any(d.member == wanted.member for d in current.deferrals):
        document = current  # a retry: the deferral is already applied
    else:
        document, _ = defer(
            current,
            wanted.member,
            wanted.reason,
            wanted.requested_by,
            request.decided_by,
            request.at,
        )
        roster_repo.save_document(session, planned.plenary_id, document, request.at)
        entry = LedgerEntry(
            year=planned.year, member=wanted.member, outcome=PresentationOutcome.DEFERRED
        )
        roster_repo.add_entry(session, entry, request.at, request.decided_by, wanted.reason)
    deferral = next(d for d in document.deferrals if d.member == wanted.member)
    replacement = next((s for s in document.slots if s.member == deferral.replaced_by), None)
    names = presenters(session, document)
    cancelled = presentation_item(
        planned, vacated, names[vacated.member].name, uid_domain, cancelled=True
    )
    calendar_repo.upsert(session, cancelled, request.at)
    if replacement is not None:
        item = presentation_item(planned, replacement, names[replacement.member].name, uid_domain)
        calendar_repo.upsert(session, item, request.at)
    audit_repo.append(
        session,
        audit(
            planned,
            "roster.deferred",
            request.decided_by,
            request.at,
            wanted.reason,
            suffix=f":{wanted.member}",
        ),
    )
    return DeferralResult(
        published=PublishedRoster(document=for_workflow(document), presenters=names),
        vacated=vacated,
        replacement=replacement,
    )


def for_workflow(document: RosterDocument) -> RosterDocument:
    """The document as the roster workflow keeps it: without the members and ledger it was drawn
    from, which stay in the database. At 20,000 members they are half of a 5 MB payload, past
    the 4 MB a Temporal server accepts in one message."""
    return document.model_copy(update={"members": (), "ledger": ()})
