"""The registry: members, people, plenaries, Chair terms and Steering Committee seats.

Reads come straight from the database. Changes go through the registry-change workflow, so each
one is applied once (per Idempotency-Key), audited, published to calendars and announced.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Response
from pydantic import Field

from governance.kernel.errors import NotFound
from governance.kernel.messages import say
from governance.kernel.model import (
    ChairTerm,
    Incoming,
    Member,
    MemberStatus,
    OneLine,
    Person,
    Pillar,
    Plenary,
    Role,
    SteeringCommitteeSeat,
)
from governance.registry.changes import (
    AddMember,
    AddPerson,
    RegistryCommand,
    SchedulePlenary,
    SetChair,
)
from governance.registry.member_status import ChangeMemberStatus
from governance.registry.person_roles import ChangePersonRoles
from governance.year.seats import RecordSeat
from govsched.http.api.schemas import ChangeApplied, ErrorBody, PersonOut
from govsched.http.bodies import Reason
from govsched.http.changes import submit_change
from govsched.http.deps import CurrentPerson, State, requires
from govsched.persistence.repos import registry as registry_repo

router = APIRouter(tags=["registry"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "no token, or an unknown or revoked one"},
    403: {"model": ErrorBody, "description": "the person lacks the role (named in the body)"},
    404: {"model": ErrorBody, "description": "no such item"},
    409: {"model": ErrorBody, "description": "clashes with what is recorded"},
    422: {"model": ErrorBody, "description": "each invalid field, with the reason"},
    503: {"model": ErrorBody, "description": "the workflow service is unreachable; retry"},
}


class MemberIn(AddMember, Incoming):
    reason: Reason = ""


class MemberStatusIn(Incoming):
    status: MemberStatus
    decision: Annotated[OneLine, Field(min_length=1, max_length=300)] = Field(
        description="the decision that changes the status, as the history shows it"
    )
    since: date | None = Field(None, description="the day it takes effect; today if absent")
    reason: Reason = ""


class PersonIn(AddPerson, Incoming):
    reason: Reason = ""


class PlenaryIn(SchedulePlenary, Incoming):
    reason: Reason = ""


class ChairTermIn(SetChair, Incoming):
    reason: Reason = ""


class SeatIn(RecordSeat, Incoming):
    reason: Reason = ""


async def apply_change(
    state: State,
    person: Person,
    body: Any,
    command: RegistryCommand,
    key: str | None,
    response: Response,
) -> ChangeApplied:
    """Submit the change; 201 once applied, 202 when it waits for a worker."""
    submitted = await submit_change(state, person, body.reason, command, key)
    response.status_code = 202 if submitted.queued else 201
    return ChangeApplied(
        item_kind=submitted.item_kind, item_id=submitted.item_id, summary=submitted.summary
    )


def _command(body: Any, model: type[RegistryCommand]) -> Any:
    return model.model_validate(body.model_dump(exclude={"reason"}))


_SECRETARIAT = Role.SECRETARIAT
IdempotencyHeader = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="repeat a request safely: same key, same result"),
]


@router.get("/members", responses=ERRORS)
def list_members(
    state: State, _: CurrentPerson, pillar: Pillar | None = None, status: MemberStatus | None = None
) -> list[Member]:
    with state.db.reading() as session:
        return registry_repo.list_members(session, pillar, status)


@router.get("/members/{member_id}", responses=ERRORS)
def get_member(state: State, _: CurrentPerson, member_id: str) -> Member:
    with state.db.reading() as session:
        member = registry_repo.get_member(session, member_id)
    if member is None:
        raise NotFound("member", member_id)
    return member


@router.post("/members", status_code=201, responses=ERRORS)
async def add_member(
    state: State,
    body: MemberIn,
    response: Response,
    person: Annotated[Person, Depends(requires(_SECRETARIAT, say("recording a member")))],
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    return await apply_change(
        state, person, body, _command(body, AddMember), idempotency_key, response
    )


@router.post("/members/{member_id}/status", status_code=201, responses=ERRORS)
async def change_member_status(
    state: State,
    member_id: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")],
    body: MemberStatusIn,
    response: Response,
    person: Annotated[Person, Depends(requires(_SECRETARIAT, say("changing a member's status")))],
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    """Record a decision that makes a member Inactive, Withdrawn or Expelled, or returns an
    Inactive one to its status before: added to the member's status history."""
    command = ChangeMemberStatus(member=member_id, **body.model_dump(exclude={"reason"}))
    return await apply_change(state, person, body, command, idempotency_key, response)


@router.get("/people", responses=ERRORS)
def list_people(state: State, viewer: CurrentPerson, member: str | None = None) -> list[PersonOut]:
    with state.db.reading() as session:
        return [PersonOut.of(p, viewer) for p in registry_repo.list_people(session, member)]


@router.get("/people/{person_id}", responses=ERRORS)
def get_person(state: State, viewer: CurrentPerson, person_id: str) -> PersonOut:
    with state.db.reading() as session:
        person = registry_repo.get_person(session, person_id)
    if person is None:
        raise NotFound("person", person_id)
    return PersonOut.of(person, viewer)


class RolesIn(Incoming):
    roles: list[Role] = Field(
        description="the person's roles from now on: added and removed at once"
    )
    reason: Reason = ""


@router.put("/people/{person_id}/roles", status_code=201, responses=ERRORS)
async def change_person_roles(
    state: State,
    person_id: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")],
    body: RolesIn,
    response: Response,
    person: Annotated[Person, Depends(requires(_SECRETARIAT, say("changing a person's roles")))],
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    """Give a person exactly these roles; the Secretariat never ends up with nobody."""
    command = ChangePersonRoles(person=person_id, roles=body.roles)
    return await apply_change(state, person, body, command, idempotency_key, response)


@router.get("/me", responses=ERRORS)
def me(viewer: CurrentPerson) -> PersonOut:
    return PersonOut.of(viewer, viewer)


@router.post("/people", status_code=201, responses=ERRORS)
async def add_person(
    state: State,
    body: PersonIn,
    response: Response,
    person: Annotated[Person, Depends(requires(_SECRETARIAT, say("adding a person")))],
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    return await apply_change(
        state, person, body, _command(body, AddPerson), idempotency_key, response
    )


@router.get("/plenaries", responses=ERRORS)
def list_plenaries(state: State, _: CurrentPerson) -> list[Plenary]:
    with state.db.reading() as session:
        return registry_repo.list_plenaries(session)


@router.get("/plenaries/{plenary_id}", responses=ERRORS)
def get_plenary(state: State, _: CurrentPerson, plenary_id: str) -> Plenary:
    with state.db.reading() as session:
        plenary = registry_repo.get_plenary(session, plenary_id)
    if plenary is None:
        raise NotFound("plenary", plenary_id)
    return plenary


@router.post("/plenaries", status_code=201, responses=ERRORS)
async def schedule_plenary(
    state: State,
    body: PlenaryIn,
    response: Response,
    person: Annotated[Person, Depends(requires(_SECRETARIAT, say("scheduling a plenary")))],
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    command = _command(body, SchedulePlenary)
    return await apply_change(state, person, body, command, idempotency_key, response)


@router.get("/chair-terms", responses=ERRORS)
def list_chair_terms(state: State, _: CurrentPerson) -> list[ChairTerm]:
    with state.db.reading() as session:
        return registry_repo.list_chair_terms(session)


@router.post("/chair-terms", status_code=201, responses=ERRORS)
async def set_chair(
    state: State,
    body: ChairTermIn,
    response: Response,
    person: Annotated[Person, Depends(requires(_SECRETARIAT, say("recording a Chair term")))],
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    return await apply_change(
        state, person, body, _command(body, SetChair), idempotency_key, response
    )


@router.get("/steering-committee/seats", responses=ERRORS)
def list_seats(state: State, _: CurrentPerson) -> list[SteeringCommitteeSeat]:
    with state.db.reading() as session:
        return registry_repo.list_seats(session)


@router.post("/steering-committee/seats", status_code=201, responses=ERRORS)
async def record_seat(
    state: State,
    body: SeatIn,
    response: Response,
    person: Annotated[Person, Depends(requires(_SECRETARIAT, say("recording a seat")))],
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    """A Full member's seat for a term, within the rulebook's seats per pillar."""
    return await apply_change(
        state, person, body, _command(body, RecordSeat), idempotency_key, response
    )
