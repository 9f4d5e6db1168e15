"""Participant concerns' stores: a person's step, and the timed events that fell due.

Each loads the case and the facts its rule reads, lets the pure process decide, and writes the
record with its audit entry, calendar entries and notices in one transaction. A refused step
writes nothing; a retry of timed events finds them done (their keys are in the record).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from governance.concerns.access import may_see
from governance.concerns.contracts import (
    ConcernCommand,
    ConcernStatus,
    ConcernStatusRequest,
    FileConcern,
    RecommendOnConcern,
)
from governance.concerns.model import ConcernRecord, ConcernRules
from governance.concerns.process import NextPlenary, publish, run_due, transition_for
from governance.concerns.timeline import next_event
from governance.kernel.actor import Actor
from governance.kernel.errors import Conflict, InvalidInput, NotFound, Problem
from governance.kernel.messages import say
from governance.kernel.timekeeping import local_date, start_of_day
from governance.rulebook.model import Rulebook
from govsched.persistence.commands import receipts
from govsched.persistence.repos import concerns as concern_repo
from govsched.persistence.repos import registry as registry_repo

# The receipts of concern steps (govsched.persistence.commands.receipts).
RECEIPTS = "concern"


def record(
    session: Session,
    command: ConcernCommand,
    actor: Actor,
    at: datetime,
    rulebook: Rulebook,
    *,
    name_case: Callable[[str, str | None], str],
    key: str | None = None,
) -> ConcernRecord:
    """Apply `actor`'s command to the case (a new one when filing, named by `name_case` from
    the filer and the filer's reference); refused before any write. A command whose `key` was
    applied before is not applied again: the case as it stands comes back."""
    done = receipts.earlier(session, RECEIPTS, key, command) if key else None
    if done is not None:
        stored = concern_repo.get(session, done)
        assert stored is not None, "a receipt names a stored case"
        return stored
    case = None
    if isinstance(command, FileConcern):
        before = None
        if not registry_repo.member_exists(session, command.about):
            raise InvalidInput(
                say("the concern is about no member"),
                [Problem("about", say("no member %(member)r", member=command.about))],
            )
        case = name_case(actor.person, command.filing.id)
        # Named by the server, a case is found again only by its own filer's repeat.
        if concern_repo.get(session, case) is not None:
            raise Conflict(
                say("concern %(case)r already exists", case=case),
                [Problem("id", say("is already used"))],
            )
        rules = ConcernRules.of(rulebook)
    else:
        before = concern_repo.get(session, command.case)
        if before is None or not may_see(before, actor):
            raise NotFound("concern", command.case)
        rules = before.rules or ConcernRules.of(rulebook)
    plenary = None
    if isinstance(command, RecommendOnConcern):
        plenary = _next_plenary(session, at, rulebook.initiative.timezone)
    transition = transition_for(before, command, actor, at, rules, plenary, case)
    parties = concern_repo.parties(session, transition.record)
    applied = publish(before, transition, at, rules, parties)
    concern_repo.store(session, applied, before.version if before else None, at)
    if key is not None:
        receipts.keep(session, RECEIPTS, key, command, at, applied.record.id)
    return applied.record


def _next_plenary(session: Session, at: datetime, tz: str) -> NextPlenary | None:
    plenary_id = registry_repo.next_plenary(session, local_date(at, tz))
    if plenary_id is None:
        return None
    plenary = registry_repo.get_plenary(session, plenary_id)
    assert plenary is not None
    return NextPlenary(id=plenary.id, starts=start_of_day(plenary.starts, tz))


def run_due_events(
    session: Session, request: ConcernStatusRequest, rulebook: Rulebook
) -> ConcernStatus:
    """Apply the case's timed events due by `now`; the notices still to deliver, and when the
    case wakes next."""
    case = concern_repo.get(session, request.case)
    if case is None:
        # the service writes the case before it starts the workflow, so this is a case removed
        # by hand: nothing is left to do
        return ConcernStatus(finished=True, delivered=request.delivered)
    rules = case.rules or ConcernRules.of(rulebook)
    parties = concern_repo.parties(session, case)
    applied = run_due(case, request.now, rules, parties)
    if applied is not None:
        concern_repo.store(session, applied, case.version, request.now)
        case = applied.record
    upcoming = next_event(case, rules)
    return ConcernStatus(
        notices=list(case.outbox[request.delivered :]),
        delivered=len(case.outbox),
        next_at=upcoming.at if upcoming else None,
        finished=upcoming is None and case.final,
    )
