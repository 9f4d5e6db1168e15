"""The verification roster: published rosters, the forecast, deferrals and outcomes.

Every member may read rosters and the forecast (the roster is circulated to all members). A
deferral is asked by one of the presenting member's focal points or the Secretariat and decided
by the Chair or the Secretariat, through the roster's workflow; outcomes are recorded by the
Secretariat as registry changes, so each is applied once and audited.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field

from governance.kernel.messages import say
from governance.kernel.model import Frozen, Incoming, OneLine, Person, Role, Slug
from governance.kernel.timekeeping import local_date
from governance.roster.contracts import DeferralRequest
from governance.roster.document import RosterDocument, verify
from governance.roster.presentations import RecordPresentation
from governance.roster.requests import DecideDeferral, RequestDeferral, Year
from governance.roster.rule import PresentationOutcome
from govsched.http.api.reading import request_language
from govsched.http.api.routes.registry import ERRORS, IdempotencyHeader, apply_change
from govsched.http.api.schemas import ChangeApplied
from govsched.http.bodies import MAX_FORECAST_YEARS, DecisionBody, DeferralBody, Reason
from govsched.http.deps import CurrentPerson, RequestKey, State, requires
from govsched.i18n.current import use_language
from govsched.services.roster import (
    ForecastYear,
    RosterService,
    circulated,
    forecast_years,
    published,
)

router = APIRouter(tags=["rosters"])

MARKDOWN = "text/markdown; charset=utf-8"


class RosterFormat(StrEnum):
    JSON = "json"
    MARKDOWN = "markdown"


class PresentationBody(Incoming):
    member: Slug
    outcome: PresentationOutcome
    note: Annotated[OneLine, Field(max_length=500)] = ""
    reason: Reason = ""


class Verification(Frozen):
    year: int
    matches: bool
    differences: list[str]


def _now(state: State) -> datetime:
    return state.settings.now()


async def _service(state: State) -> RosterService:
    client = await state.temporal.client()
    return RosterService(
        client, state.db, state.rulebook, state.settings.task_queue, state.settings.clock_offset
    )


# Declared before /rosters/{year}, which would otherwise take "forecast" for a year.
@router.get("/rosters/forecast", responses=ERRORS)
def get_forecast(
    state: State,
    _: CurrentPerson,
    years: Annotated[int, Query(ge=1, le=MAX_FORECAST_YEARS)] = 3,
) -> list[ForecastYear]:
    """Rosters published for plenaries not yet over, then who the rule would draw, and why."""
    today = local_date(_now(state), state.rulebook.initiative.timezone)
    return forecast_years(state.db, state.rulebook, years, today)


@router.get(
    "/rosters/{year}",
    responses={**ERRORS, 200: {"content": {"text/markdown": {}}}},
    response_model=RosterDocument,
)
def get_roster(
    request: Request,
    state: State,
    _: CurrentPerson,
    year: Year,
    format: RosterFormat = RosterFormat.JSON,
) -> Any:
    """The published roster with its inputs (JSON), or the Markdown circulated to members (in
    the reader's language: Accept-Language, else the initiative's)."""
    if format is RosterFormat.MARKDOWN:
        language = request_language(request)
        with use_language(language):
            text = circulated(state.db, year)
        headers = {"Content-Language": language.value}
        return Response(content=text, media_type=MARKDOWN, headers=headers)
    return published(state.db, year)


@router.get("/rosters/{year}/verification", responses=ERRORS)
def verify_roster(state: State, _: CurrentPerson, year: Year) -> Verification:
    """Recompute the published roster from its published inputs: does it match?"""
    differences = verify(published(state.db, year))
    return Verification(year=year, matches=not differences, differences=differences)


@router.post("/rosters/{year}/deferrals", status_code=201, responses=ERRORS)
async def request_deferral(
    state: State, person: CurrentPerson, year: Year, body: DeferralBody, key: RequestKey
) -> DeferralRequest:
    """Ask to defer a presentation (a focal point of the member, or the Secretariat)."""
    request = RequestDeferral(year=year, member=body.member, by=person.id, reason=body.reason)
    return await (await _service(state)).request_deferral(request, _now(state), key)


@router.post("/rosters/{year}/deferrals/{member}/decision", responses=ERRORS)
async def decide_deferral(
    state: State,
    person: CurrentPerson,
    year: Year,
    member: Slug,
    body: DecisionBody,
    key: RequestKey,
) -> RosterDocument:
    """Approve (a replacement is drawn by the same rule) or refuse a deferral request."""
    request = DecideDeferral(year=year, member=member, by=person.id, approve=body.approve)
    return await (await _service(state)).decide_deferral(request, _now(state), key)


@router.post("/rosters/{year}/presentations", status_code=201, responses=ERRORS)
async def record_presentation(
    state: State,
    year: Year,
    body: PresentationBody,
    response: Response,
    person: Annotated[
        Person, Depends(requires(Role.SECRETARIAT, say("recording a presentation outcome")))
    ],
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    """Record what happened at the plenary (presented, excused, absent) in the ledger."""
    command = RecordPresentation(
        year=year, member=body.member, outcome=body.outcome, note=body.note
    )
    return await apply_change(state, person, body, command, idempotency_key, response)
