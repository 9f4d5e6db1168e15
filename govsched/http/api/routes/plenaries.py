"""Preparing a plenary: moving it, and its milestones (issue 6).

Moving and completing are registry changes, so each is applied once per Idempotency-Key,
audited, and followed by the governance year and the roster without restarting either.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from pydantic import Field

from governance.kernel.errors import NotFound
from governance.kernel.messages import say
from governance.kernel.model import Incoming, OneLine, Person, Role
from governance.kernel.timekeeping import local_date
from governance.registry.changes import CompleteMilestone, MovePlenary
from governance.year.milestones import MilestoneReading, reading
from governance.year.plenary_agenda import DraftAgenda, as_html, as_markdown
from govsched.http.api.routes.registry import ERRORS, IdempotencyHeader, apply_change
from govsched.http.api.schemas import ChangeApplied
from govsched.http.bodies import CompleteIn, Reason
from govsched.http.deps import CurrentPerson, State, requires
from govsched.http.error_language import reader_language
from govsched.i18n.current import use_language
from govsched.i18n.documents import agenda_draft_note
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.applications import actor_for
from govsched.services.plenary_agenda import agenda_for

router = APIRouter(tags=["plenaries"])


class MoveIn(Incoming):
    starts: date
    ends: date
    location: Annotated[OneLine, Field(min_length=1, max_length=200)] | None = None
    reason: Reason = ""


def _plenary_or_404(state: State, plenary_id: str) -> tuple[int, str | None]:
    """The plenary's year, and its id if it is extraordinary (commands name those by id)."""
    with state.db.reading() as session:
        plenary = registry_repo.get_plenary(session, plenary_id)
    if plenary is None:
        raise NotFound("plenary", plenary_id)
    return plenary.year, None if plenary_id == f"plenary-{plenary.year}" else plenary_id


@router.get("/plenaries/{plenary_id}/milestones", responses=ERRORS)
def list_milestones(state: State, _: CurrentPerson, plenary_id: str) -> list[MilestoneReading]:
    """Each milestone with its status now: open, overdue (its due day has ended) or completed,
    as the web and a rehearsal's state.json show it."""
    _plenary_or_404(state, plenary_id)
    with state.db.reading() as session:
        milestones = milestone_repo.of_plenary(session, plenary_id)
    now, tz = state.settings.now(), state.rulebook.initiative.timezone
    return [reading(m, now, tz) for m in milestones]


@router.post("/plenaries/{plenary_id}/move", status_code=201, responses=ERRORS)
async def move_plenary(
    state: State,
    plenary_id: str,
    body: MoveIn,
    response: Response,
    person: Annotated[Person, Depends(requires(Role.SECRETARIAT, say("moving a plenary")))],
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    year, extraordinary = _plenary_or_404(state, plenary_id)
    command = MovePlenary(
        year=year,
        starts=body.starts,
        ends=body.ends,
        location=body.location,
        plenary=extraordinary,
    )
    return await apply_change(state, person, body, command, idempotency_key, response)


@router.post("/plenaries/{plenary_id}/milestones/{key}/complete", status_code=201, responses=ERRORS)
async def complete_milestone(
    state: State,
    plenary_id: str,
    key: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,60}$", description="the milestone's key")],
    response: Response,
    person: CurrentPerson,
    body: CompleteIn | None = None,
    idempotency_key: IdempotencyHeader = None,
) -> ChangeApplied:
    """The caller completes it: the Secretariat, or someone holding the milestone's owner role."""
    year, extraordinary = _plenary_or_404(state, plenary_id)
    command = CompleteMilestone(year=year, key=key, by=person.id, plenary=extraordinary)
    return await apply_change(
        state, person, body or CompleteIn(), command, idempotency_key, response
    )


@router.get("/plenaries/{plenary_id}/agenda", responses=ERRORS, response_model=DraftAgenda)
def draft_agenda(
    request: Request,
    state: State,
    viewer: CurrentPerson,
    plenary_id: str,
    format: Annotated[
        Literal["json", "md", "html"], Query(description="json, Markdown or HTML")
    ] = "json",
) -> DraftAgenda | Response:
    """The draft agenda as things stand now: decisions awaiting the plenary, the roster, the
    strategy review, the Chair handover. Each reader sees the items they may read anywhere
    else: an application or concern they would be told does not exist is not on it."""
    rulebook = state.rulebook
    today = local_date(state.settings.now(), rulebook.initiative.timezone)
    # in the reader's language, as error messages are (Accept-Language, else the initiative's)
    language = reader_language(request)
    headers = {"Content-Language": language.value}
    with use_language(language):
        agenda = agenda_for(state.db, plenary_id, today, rulebook, actor_for(state.db, viewer.id))
        note = agenda_draft_note(agenda)
    if format == "md":
        return PlainTextResponse(
            as_markdown(agenda, note), media_type="text/markdown; charset=utf-8", headers=headers
        )
    if format == "html":
        return HTMLResponse(as_html(agenda, note, language.value), headers=headers)
    return JSONResponse(agenda.model_dump(mode="json"), headers=headers)
