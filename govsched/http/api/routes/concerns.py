"""Participant concerns (issue 9): filing, each step of the case, and reading a case as each
person may see it. Anyone without a part in a case is told it does not exist (404)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path

from governance.concerns.access import ConcernView, view
from governance.concerns.contracts import (
    AcknowledgeConcern,
    ConcernCommand,
    DecideConcern,
    ExtendDialogue,
    FileConcern,
    Note,
    RecommendOnConcern,
    RecordDialogue,
    ReferConcern,
    WithdrawConcern,
)
from governance.concerns.model import Filing, Outcome, Text
from governance.kernel.model import Incoming, Person
from govsched.http.api.routes.registry import ERRORS
from govsched.http.deps import CurrentPerson, RequestKey, State
from govsched.services.concerns import ConcernService

router = APIRouter(tags=["concerns"])
Case = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="the case id")]


class FilingIn(Filing, Incoming):
    """A filing as a request: a blank summary is refused."""


class MeetingIn(Incoming):
    note: Text
    held_on: date | None = None


class ExtensionIn(Incoming):
    reason: Text


class RecommendationIn(Incoming):
    recommendation: Text


class DecisionIn(Incoming):
    outcome: Outcome
    note: Note = ""
    follow_ups: list[date] = []


class WithdrawalIn(Incoming):
    note: Note = ""


async def _service(state: State, ready: bool = False) -> ConcernService:
    """The service; for a step (`ready`), only once Temporal answered, so that a step is not
    written while its workflow cannot be told (the key covers Temporal lost in between)."""
    client = await (state.temporal.ready_client() if ready else state.temporal.client())
    return state.concerns(client)


async def _perform(state: State, person: Person, command: ConcernCommand, key: str) -> ConcernView:
    service = await _service(state, ready=True)
    record = await service.perform(command, state.settings.now(), key)
    return view(record, service.actor(person.id))


@router.get("/concerns", responses=ERRORS)
async def list_concerns(state: State, person: CurrentPerson) -> list[ConcernView]:
    """The cases the person has a part in; an anonymous filer shows as "anonymous" except to
    the Secretariat and the filer's own side."""
    service = await _service(state)
    return service.list(service.actor(person.id))


@router.get("/concerns/{case}", responses=ERRORS)
async def get_concern(state: State, person: CurrentPerson, case: Case) -> ConcernView:
    service = await _service(state)
    return service.read(case, service.actor(person.id))


@router.post("/concerns", status_code=201, responses=ERRORS)
async def file_concern(
    state: State, person: CurrentPerson, body: FilingIn, key: RequestKey
) -> ConcernView:
    """A focal point files about another member; the Secretariat files on behalf of a third
    party (`on_behalf_of`)."""
    return await _perform(state, person, FileConcern(by=person.id, **body.model_dump()), key)


@router.post("/concerns/{case}/acknowledgement", responses=ERRORS)
async def acknowledge(
    state: State, person: CurrentPerson, case: Case, key: RequestKey
) -> ConcernView:
    """The Secretariat acknowledges the case; the facilitated dialogue begins."""
    return await _perform(state, person, AcknowledgeConcern(case=case, by=person.id), key)


@router.post("/concerns/{case}/meetings", responses=ERRORS)
async def record_meeting(
    state: State, person: CurrentPerson, case: Case, body: MeetingIn, key: RequestKey
) -> ConcernView:
    """The Secretariat records a dialogue meeting (held today unless `held_on` is given)."""
    command = RecordDialogue(case=case, by=person.id, note=body.note, held_on=body.held_on)
    return await _perform(state, person, command, key)


@router.post("/concerns/{case}/extension", responses=ERRORS)
async def extend(
    state: State, person: CurrentPerson, case: Case, body: ExtensionIn, key: RequestKey
) -> ConcernView:
    """The Chair extends the dialogue once, with a reason."""
    command = ExtendDialogue(case=case, by=person.id, reason=body.reason)
    return await _perform(state, person, command, key)


@router.post("/concerns/{case}/referral", responses=ERRORS)
async def refer(state: State, person: CurrentPerson, case: Case, key: RequestKey) -> ConcernView:
    """The Secretariat ends the dialogue early and refers the case to the Steering Committee."""
    return await _perform(state, person, ReferConcern(case=case, by=person.id), key)


@router.post("/concerns/{case}/recommendation", responses=ERRORS)
async def recommend(
    state: State, person: CurrentPerson, case: Case, body: RecommendationIn, key: RequestKey
) -> ConcernView:
    """A Steering Committee member records the committee's recommendation."""
    command = RecommendOnConcern(case=case, by=person.id, recommendation=body.recommendation)
    return await _perform(state, person, command, key)


@router.post("/concerns/{case}/decision", responses=ERRORS)
async def decide(
    state: State, person: CurrentPerson, case: Case, body: DecisionIn, key: RequestKey
) -> ConcernView:
    """The Secretariat or the Chair records the decision (or, before it, an early resolution).
    Inactive or expulsion outcomes are proposals: no member's status changes here."""
    command = DecideConcern(case=case, by=person.id, **body.model_dump())
    return await _perform(state, person, command, key)


@router.post("/concerns/{case}/withdrawal", responses=ERRORS)
async def withdraw(
    state: State, person: CurrentPerson, case: Case, body: WithdrawalIn, key: RequestKey
) -> ConcernView:
    """The filer's side or the Secretariat withdraws the case."""
    return await _perform(
        state, person, WithdrawConcern(case=case, by=person.id, note=body.note), key
    )
