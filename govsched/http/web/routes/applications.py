"""Applications: the pipeline by state and window, each one's timeline, and its actions.

Who sees what is `governance.applications.access`, as in the API: the whole record for the
Secretariat and the Steering Committee; the summary (state, next step, outcome) for the member
asking for Full membership, voting members' focal points during the no-objection period, the
Chair while it awaits the plenary and everyone once an admission is announced; nothing otherwise
(404, exactly as for an id nobody used, so an application's existence does not leak).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.applications import requests as req
from governance.applications.access import entitled, may_see, summary, visible
from governance.applications.model import ApplicationKind, ApplicationRecord, ApplicationState
from governance.applications.rules import step_note_words
from governance.kernel.model import Role
from governance.kernel.timekeeping import local_date
from govsched.http.bodies import (
    ObjectBody,
    PlenaryDecisionBody,
    ProvideInformationBody,
    RecommendBody,
    RequestInformationBody,
)
from govsched.http.state import AppState
from govsched.http.web import action_forms as forms
from govsched.http.web.application_summary import ratifying_plenary, summary_for_reader
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.charts import pipeline as pipeline_picture
from govsched.http.web.forms import Form, FormState, parse
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render
from govsched.i18n.documents import message_in_reading
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.status_links import status_path

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _visible(state: AppState, viewer: Viewer, application_id: str) -> ApplicationRecord:
    with state.db.reading() as session:
        record = application_repo.get(session, application_id)
    return visible(record, viewer.actor, application_id)


def _window(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@page(r"/web/applications")
def pipeline_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    chosen_state = params.get("state") or ""
    window = _window(params.get("window"))
    wanted = ApplicationState(chosen_state) if chosen_state in set(ApplicationState) else None
    with state.db.reading() as session:
        records = application_repo.records(session, wanted, window, None)
    labels = state.rulebook.initiative.labels
    shown = [summary(r, labels) for r in records if may_see(r, viewer.actor)]
    by_state: dict[str, list[Any]] = {}
    for item in shown:
        by_state.setdefault(item.state.value, []).append(item)
    windows = sorted({r.window for r in records if r.window is not None})
    tz = state.rulebook.initiative.timezone
    today = local_date(state.settings.now(), tz)
    stages = pipeline_picture.for_reader(records, viewer.actor, today, tz)
    context = {
        "pipeline": pipeline_picture.picture(stages),
        "groups": [(s.value, by_state.get(s.value, [])) for s in ApplicationState],
        "states": [s.value for s in ApplicationState],
        "chosen_state": chosen_state,
        "windows": windows,
        "chosen_window": window,
        "count": len(shown),
    }
    return render(request, "applications.html", context, status, viewer, form_state)


@router.get("/web/applications")
def pipeline(request: Request, viewer: SignedIn) -> Response:
    return pipeline_page(request, viewer, dict(request.query_params))


def _actions(record: ApplicationRecord, viewer: Viewer, form_state: FormState | None) -> list[Form]:
    back = f"/web/applications/{record.id}"
    actor = viewer.actor
    found: list[Form] = []
    if Role.SECRETARIAT in actor.roles:
        by_state = {
            ApplicationState.AWAITING_CHECK: [forms.mark_complete, forms.request_information],
            ApplicationState.INFORMATION_REQUESTED: [forms.provide_information],
            ApplicationState.COMPLETE: [forms.start_review],
            ApplicationState.AWAITING_PLENARY: [forms.plenary_decision],
        }
        found += [make(record.id, back) for make in by_state.get(record.state, [])]
    if record.state is ApplicationState.UNDER_REVIEW and actor.person in record.reviewers:
        # After recommending the form goes, unless it is the one just refused (kept as typed).
        recommend = forms.recommend(record.id, back)
        again = form_state is not None and form_state.form == recommend.id
        if record.recommendation_of(actor.person) is None or again:
            found.append(recommend)
    if record.state is ApplicationState.NO_OBJECTION_PERIOD and actor.objector:
        found.append(forms.object_to(record.id, back))
    return found


@page(r"/web/applications/(?P<application_id>[\w-]+)")
def application_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    record = _visible(state, viewer, params["application_id"])
    full = entitled(record, viewer.actor)
    people: set[str] = set()
    if full:
        people = {s.by for s in record.history} | set(record.reviewers)
    with state.db.reading() as session:
        names = {
            p: person.name
            for p in people
            if (person := registry_repo.get_person(session, p)) is not None
        }
    context = {
        "record": record if full else None,
        "summary": summary_for_reader(
            record, state.rulebook, ratifying_plenary(state.db, record, state.rulebook)
        ),
        "names": names,
        # the notes the rules wrote (the review's tally) in the reader's language
        "step_notes": {
            i: message_in_reading(words)
            for i, step in enumerate(record.history)
            if (words := step_note_words(record, step)) is not None
        },
        "actions": _actions(record, viewer, form_state),
        "status_link": _status_link(state, viewer, record),
    }
    return render(request, "application.html", context, status, viewer, form_state)


def _status_link(state: AppState, viewer: Viewer, record: ApplicationRecord) -> str | None:
    """The applicant's private link, for the Secretariat to send on (issue 19)."""
    if not viewer.holds(Role.SECRETARIAT) or record.kind is not ApplicationKind.ADMISSION:
        return None
    return f"{state.settings.base_url}{status_path(state.ids, record.id)}"


@router.get("/web/applications/{application_id}")
def application(request: Request, viewer: SignedIn, application_id: str) -> Response:
    return application_page(request, viewer, {"application_id": application_id})


def _perform(
    request: Request, make: Callable[[dict[str, str]], req.ApplicationRequest]
) -> Callable[[dict[str, str]], Awaitable[Any]]:
    async def perform(values: dict[str, str]) -> None:
        command = make(values)
        state: AppState = request.app.state.govsched
        client = await state.temporal.client()
        service = state.applications(client)
        await service.perform(command, state.settings.now())

    return perform


@router.post("/web/applications/{application_id}/mark-complete")
async def mark_complete(request: Request, viewer: SignedIn, application_id: str) -> Response:
    by = viewer.person.id
    make = lambda _: req.MarkComplete(application=application_id, by=by)  # noqa: E731
    return await act(request, viewer, [], _perform(request, make), "marked complete")


@router.post("/web/applications/{application_id}/start-review")
async def start_review(request: Request, viewer: SignedIn, application_id: str) -> Response:
    by = viewer.person.id
    make = lambda _: req.StartReview(application=application_id, by=by)  # noqa: E731
    return await act(request, viewer, [], _perform(request, make), "review started")


@router.post("/web/applications/{application_id}/request-information")
async def request_information(request: Request, viewer: SignedIn, application_id: str) -> Response:
    def make(values: dict[str, str]) -> req.ApplicationRequest:
        body = parse(RequestInformationBody, values)
        return req.RequestInformation(
            application=application_id, by=viewer.person.id, **body.model_dump()
        )

    fields = ["question", "respond_within_days"]
    return await act(request, viewer, fields, _perform(request, make), "information requested")


@router.post("/web/applications/{application_id}/provide-information")
async def provide_information(request: Request, viewer: SignedIn, application_id: str) -> Response:
    def make(values: dict[str, str]) -> req.ApplicationRequest:
        body = parse(ProvideInformationBody, values)
        return req.ProvideInformation(
            application=application_id, by=viewer.person.id, answer=body.answer
        )

    return await act(request, viewer, ["answer"], _perform(request, make), "answer recorded")


@router.post("/web/applications/{application_id}/recommend")
async def recommend(request: Request, viewer: SignedIn, application_id: str) -> Response:
    def make(values: dict[str, str]) -> req.ApplicationRequest:
        body = parse(RecommendBody, values)
        return req.Recommend(application=application_id, by=viewer.person.id, **body.model_dump())

    fields = ["recommendation", "comment"]
    return await act(request, viewer, fields, _perform(request, make), "recommendation recorded")


@router.post("/web/applications/{application_id}/object")
async def object_to(request: Request, viewer: SignedIn, application_id: str) -> Response:
    def make(values: dict[str, str]) -> req.ApplicationRequest:
        body = parse(ObjectBody, values)
        return req.Object(application=application_id, by=viewer.person.id, reason=body.reason)

    return await act(request, viewer, ["reason"], _perform(request, make), "objection recorded")


@router.post("/web/applications/{application_id}/plenary-decision")
async def plenary_decision(request: Request, viewer: SignedIn, application_id: str) -> Response:
    def make(values: dict[str, str]) -> req.ApplicationRequest:
        body = parse(PlenaryDecisionBody, values)
        return req.RecordPlenaryDecision(
            application=application_id, by=viewer.person.id, **body.model_dump()
        )

    fields = ["decision", "note"]
    return await act(request, viewer, fields, _perform(request, make), "decision recorded")
