"""Annual reports and their peer review (issue 5): submitting, declaring a conflict, reviewing,
and the cycle's status as each person may see it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from governance.kernel.model import Incoming
from governance.reports.cycle import (
    DeclareConflict,
    Report,
    Review,
    SubmitReport,
    SubmitReview,
)
from govsched.http.api.routes.registry import ERRORS
from govsched.http.bodies import ReportIn, ReviewIn
from govsched.http.deps import CurrentPerson, RequestKey, State
from govsched.http.path_years import ReportingYear
from govsched.services.reports import CycleView, ReportService, cycle_view

router = APIRouter(tags=["reports"])
Year = ReportingYear


class DeclareConflictIn(DeclareConflict, Incoming):
    """A declared conflict as a request: a blank reason is refused."""


async def _service(state: State, ready: bool = False) -> ReportService:
    """The service; for a submission (`ready`), only once Temporal answered, so that it is not
    written while the cycle cannot be told (the key covers Temporal lost in between)."""
    client = await (state.temporal.ready_client() if ready else state.temporal.client())
    return ReportService(
        client,
        state.db,
        state.rulebook,
        state.settings.task_queue,
        state.settings.clock_offset,
        deliver=state.indicator_delivery,
    )


@router.get("/reports/{year}", responses=ERRORS)
def get_cycle(state: State, person: CurrentPerson, year: Year) -> CycleView:
    """The year's cycle: all of it for the Secretariat, the Steering Committee and the Chair;
    for a focal point, its member's report, the reviews of it and the reviews it owes."""
    return cycle_view(state.db, year, person, state.settings.now(), state.rulebook)


@router.post("/reports/{year}", status_code=201, responses=ERRORS)
async def submit_report(
    state: State, person: CurrentPerson, year: Year, body: ReportIn, key: RequestKey
) -> Report:
    """A focal point submits its member's report (the Secretariat may, for any member)."""
    command = SubmitReport(year=year, by=person.id, **body.model_dump())
    service = await _service(state, ready=True)
    return await service.submit_report(command, state.settings.now(), key)


@router.post("/reports/{year}/{report_of}/reviews", status_code=201, responses=ERRORS)
async def submit_review(
    state: State,
    person: CurrentPerson,
    year: Year,
    report_of: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")],
    body: ReviewIn,
    key: RequestKey,
) -> Review:
    """A focal point of the assigned reviewing member submits its review."""
    command = SubmitReview(
        year=year, report_of=report_of, reviewer=body.reviewer, by=person.id, url=body.url
    )
    service = await _service(state, ready=True)
    return await service.submit_review(command, state.settings.now(), key)


@router.post("/review-conflicts", status_code=201, responses=ERRORS)
async def declare_conflict(
    state: State, person: CurrentPerson, body: DeclareConflictIn
) -> DeclareConflict:
    """A focal point of the reviewing member, or the Secretariat, declares a conflict."""
    service = await _service(state)
    declared = DeclareConflict.model_validate(body.model_dump())
    service.declare_conflict_as(declared, state.settings.now(), person)
    return declared
