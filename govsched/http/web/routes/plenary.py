"""The plenary: its agenda as the Secretariat and the Chair keep it (items, order, document
links, numbered versions published to members) and the decisions taken while it sits.

Members read published versions only, each with what changed since the one before; the working
copy is the editors'. Decisions on applications use the applications' own form and route, so
the rule of the sitting plenary refuses them here exactly as in the API.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.applications.model import ApplicationState
from governance.kernel.errors import NotFound
from governance.kernel.model import Plenary, PlenaryKind, Role
from governance.kernel.timekeeping import local_date
from governance.year import published_agenda as rules
from governance.year.plenary_sessions import records_decisions_on
from governance.year.published_agenda import AgendaVersion, DocumentLink
from govsched.http.agenda_bodies import AgendaDecisionIn, AgendaItemIn, DocumentIn, MoveIn
from govsched.http.state import AppState
from govsched.http.web import action_forms
from govsched.http.web import agenda_forms as forms
from govsched.http.web.auth import SignedIn, Viewer, checked_form
from govsched.http.web.forms import FormState, parse
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render, safe_back, see_other
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import groups as group_service
from govsched.services import published_agenda as agenda

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _chosen(plenaries: list[Plenary], wanted: str, today: date, grace: int) -> Plenary | None:
    """The plenary asked for; else the one taking decisions today (through its grace days after
    it ends, the latest to begin as the sitting rule picks), else the next annual one."""
    if wanted:
        found = next((p for p in plenaries if p.id == wanted), None)
        if found is None:
            raise NotFound("plenary", wanted)
        return found
    sitting = [p for p in plenaries if records_decisions_on(p, today, grace)]
    if sitting:
        return max(sitting, key=lambda p: (p.starts, p.id))
    annual = [p for p in plenaries if p.kind is PlenaryKind.ANNUAL]
    ahead = [p for p in annual if p.ends >= today]
    return min(ahead, key=lambda p: p.starts) if ahead else (annual[-1] if annual else None)


def _shown_version(versions: list[AgendaVersion], wanted: str) -> AgendaVersion | None:
    if wanted:
        found = next((v for v in versions if str(v.number) == wanted), None)
        if found is None:
            raise NotFound("agenda version", wanted[:40])
        return found
    return versions[-1] if versions else None


@page(r"/web/plenary")
def plenary_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    now = state.settings.now()
    today = local_date(now, state.rulebook.initiative.timezone)
    grace = state.rulebook.plenary.decision_grace_days
    with state.db.reading() as session:
        plenaries = sorted(registry_repo.list_plenaries(session), key=lambda p: p.starts)
        waiting = application_repo.records(session, ApplicationState.AWAITING_PLENARY)
        people = {p: name for p, name, _member in registry_repo.person_choices(session)}
    plenary = _chosen(plenaries, params.get("plenary", ""), today, grace)
    context: dict[str, object] = {"plenaries": plenaries, "plenary": plenary}
    if plenary is None:
        return render(request, "plenary.html", context, status, viewer, form_state)
    kept = agenda.book(state.db, plenary.id)
    shown = _shown_version(kept.versions, params.get("version", ""))
    before = next((v for v in kept.versions if shown and v.number == shown.number - 1), None)
    editor = viewer.holds(Role.SECRETARIAT, Role.CHAIR)
    sitting = records_decisions_on(plenary, today, grace)
    back = f"/web/plenary?plenary={plenary.id}"
    latest_ids = {i.id for i in kept.latest.items} if kept.latest else set()
    decided = {i.id: i.decision for i in kept.items if i.decision is not None}
    annual = plenary.kind is PlenaryKind.ANNUAL
    context |= {
        # the in-country groups' confirmed nominees (issue 23, 3c)
        "group_seats": group_service.in_country_participants(state.db, plenary.year)
        if annual
        else [],
        "editor": editor,
        "people": people,
        "items": kept.items,
        "versions": kept.versions,
        "shown": shown,
        "changes": rules.changes(before, shown) if shown else [],
        "decided": decided,
        "sitting": sitting,
        "decision_window": (plenary.starts, plenary.ends + timedelta(days=grace)),
        "back": back,
        "announced": agenda.announcement_status(state.db, plenary, kept.versions) if editor else {},
        "add_form": forms.add_item(plenary.id, back) if editor else None,
        "document_forms": {i.id: forms.attach_document(plenary.id, i.id, back) for i in kept.items}
        if editor
        else {},
        "publish_form": forms.publish(plenary.id, len(kept.versions) + 1, back)
        if editor and kept.unpublished_changes()
        else None,
        "decision_forms": {
            i.id: forms.record_decision(plenary.id, i.id, back)
            for i in kept.items
            if i.id in latest_ids and i.decision is None
        }
        if editor and sitting
        else {},
        "applications": [
            (record, action_forms.plenary_decision(record.id, back))
            for record in sorted(waiting, key=lambda r: (r.submitted_at, r.id))
        ]
        if editor and sitting
        else [],
    }
    return render(request, "plenary.html", context, status, viewer, form_state)


@router.get("/web/plenary")
def plenary(request: Request, viewer: SignedIn) -> Response:
    return plenary_page(request, viewer, dict(request.query_params))


def _back(plenary_id: str) -> str:
    return f"/web/plenary?plenary={plenary_id}"


@router.post("/web/plenaries/{plenary_id}/agenda/items")
async def add_item(request: Request, viewer: SignedIn, plenary_id: str) -> Response:
    state: AppState = request.app.state.govsched

    async def perform(values: dict[str, str]) -> None:
        body = parse(AgendaItemIn, values)
        agenda.add_item(state.db, plenary_id, body.title, viewer.person, state.settings.now())

    return await act(request, viewer, ["title"], perform, "item added", _back(plenary_id))


@router.post("/web/plenaries/{plenary_id}/agenda/items/{item}/move")
async def move_item(request: Request, viewer: SignedIn, plenary_id: str, item: str) -> Response:
    state: AppState = request.app.state.govsched

    async def perform(values: dict[str, str]) -> None:
        body = parse(MoveIn, values)
        now = state.settings.now()
        agenda.move_item(
            state.db, plenary_id, rules.item_number(item), body.direction, viewer.person, now
        )

    return await act(request, viewer, ["direction"], perform, "item moved", _back(plenary_id))


@router.post("/web/plenaries/{plenary_id}/agenda/items/{item}/remove")
async def remove_item(request: Request, viewer: SignedIn, plenary_id: str, item: str) -> Response:
    state: AppState = request.app.state.govsched

    async def perform(_values: dict[str, str]) -> None:
        agenda.remove_item(
            state.db, plenary_id, rules.item_number(item), viewer.person, state.settings.now()
        )

    return await act(request, viewer, [], perform, "item removed", _back(plenary_id))


@router.post("/web/plenaries/{plenary_id}/agenda/items/{item}/documents")
async def attach_document(
    request: Request, viewer: SignedIn, plenary_id: str, item: str
) -> Response:
    state: AppState = request.app.state.govsched

    async def perform(values: dict[str, str]) -> None:
        body = parse(DocumentIn, values)
        link = DocumentLink(title=body.title, url=body.url)
        agenda.attach_document(
            state.db, plenary_id, rules.item_number(item), link, viewer.person, state.settings.now()
        )

    fields = ["title", "url"]
    return await act(request, viewer, fields, perform, "document attached", _back(plenary_id))


@router.post("/web/plenaries/{plenary_id}/agenda/items/{item}/decision")
async def record_decision(
    request: Request, viewer: SignedIn, plenary_id: str, item: str
) -> Response:
    state: AppState = request.app.state.govsched

    async def perform(values: dict[str, str]) -> None:
        body = parse(AgendaDecisionIn, values)
        now = state.settings.now()
        agenda.record_decision(
            state.db,
            plenary_id,
            rules.item_number(item),
            body.text,
            viewer.person,
            now,
            state.rulebook,
        )

    return await act(request, viewer, ["text"], perform, "decision recorded", _back(plenary_id))


@router.post("/web/plenaries/{plenary_id}/agenda/publish")
async def publish(request: Request, viewer: SignedIn, plenary_id: str) -> Response:
    state: AppState = request.app.state.govsched

    async def perform(_values: dict[str, str]) -> None:
        delivery = agenda.delivery_for(state.settings, state.db, state.rulebook)
        # Slack and SMTP calls block: keep them off the event loop.
        await asyncio.to_thread(
            agenda.publish, state.db, plenary_id, viewer.person, state.settings.now(), delivery
        )

    return await act(request, viewer, [], perform, "agenda published", _back(plenary_id))


@router.post("/web/plenaries/{plenary_id}/agenda/versions/{number}/announce")
async def announce_again(
    request: Request, viewer: SignedIn, plenary_id: str, number: str
) -> Response:
    """Send a version's notice that did not go out (a channel was down): once, by its key."""
    state: AppState = request.app.state.govsched
    form = await checked_form(request, viewer)
    back = safe_back(form.get("back"), _back(plenary_id))
    rules.check_editor(viewer.person.roles)
    kept = agenda.book(state.db, plenary_id)
    version = next((v for v in kept.versions if str(v.number) == number), None)
    if version is None:
        raise NotFound("agenda version", number[:40])
    before = next((v for v in kept.versions if v.number == version.number - 1), None)
    delivery = agenda.delivery_for(state.settings, state.db, state.rulebook)
    await asyncio.to_thread(agenda.announce, kept.plenary, version, before, delivery)
    return see_other(back, "notice sent")
