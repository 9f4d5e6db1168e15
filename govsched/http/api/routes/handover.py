"""The Government Chair handover: its state, naming the incoming Chair, the checklist (issue 6).

Both changes are registry changes: applied once per Idempotency-Key, audited, and followed by the
handover's workflow without restarting it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from governance.kernel.errors import NotFound
from governance.year.handover.rules import CompleteHandoverItem, DesignateIncomingChair, Handover
from govsched.http.api.routes.registry import ERRORS, IdempotencyHeader, apply_change
from govsched.http.api.schemas import ChangeApplied
from govsched.http.bodies import CompleteItemIn, DesignateIn
from govsched.http.deps import CurrentPerson, State
from govsched.http.path_years import PlenaryYear
from govsched.persistence.repos import handover as handover_repo

router = APIRouter(tags=["handovers"])
Year = PlenaryYear


def _handover_or_404(state: State, year: int) -> Handover:
    with state.db.reading() as session:
        handover = handover_repo.get(session, year)
    if handover is None:
        raise NotFound("handover", str(year))
    return handover


@router.get("/handovers", responses=ERRORS)
def list_handovers(state: State, _: CurrentPerson) -> list[Handover]:
    with state.db.reading() as session:
        return handover_repo.all_handovers(session)


@router.get("/handovers/{year}", responses=ERRORS)
def get_handover(state: State, _: CurrentPerson, year: Year) -> Handover:
    return _handover_or_404(state, year)


@router.post("/handovers/{year}/incoming-chair", status_code=201, responses=ERRORS)
async def designate_incoming_chair(
    state: State,
    year: Year,
    body: DesignateIn,
    response: Response,
    person: CurrentPerson,
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    """The Secretariat or the Chair names the government that takes over at this handover."""
    _handover_or_404(state, year)
    command = DesignateIncomingChair(member=body.member, by=person.id, year=year)
    return await apply_change(state, person, body, command, idempotency_key, response)


@router.post("/handovers/{year}/items/{key}/complete", status_code=201, responses=ERRORS)
async def complete_handover_item(
    state: State,
    year: Year,
    key: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,60}$", description="the item's key")],
    response: Response,
    person: CurrentPerson,
    body: CompleteItemIn | None = None,
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    """The item's owner (or the Secretariat) ticks it off."""
    _handover_or_404(state, year)
    command = CompleteHandoverItem(year=year, key=key, by=person.id)
    return await apply_change(
        state, person, body or CompleteItemIn(), command, idempotency_key, response
    )
