"""The year: the plenary, its milestones on a timeline with owners and status, the Chair
handover checklist and the draft agenda. Completing goes through the registry-change workflow,
as `POST /plenaries/.../complete` and `POST /handovers/.../complete` do."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from governance.kernel.errors import NotFound
from governance.kernel.model import Plenary, PlenaryKind, Role
from governance.kernel.timekeeping import local_date
from governance.registry.changes import CompleteMilestone, RegistryCommand
from governance.reports.cycle import cycle_dates
from governance.year.handover.changes import may_complete
from governance.year.handover.rules import (
    CompleteHandoverItem,
    DesignateIncomingChair,
    Handover,
    ItemStatus,
)
from governance.year.milestones import (
    PROGRESS_LABELS,
    MilestoneStatus,
    PlannedMilestone,
    deadline_progress,
    may_complete_milestone,
    progress,
)
from govsched.http.bodies import CompleteIn, CompleteItemIn, DesignateIn
from govsched.http.changes import submit_change
from govsched.http.path_years import PlenaryYear as Year
from govsched.http.state import AppState
from govsched.http.web import action_forms as forms
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.charts import timeline as year_timeline
from govsched.http.web.charts.picture import Picture
from govsched.http.web.forms import FormState, parse
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render
from govsched.i18n.current import current_language
from govsched.i18n.current import gettext as _
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import registry as registry_service
from govsched.services.handover import incoming_candidates
from govsched.services.plenary_agenda import agenda_for

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _chosen(plenaries: list[Plenary], params: dict[str, str], today: date) -> Plenary | None:
    wanted = params.get("plenary") or (
        f"plenary-{params['handover']}" if params.get("handover") else ""
    )
    if wanted:
        found = next((p for p in plenaries if p.id == wanted), None)
        if found is None:
            raise NotFound("plenary", wanted)
        return found
    annual = [p for p in plenaries if p.kind is PlenaryKind.ANNUAL]
    ahead = [p for p in annual if p.ends >= today]
    return min(ahead, key=lambda p: p.starts) if ahead else (annual[-1] if annual else None)


@page(r"/web/year")
def year_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    tz = state.rulebook.initiative.timezone
    today = local_date(state.settings.now(), tz)
    with state.db.reading() as session:
        plenaries = sorted(registry_repo.list_plenaries(session), key=lambda p: p.starts)
        plenary = _chosen(plenaries, params, today)
        milestones = milestone_repo.of_plenary(session, plenary.id) if plenary else ()
        handover = handover_repo.get(session, plenary.year) if plenary else None
        names = _names(session, plenary, milestones, handover)
    back = f"/web/year?plenary={plenary.id}" if plenary else "/web/year"
    roles = viewer.person.roles
    now = state.settings.now()
    timeline = [
        {
            "milestone": m,
            "status": progress(m, now, tz),
            "form": forms.complete_milestone(m, back)
            if m.status is MilestoneStatus.OPEN and may_complete_milestone(m, roles)
            else None,
        }
        for m in sorted(milestones, key=lambda m: (m.due, m.key))
    ]
    checklist = []
    designate = None
    if handover is not None and handover.plenary_id == (plenary.id if plenary else ""):
        member = viewer.person.member
        checklist = [
            {
                "item": item,
                "status": deadline_progress(item.completed_at is not None, item.due, now, tz),
                "form": forms.complete_handover_item(handover.year, item.key, back)
                if item.status is ItemStatus.OPEN
                and may_complete(handover, item.key, roles, member)
                else None,
            }
            for item in sorted(handover.items, key=lambda i: (i.due, i.key))
        ]
        if handover.completed_at is None and viewer.holds(Role.SECRETARIAT, Role.CHAIR):
            candidates = incoming_candidates(state.db, handover, state.rulebook)
            if candidates:
                choices = [(m.id, m.name) for m in candidates]
                designate = forms.designate_incoming(handover.year, choices, back)
    else:
        handover = None
    agenda = (
        agenda_for(state.db, plenary.id, today, state.rulebook, viewer.actor) if plenary else None
    )
    context = {
        "picture": _timeline(plenary, timeline, handover, checklist, state, today),
        "plenaries": plenaries,
        "plenary": plenary,
        "timeline": timeline,
        "handover": handover,
        "checklist": checklist,
        "designate": designate,
        "agenda": agenda,
        "today": today,
        "labels": {k: _(v) for k, v in PROGRESS_LABELS.items()},
        # a milestone's or handover item's title is a rulebook label, with a text per language
        "label": _label_in_reader_language(state),
        # members and people by name, not by id (the host, the Chairs, who ticked an item off)
        "names": names,
    }
    return render(request, "year.html", context, status, viewer, form_state)


def _names(
    session: Session,
    plenary: Plenary | None,
    milestones: Sequence[PlannedMilestone],
    handover: Handover | None,
) -> dict[str, str]:
    members = {plenary.host} if plenary is not None and plenary.host else set()
    people = {m.completed_by for m in milestones if m.completed_by}
    if handover is not None:
        members |= {m for m in (handover.outgoing, handover.incoming) if m}
        people |= {i.completed_by for i in handover.items if i.completed_by}
    return registry_repo.names(session, members, people)


def _label_in_reader_language(state: AppState) -> Callable[[str], str]:
    language = current_language()
    return lambda english: state.rulebook.label_text(english, language)


def _timeline(
    plenary: Plenary | None,
    milestones: list[dict[str, Any]],
    handover: Handover | None,
    checklist: list[dict[str, Any]],
    state: AppState,
    today: date,
) -> Picture | None:
    """The page's dates as a picture: its milestones and checklist, with the same statuses."""
    if plenary is None:
        return None
    annual = plenary.kind is PlenaryKind.ANNUAL
    found = year_timeline.events(
        plenary,
        [(row["milestone"], row["status"]) for row in milestones],
        handover,
        [(row["item"], row["status"]) for row in checklist],
        cycle_dates(plenary, state.rulebook) if annual else None,
        state.rulebook,
        _label_in_reader_language(state),
    )
    return year_timeline.picture(found, today)


@router.get("/web/year")
def year(request: Request, viewer: SignedIn) -> Response:
    return year_page(request, viewer, dict(request.query_params))


async def _registry_change(
    request: Request,
    viewer: Viewer,
    body: CompleteIn | CompleteItemIn | DesignateIn,
    command: RegistryCommand,
) -> None:
    state: AppState = request.app.state.govsched
    await submit_change(state, viewer.person, body.reason, command, None)


def _plenary_year(state: AppState, plenary_id: str) -> tuple[int, str | None]:
    with state.db.reading() as session:
        plenary = registry_repo.get_plenary(session, plenary_id)
    if plenary is None:
        raise NotFound("plenary", plenary_id)
    return plenary.year, None if plenary_id == f"plenary-{plenary.year}" else plenary_id


@router.post("/web/plenaries/{plenary_id}/milestones/{key}/complete")
async def complete_milestone(
    request: Request, viewer: SignedIn, plenary_id: str, key: str
) -> Response:
    async def perform(_values: dict[str, str]) -> None:
        year, extraordinary = _plenary_year(request.app.state.govsched, plenary_id)
        command = CompleteMilestone(year=year, key=key, by=viewer.person.id, plenary=extraordinary)
        await _registry_change(request, viewer, CompleteIn(), command)

    return await act(request, viewer, [], perform, "milestone completed", "/web/year")


@router.post("/web/handovers/{year}/items/{key}/complete")
async def complete_handover_item(
    request: Request, viewer: SignedIn, year: Year, key: str
) -> Response:
    async def perform(_values: dict[str, str]) -> None:
        _handover_or_404(request.app.state.govsched, year)
        command = CompleteHandoverItem(year=year, key=key, by=viewer.person.id)
        await _registry_change(request, viewer, CompleteItemIn(), command)

    return await act(request, viewer, [], perform, "handover item completed", "/web/year")


@router.post("/web/handovers/{year}/incoming-chair")
async def designate_incoming_chair(request: Request, viewer: SignedIn, year: Year) -> Response:
    """Named in two steps: the choice shows the announcement every member will receive, and
    only its confirmation sends it, so a slip of the mouse announces nothing."""
    state: AppState = request.app.state.govsched

    def command(values: dict[str, str]) -> tuple[DesignateIn, DesignateIncomingChair]:
        _handover_or_404(state, year)
        body = parse(DesignateIn, values)
        return body, DesignateIncomingChair(member=body.member, by=viewer.person.id, year=year)

    async def confirm(values: dict[str, str], back: str) -> Response:
        body, designation = command(values)
        effects = registry_service.preview(
            state.db, designation, state.settings.now(), state.rulebook
        )
        form = forms.confirm_incoming(year, body.member, back)
        context = {"form": form, "announcement": effects.notices[0].text, "back": back}
        return render(request, "confirm.html", context, 200, viewer)

    async def perform(values: dict[str, str]) -> None:
        body, designation = command(values)
        await _registry_change(request, viewer, body, designation)

    return await act(
        request, viewer, ["member"], perform, "incoming Chair named", "/web/year", confirm
    )


def _handover_or_404(state: AppState, year: int) -> None:
    with state.db.reading() as session:
        if handover_repo.get(session, year) is None:
            raise NotFound("handover", str(year))
