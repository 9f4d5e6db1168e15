"""Activities of the roster process: announcing the seed, drawing, deferring, telling presenters.

The drawn document lives in the store. Workflows started since ROSTER_IN_STORE keep only who
presents; the notices and calendar entries that need reasons and names are made here, from the
stored document, so no payload grows with the number of presenters.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy.orm import Session
from temporalio import activity

from activities.notifications import NotificationActivities
from governance.kernel.errors import NotFound
from governance.kernel.notices import Notification
from governance.kernel.timekeeping import end_of_day, iso_instant, local_date, start_of_day
from governance.kernel.wording import listing
from governance.roster.contracts import (
    ApplyDeferral,
    DeferralApplied,
    DeferralResult,
    DrawnRoster,
    MoveAnnouncement,
    MoveSlots,
    PlanRoster,
    Presenter,
    PresenterLookup,
    PublishedRoster,
    RosterPlan,
)
from governance.roster.document import RosterDocument, defer, publish
from governance.roster.effects import audit, moved_notices, presentation_item, publication_notices
from governance.roster.rule import LedgerEntry, PresentationOutcome, RosterRules
from governance.rulebook.model import Rulebook
from govsched.notify.port import Notifier
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import roster as roster_repo


def roster_seed(uid_domain: str, plenary_id: str, scheduled_at: str) -> str:
    """The tie-break seed, fixed when the plenary is scheduled, long before the draw."""
    return hashlib.sha256(f"{uid_domain}:{plenary_id}:{scheduled_at}".encode()).hexdigest()[:16]


# Notices delivered between two heartbeats (the index of the last one is the heartbeat's detail).
HEARTBEAT_EVERY = 100


class RosterActivities:
    def __init__(self, db: Database, rulebook: Rulebook, notifier: Notifier) -> None:
        self._db = db
        self._rulebook = rulebook
        self._tz = rulebook.initiative.timezone
        self._domain = rulebook.initiative.uid_domain
        self._notify = NotificationActivities(db, notifier)

    @activity.defn(name="plan-roster")
    def plan(self, request: PlanRoster) -> RosterPlan:
        """The roster's dates under the rulebook, and its seed, announced once in the audit."""
        roster = self._rulebook.roster
        with self._db.writing() as session:
            plenary = registry_repo.get_plenary(session, request.plenary_id)
            if plenary is None:
                raise NotFound("plenary", request.plenary_id)
            existing = roster_repo.roster(session, plenary.id)
            seed = (
                existing.seed
                if existing
                else roster_seed(self._domain, plenary.id, iso_instant(request.scheduled_at))
            )
            # A plenary scheduled later than the call for presenters is drawn at once, and still
            # gets its deferral window, up to the eve of the plenary.
            draw_on = request.drawn_on or max(
                plenary.starts - timedelta(days=roster.call_days_before_plenary),
                local_date(request.scheduled_at, self._tz),
            )
            last_day = min(
                draw_on + timedelta(days=roster.deferral_window_days),
                plenary.starts - timedelta(days=1),
            )
            plan = RosterPlan(
                plenary_id=plenary.id,
                year=plenary.year,
                seed=seed,
                draw_on=draw_on,
                call_at=start_of_day(draw_on, self._tz),
                deferral_closes=end_of_day(last_day, self._tz),
                deferral_last_day=last_day,
                plenary_starts=plenary.starts,
                plenary_ends=plenary.ends,
                plenary_begins_at=start_of_day(plenary.starts, self._tz),
                outcomes_due_at=end_of_day(plenary.ends, self._tz),
            )
            roster_repo.announce(session, plenary.id, plenary.year, seed, draw_on)
            audit_repo.append(
                session,
                audit(plan, "roster.seed_published", "system", request.scheduled_at, seed),
            )
            return plan

    def _presenters(self, session: Session, document: RosterDocument) -> dict[str, Presenter]:
        members = {s.member for s in document.slots} | {d.member for d in document.deferrals}
        presenters = {}
        for member in sorted(members):
            facts = registry_repo.member_facts(session, member)
            presenters[member] = Presenter(
                member=member,
                name=facts.name if facts else member,
                focal_points=tuple(registry_repo.focal_points(session, member_id=member)),
            )
        return presenters

    @activity.defn(name="move-roster-slots")
    def move_slots(self, request: MoveSlots) -> None:
        """Every presentation event to the moved plenary's dates (same UIDs, next SEQUENCE)."""
        plan, published = request.plan, request.published
        with self._db.writing() as session:
            for slot in published.document.slots:
                name = published.presenters[slot.member].name
                item = presentation_item(plan, slot, name, self._domain)
                calendar_repo.upsert(session, item, request.at)

    @activity.defn(name="move-stored-roster")
    def move_stored(self, move: MoveAnnouncement) -> None:
        """`move_slots` for a roster kept in the store: read the drawn slots from there."""
        with self._db.reading() as session:
            published = self._stored(session, move.after.plenary_id)
        self.move_slots(MoveSlots(plan=move.after, published=published, at=move.at))

    @activity.defn(name="announce-roster-move")
    def announce_move(self, move: MoveAnnouncement) -> int:
        """Each presenter's focal points hear that the presentation moved with the plenary."""
        with self._db.reading() as session:
            published = self._stored(session, move.after.plenary_id)
        return self._deliver_all(moved_notices(move.before, move.after, published, move.at))

    @activity.defn(name="announce-roster")
    def announce(self, plan: RosterPlan) -> int:
        """The published roster to everyone, and each presenter's slot and reason to its focal
        points; returns how many notices were due."""
        with self._db.reading() as session:
            published = self._stored(session, plan.plenary_id)
        return self._deliver_all(publication_notices(plan, published))

    @activity.defn(name="roster-presenter")
    def presenter(self, lookup: PresenterLookup) -> Presenter:
        with self._db.reading() as session:
            facts = registry_repo.member_facts(session, lookup.member)
            return Presenter(
                member=lookup.member,
                name=facts.name if facts else lookup.member,
                focal_points=tuple(registry_repo.focal_points(session, member_id=lookup.member)),
            )

    def _stored(self, session: Session, plenary_id: str) -> PublishedRoster:
        document = roster_repo.document(session, plenary_id)
        if document is None:
            raise NotFound("roster", plenary_id)
        return PublishedRoster(document=document, presenters=self._presenters(session, document))

    def _deliver_all(self, notices: list[Notification]) -> int:
        """Deliver in order; a retry starts after the last notice its attempt reported."""
        details = activity.info().heartbeat_details
        start = int(details[0]) + 1 if details else 0
        for index in range(start, len(notices)):
            self._notify.deliver(notices[index])
            if index % HEARTBEAT_EVERY == HEARTBEAT_EVERY - 1:
                activity.heartbeat(index)
        return len(notices)

    @activity.defn(name="draw-roster")
    def draw(self, plan: RosterPlan) -> PublishedRoster:
        """Draw and publish the roster (once: a retry returns what was published)."""
        with self._db.writing() as session:
            document = self._draw(session, plan)
            return PublishedRoster(
                document=_for_workflow(document), presenters=self._presenters(session, document)
            )

    @activity.defn(name="draw-stored-roster")
    def draw_stored(self, plan: RosterPlan) -> DrawnRoster:
        """`draw`, answering only who presents: the document stays in the store."""
        with self._db.writing() as session:
            document = self._draw(session, plan)
            return DrawnRoster(slots=tuple(s.member for s in document.slots))

    def _draw(self, session: Session, plan: RosterPlan) -> RosterDocument:
        document = roster_repo.document(session, plan.plenary_id)
        if document is None:
            document = publish(
                plan.year,
                plan.plenary_id,
                plan.seed,
                plan.draw_on,
                plan.call_at,
                tuple(roster_repo.roster_members(session, self._tz)),
                tuple(roster_repo.ledger(session, before_year=plan.year)),
                RosterRules.of(self._rulebook),
            )
            roster_repo.save_document(session, plan.plenary_id, document, plan.call_at)
            presenters = self._presenters(session, document)
            for slot in document.slots:
                item = presentation_item(plan, slot, presenters[slot.member].name, self._domain)
                calendar_repo.upsert(session, item, plan.call_at)
            members = listing([s.member for s in document.slots])
            audit_repo.append(
                session, audit(plan, "roster.published", "system", plan.call_at, members)
            )
        return document

    @activity.defn(name="unrecorded-presenters")
    def unrecorded(self, plan: RosterPlan) -> list[str]:
        """Names of the presenters whose outcome the ledger does not hold yet."""
        with self._db.reading() as session:
            document = roster_repo.document(session, plan.plenary_id)
            if document is None:
                return []
            recorded = {e.member for e in roster_repo.ledger(session) if e.year == plan.year}
            presenters = self._presenters(session, document)
            return [presenters[s.member].name for s in document.slots if s.member not in recorded]

    @activity.defn(name="apply-deferral")
    def apply_deferral(self, request: ApplyDeferral) -> DeferralResult:
        """Take the member off, record `deferred` in the ledger, draw its replacement."""
        plan, wanted = request.plan, request.request
        with self._db.writing() as session:
            current = roster_repo.document(session, plan.plenary_id)
            if current is None:
                raise NotFound("roster", str(plan.year))
            vacated = next(
                (s for s in current.drawn + current.slots if s.member == wanted.member), None
            )
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
                roster_repo.save_document(session, plan.plenary_id, document, request.at)
                entry = LedgerEntry(
                    year=plan.year, member=wanted.member, outcome=PresentationOutcome.DEFERRED
                )
                roster_repo.add_entry(session, entry, request.at, request.decided_by, wanted.reason)
            deferral = next(d for d in document.deferrals if d.member == wanted.member)
            replacement = next(
                (s for s in document.slots if s.member == deferral.replaced_by), None
            )
            presenters = self._presenters(session, document)
            calendar_repo.upsert(
                session,
                presentation_item(
                    plan, vacated, presenters[vacated.member].name, self._domain, cancelled=True
                ),
                request.at,
            )
            if replacement is not None:
                calendar_repo.upsert(
                    session,
                    presentation_item(
                        plan, replacement, presenters[replacement.member].name, self._domain
                    ),
                    request.at,
                )
            audit_repo.append(
                session,
                audit(
                    plan,
                    "roster.deferred",
                    request.decided_by,
                    request.at,
                    wanted.reason,
                    suffix=f":{wanted.member}",
                ),
            )
            return DeferralResult(
                published=PublishedRoster(document=_for_workflow(document), presenters=presenters),
                vacated=vacated,
                replacement=replacement,
            )

    @activity.defn(name="apply-stored-deferral")
    def apply_stored_deferral(self, request: ApplyDeferral) -> DeferralApplied:
        """`apply_deferral`, answering only the two slots that changed and their presenters."""
        result = self.apply_deferral(request)
        changed = {result.vacated.member}
        if result.replacement is not None:
            changed.add(result.replacement.member)
        presenters = result.published.presenters
        return DeferralApplied(
            vacated=result.vacated,
            replacement=result.replacement,
            presenters={m: presenters[m] for m in sorted(changed)},
        )


def _for_workflow(document: RosterDocument) -> RosterDocument:
    """The document as the roster workflow keeps it: without the members and ledger it was drawn
    from, which stay in the database. At 20,000 members they are half of a 5 MB payload, past
    the 4 MB a Temporal server accepts in one message."""
    return document.model_copy(update={"members": (), "ledger": ()})
