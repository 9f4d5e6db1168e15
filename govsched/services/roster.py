"""The verification roster, as the API, the CLI and rehearsals drive and read it."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from temporalio.client import Client
from temporalio.workflow import UpdateMethodMultiParam

from governance.kernel.errors import Conflict, Forbidden, GovernanceError, NotFound, Problem
from governance.kernel.messages import say
from governance.kernel.model import Frozen, Pillar, Role, plenary_id
from governance.kernel.timekeeping import local_date
from governance.registry.changes import RESERVED_ACTORS
from governance.registry.contracts import CommandOutcome, RegistryChange
from governance.roster.contracts import (
    ROSTER_WORKFLOW,
    DeferralDecisionCommand,
    DeferralRequest,
    DeferralRequestCommand,
    RosterInput,
    RosterReference,
    roster_workflow_id,
)
from governance.roster.document import RosterDocument, markdown
from governance.roster.presentations import RecordPresentation
from governance.roster.requests import DecideDeferral, RequestDeferral, require_deferral_decider
from governance.roster.rule import (
    LedgerEntry,
    PresentationOutcome,
    RosterRules,
    Slot,
    eligible_by_pillar,
    forecast,
)
from governance.rulebook.model import Rulebook
from govsched.i18n.documents import message_in_reading
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import roster as roster_repo
from govsched.services import registry as registry_service
from govsched.services.applications import actor_for
from govsched.temporal.starters import start_once
from govsched.temporal.updates import send_update

PROVISIONAL_SEED = "provisional"
P = TypeVar("P")
R = TypeVar("R")


class ForecastYear(Frozen):
    year: int
    published: bool
    seed: str
    slots: tuple[Slot, ...]
    # members of each pillar eligible that year: the base of each pillar's share of the slots
    eligible: dict[Pillar, int] = {}


def published(db: Database, year: int) -> RosterDocument:
    with db.reading() as session:
        document = roster_repo.document(session, plenary_id(year))
    if document is None:
        raise NotFound("roster", str(year))
    return document


def circulated(db: Database, year: int) -> str:
    """The published roster in Markdown, with members' names, for circulation to all members."""
    document = published(db, year)
    with db.reading() as session:
        names = {
            m: facts.name
            for m in {s.member for s in document.slots} | {d.member for d in document.deferrals}
            if (facts := registry_repo.member_facts(session, m)) is not None
        }
    # in the language being written (`use_language`: the API's reader), English by default
    return markdown(document, names, message_in_reading)


def forecast_years(db: Database, rulebook: Rulebook, years: int, today: date) -> list[ForecastYear]:
    """Rosters published for plenaries not yet over, then the rule's forecast for later years.

    A forecast assumes every drawn member presents. Its ties are broken by the year's seed if
    the plenary is scheduled, otherwise by a provisional one (said so in the reasons).
    """
    tz = rulebook.initiative.timezone
    with db.reading() as session:
        plenaries = [p for p in registry_repo.list_plenaries(session) if p.kind.value == "annual"]
        held = [p.year for p in plenaries if p.ends < today]
        documents = [d for d in roster_repo.documents(session) if d.year not in held]
        members = roster_repo.roster_members(session, tz)
        ledger = roster_repo.ledger(session)
        scheduled = {p.year: (p.starts, roster_repo.roster(session, p.id)) for p in plenaries}
    result = [
        ForecastYear(
            year=d.year,
            published=True,
            seed=d.seed,
            slots=d.slots,
            eligible=eligible_by_pillar(d.members, d.year, d.drawn_on, d.rules),
        )
        for d in documents[:years]
    ]
    recorded = {(e.year, e.member) for e in ledger}
    for document in documents:
        ledger += [
            LedgerEntry(year=document.year, member=s.member, outcome=PresentationOutcome.PRESENTED)
            for s in document.slots
            if (document.year, s.member) not in recorded
        ]
    # the year after the last plenary held or drawn; this year if none is known
    first = max([today.year - 1, *held, *(d.year for d in documents)]) + 1
    call = timedelta(days=rulebook.roster.call_days_before_plenary)

    def as_of(year: int) -> date:
        if year in scheduled:
            return scheduled[year][0] - call
        return date(year - 1, 12, 1)

    def seed_for(year: int) -> str:
        row = scheduled.get(year, (None, None))[1]
        return row.seed if row is not None else PROVISIONAL_SEED

    remaining = years - len(result)
    rules = RosterRules.of(rulebook)
    for draw in forecast(first, max(remaining, 0), as_of, members, ledger, rules, seed_for):
        seed = draw.seed
        slots = tuple(
            s.model_copy(
                update={
                    "reason": s.reason.replace(
                        "the published seed",
                        "a provisional seed (the plenary is not scheduled yet)",
                    )
                }
            )
            if seed == PROVISIONAL_SEED
            else s
            for s in draw.slots
        )
        counts = eligible_by_pillar(members, draw.year, as_of(draw.year), rules)
        result.append(
            ForecastYear(year=draw.year, published=False, seed=seed, slots=slots, eligible=counts)
        )
    return result


@dataclass
class RosterService:
    client: Client
    db: Database
    rulebook: Rulebook
    task_queue: str
    clock_offset: timedelta = timedelta(0)

    async def _update(
        self,
        year: int,
        update: UpdateMethodMultiParam[[Any, P], Awaitable[R]],
        command: P,
        key: str | None,
    ) -> R:
        with self.db.reading() as session:
            row = roster_repo.roster(session, plenary_id(year))
        if row is None:
            raise NotFound("roster", str(year))

        def closed() -> GovernanceError:
            return Conflict(
                say("the %(year)s roster is closed", year=str(year)),
                [Problem("year", say("closed"))],
            )

        target = roster_workflow_id(plenary_id(year))
        return await send_update(self.client, target, update, command, closed, key)

    async def request_deferral(
        self, request: RequestDeferral, at: datetime, key: str | None = None
    ) -> DeferralRequest:
        command = DeferralRequestCommand(
            actor=actor_for(self.db, request.by),
            at=at,
            member=request.member,
            reason=request.reason,
        )
        from workflows.verification_roster import (
            VerificationRosterWorkflow,
        )  # as in decide_deferral

        return await self._update(
            request.year, VerificationRosterWorkflow.request_deferral, command, key
        )

    async def decide_deferral(
        self, request: DecideDeferral, at: datetime, key: str | None = None
    ) -> RosterDocument:
        command = DeferralDecisionCommand(
            actor=actor_for(self.db, request.by),
            at=at,
            member=request.member,
            approve=request.approve,
        )
        require_deferral_decider(command.actor.roles)
        # imported where an update is sent: importing a workflow loads every workflow and
        # activity, a cost the pages and commands that only read the roster need not pay
        from workflows.verification_roster import VerificationRosterWorkflow

        # a reference since ROSTER_IN_STORE; the whole document from rosters drawn before
        decided: RosterDocument | RosterReference = await self._update(
            request.year, VerificationRosterWorkflow.decide_deferral, command, key
        )
        # the stored document is the whole of it: the workflow keeps at most the draw's result
        with self.db.reading() as session:
            stored = roster_repo.document(session, decided.plenary)
        if stored is None:
            raise NotFound("roster", str(request.year))
        return stored

    async def record_presentation(
        self, request: RecordPresentation, by: str, at: datetime, key: str
    ) -> CommandOutcome:
        """An outcome for the ledger, recorded and audited like any registry change, by the
        Secretariat (or, in a rehearsal, from the minutes: a reserved actor)."""
        if by not in RESERVED_ACTORS and Role.SECRETARIAT not in actor_for(self.db, by).roles:
            raise Forbidden(Role.SECRETARIAT.value, say("recording a presentation outcome"))
        change = RegistryChange(key=key, at=at, actor=by, command=request)
        outcome = await registry_service.submit(
            self.client, change, self.task_queue, self.clock_offset
        )
        registry_service.raise_if_refused(outcome)
        return outcome

    async def ensure_rosters(self, at: datetime) -> list[str]:
        """Start the roster process of every annual plenary ahead that has none (seeded ones)."""
        today = local_date(at, self.rulebook.initiative.timezone)
        with self.db.reading() as session:
            waiting = roster_repo.plenaries_without_roster(session, today)
            scheduled = roster_repo.scheduled_instants(session, [p for p, _year in waiting])
        started = []
        for plenary, _year in waiting:
            # The seed hashes the instant the plenary was scheduled, never the instant a worker
            # happened to start: a worker restarted between the registry change and its roster
            # start would otherwise announce another seed than an undisturbed run.
            roster = RosterInput(
                plenary_id=plenary,
                scheduled_at=scheduled.get(plenary, at),
                clock_offset=self.clock_offset,
            )
            workflow = roster_workflow_id(plenary)
            if await start_once(self.client, ROSTER_WORKFLOW, roster, workflow, self.task_queue):
                started.append(workflow)
        return started
