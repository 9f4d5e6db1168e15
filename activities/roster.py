"""Activities of the roster process: announcing the seed, drawing, deferring, telling presenters.

The drawn document lives in the store. Workflows started since ROSTER_IN_STORE keep only who
presents; the notices and calendar entries that need reasons and names are made here, from the
stored document, so no payload grows with the number of presenters. Each store step is one
command of govsched.persistence.commands.roster, in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from temporalio import activity

from activities.notifications import NotificationActivities
from activities.own_process import run_in_own_process
from governance.kernel.notices import Notification
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
from governance.roster.effects import each_publication_notice, moved_notices
from governance.rulebook.model import Rulebook
from govsched.notify.port import Notifier
from govsched.persistence.commands import roster as commands
from govsched.persistence.db import Database
from govsched.persistence.repos import roster as roster_repo

log = logging.getLogger("govsched.activities.roster")

# Notices delivered between two heartbeats (the index of the last one is the heartbeat's detail).
HEARTBEAT_EVERY = 100


def draw_presenters(db: Database, plan: RosterPlan, rulebook: Rulebook) -> tuple[str, ...]:
    """Draw and publish the roster once, answering who presents in the slots' order. Run in a
    process of its own by `govsched worker` (activities/own_process.py): the draw holds every
    member's history and the ledger at once, and numpy."""
    with db.reading() as session:
        presenting = roster_repo.slot_members(session, plan.plenary_id)
        if presenting is not None:
            return presenting
        # Drawn in a read transaction: in a write one, every other writer of an embedded
        # (SQLite) store would wait for the whole draw, 30 s at 20,000 members.
        document = commands.drawn(session, plan, rulebook)
    with db.writing() as session:
        presenting = roster_repo.slot_members(session, plan.plenary_id)
        if presenting is not None:  # another attempt published first: its draw stands
            return presenting
        commands.publish_drawn(session, plan, document, rulebook)
        return tuple(s.member for s in document.slots)


class RosterActivities:
    def __init__(
        self, db: Database, rulebook: Rulebook, notifier: Notifier, apart: bool = False
    ) -> None:
        """`apart`: draw in a short-lived process of its own (`draw_presenters`), as `govsched
        worker` does; otherwise in this process (rehearsals and tests)."""
        self._apart = apart
        self._db = db
        self._rulebook = rulebook
        self._domain = rulebook.initiative.uid_domain
        self._notify = NotificationActivities(db, notifier)

    @activity.defn(name="plan-roster")
    def plan(self, request: PlanRoster) -> RosterPlan:
        """The roster's dates under the rulebook, and its seed, announced once in the audit;
        refuses (retrying) a plenary the registry does not hold."""
        with self._db.writing() as session:
            return commands.plan(session, request, self._rulebook)

    @activity.defn(name="move-roster-slots")
    def move_slots(self, request: MoveSlots) -> None:
        """Every presentation event to the moved plenary's dates (same UIDs, next SEQUENCE)."""
        with self._db.writing() as session:
            commands.move_slots(session, request, self._domain)

    @activity.defn(name="move-stored-roster")
    def move_stored(self, move: MoveAnnouncement) -> None:
        """`move_slots` for a roster kept in the store: read the drawn slots from there."""
        with self._db.writing() as session:
            published = commands.stored(session, move.after.plenary_id)
            commands.move_slots(
                session, MoveSlots(plan=move.after, published=published, at=move.at), self._domain
            )

    @activity.defn(name="announce-roster-move")
    def announce_move(self, move: MoveAnnouncement) -> int:
        """Each presenter's focal points hear that the presentation moved with the plenary."""
        with self._db.reading() as session:
            published = commands.stored(session, move.after.plenary_id)
        return self._deliver_all(moved_notices(move.before, move.after, published, move.at))

    @activity.defn(name="announce-roster")
    def announce(self, plan: RosterPlan) -> int:
        """The published roster to everyone, and each presenter's slot and reason to its focal
        points; returns how many notices were due."""
        with self._db.reading() as session:
            published = commands.stored(session, plan.plenary_id)
        return self._deliver_all(each_publication_notice(plan, published))

    @activity.defn(name="roster-presenter")
    def presenter(self, lookup: PresenterLookup) -> Presenter:
        """A presenting member's name and focal points (its id as name if it has left)."""
        with self._db.reading() as session:
            return commands.presenter(session, lookup.member)

    def _deliver_all(self, notices: Iterable[Notification]) -> int:
        """Deliver in order; a retry starts after the last notice its attempt reported. Returns
        how many were due."""
        details = activity.info().heartbeat_details
        start = int(details[0]) + 1 if details else 0
        due = 0
        for index, notice in enumerate(notices):
            due += 1
            if index < start:
                continue
            self._notify.deliver(notice)
            if index % HEARTBEAT_EVERY == HEARTBEAT_EVERY - 1:
                activity.heartbeat(index)
        return due

    @activity.defn(name="draw-roster")
    def draw(self, plan: RosterPlan) -> PublishedRoster:
        """Draw and publish the roster (once: a retry returns what was published)."""
        with self._db.writing() as session:
            document = commands.draw(session, plan, self._rulebook)
            return PublishedRoster(
                document=commands.for_workflow(document),
                presenters=commands.presenters(session, document),
            )

    @activity.defn(name="draw-stored-roster")
    def draw_stored(self, plan: RosterPlan) -> DrawnRoster:
        """`draw`, answering only who presents: the document stays in the store."""
        if not self._apart:
            return DrawnRoster(slots=draw_presenters(self._db, plan, self._rulebook))
        done = run_in_own_process("draw-roster", self._db.url, plan, self._rulebook)
        log.info(
            "roster %s: %d presenters drawn in %.1f s by a process of %.0f MiB",
            plan.plenary_id,
            len(done.value),
            done.seconds,
            done.peak_mib,
        )
        return DrawnRoster(slots=done.value)

    @activity.defn(name="unrecorded-presenters")
    def unrecorded(self, plan: RosterPlan) -> list[str]:
        """Names of the presenters whose outcome the ledger does not hold yet."""
        with self._db.reading() as session:
            return commands.unrecorded(session, plan)

    @activity.defn(name="apply-deferral")
    def apply_deferral(self, request: ApplyDeferral) -> DeferralResult:
        """Take the member off, record `deferred` in the ledger, draw its replacement; refuses
        a roster not drawn and a member not on it."""
        with self._db.writing() as session:
            return commands.apply_deferral(session, request, self._domain)

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
