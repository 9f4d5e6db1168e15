"""Participant concerns in the workspace: the cases a person may know of, filing one, each case
with the steps its reader may take, and the private link a filer follows it by.

Every read and every step goes through `ConcernService`, the API's own: what a page shows is
`concerns.access.view` (the filer masked as the API masks it), and a step is the API's command,
refused by the same rules with the same status. A case the reader may not know of is a 404,
exactly as a case nobody filed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.concerns import contracts as c
from governance.concerns.access import ConcernView, filer_side, oversees, view
from governance.concerns.follow import step_words
from governance.concerns.model import (
    ANONYMOUS,
    COMMITTEE,
    FINAL_STATES,
    ConcernRecord,
    ConcernRules,
    ConcernState,
    Filing,
)
from governance.concerns.rules import EARLY_STATES, OPEN_STATES
from governance.kernel.errors import NotFound
from governance.kernel.model import Role
from govsched.http.state import AppState
from govsched.http.web import concern_forms as forms
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.forms import Form, FormState
from govsched.http.web.labels import words
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render, see_other
from govsched.i18n.current import gettext as _
from govsched.persistence.repos import registry as registry_repo
from govsched.services.concern_links import follow_path, followed
from govsched.services.concerns import ConcernService, case_for, cases_for

router = APIRouter(route_class=WebRoute, include_in_schema=False)


async def _service(state: AppState, ready: bool = False) -> ConcernService:
    """As the API's: a step only once Temporal answered, so that it is not written while its
    workflow cannot be told."""
    client = await (state.temporal.ready_client() if ready else state.temporal.client())
    return state.concerns(client)


def _names(state: AppState, people: set[str], members: set[str]) -> dict[str, str]:
    with state.db.reading() as session:
        return registry_repo.names(session, members, people)


def _file_form(state: AppState, viewer: Viewer) -> Form | None:
    secretariat = viewer.holds(Role.SECRETARIAT)
    focal_point = viewer.holds(Role.FOCAL_POINT) and viewer.actor.member is not None
    if not (secretariat or focal_point):
        return None
    with state.db.reading() as session:
        members = registry_repo.member_choices(session)
    # the rule refuses a concern about one's own member; the list does not offer it
    choices = [(m, name) for m, name in members if m != viewer.actor.member]
    return forms.file_concern(choices, secretariat, focal_point)


@page(r"/web/concerns")
def concerns_page(
    request: Request,
    viewer: Viewer,
    _params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    cases = _cases(state, viewer)
    names = _names(state, {v.filed_by for v in cases}, {v.about for v in cases})
    context = {
        "cases": cases,
        "names": names,
        "file_form": _file_form(state, viewer),
        "overview": oversees(viewer.actor),
    }
    return render(request, "concerns.html", context, status, viewer, form_state)


def _cases(state: AppState, viewer: Viewer) -> list[ConcernView]:
    """Open cases first, each part in filing order."""
    shown = cases_for(state.db, viewer.actor)
    return sorted(shown, key=lambda v: (v.state in FINAL_STATES, v.filed_at))


@router.get("/web/concerns")
def concerns(request: Request, viewer: SignedIn) -> Response:
    return concerns_page(request, viewer, dict(request.query_params))


def _actions(record: ConcernRecord, viewer: Viewer) -> list[Form]:
    """The steps the reader may take now; the rules still decide each one when it is sent."""
    actor, case, found = viewer.actor, record.id, []
    secretariat, chair = Role.SECRETARIAT in actor.roles, Role.CHAIR in actor.roles
    # the member concerned is a party: its Chair or Committee member is offered no step of
    # the initiative's (the rules refuse them too)
    party = actor.member is not None and actor.member == record.about
    if secretariat and record.state is ConcernState.FILED:
        found.append(forms.acknowledge(case))
    if secretariat and record.state is ConcernState.DIALOGUE:
        found += [forms.record_meeting(case), forms.refer(case)]
    if chair and not party and record.state is ConcernState.DIALOGUE:
        found.append(forms.extend(case))
    if Role.STEERING_COMMITTEE in actor.roles and not party and record.state is ConcernState.REVIEW:
        found.append(forms.recommend(case))
    if (secretariat or (chair and not party)) and record.state in OPEN_STATES:
        found.append(forms.decide(case, record.state in EARLY_STATES))
    if (secretariat or filer_side(record, actor)) and record.state in OPEN_STATES:
        found.append(forms.withdraw(case))
    return found


def _follow_link(state: AppState, record: ConcernRecord, viewer: Viewer) -> str | None:
    """Given to whoever filed; for a third party the Secretariat filed for, to the Secretariat,
    who passes it on."""
    if record.is_filer(viewer.person.id) or (
        record.on_behalf_of is not None and viewer.holds(Role.SECRETARIAT)
    ):
        return state.settings.base_url.rstrip("/") + follow_path(state.ids, record.id)
    return None


@page(r"/web/concerns/(?P<case>[a-z0-9][a-z0-9-]{0,62})")
def concern_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    record = case_for(state.db, params["case"], viewer.actor)
    seen = view(record, viewer.actor)
    people = {s.by for s in seen.history} | {seen.filed_by}
    context = {
        "case": seen,
        "names": {
            **_names(state, people, {seen.about, seen.filer_member or seen.about}),
            ANONYMOUS: _("anonymous"),
            COMMITTEE: _("the Steering Committee"),
        },
        "actions": _actions(record, viewer),
        "follow_link": _follow_link(state, record, viewer),
        "words": lambda action: words(step_words(action)),
    }
    return render(request, "concern.html", context, status, viewer, form_state)


@router.get("/web/concerns/{case}")
def concern(request: Request, viewer: SignedIn, case: str) -> Response:
    return concern_page(request, viewer, {"case": case})


def _perform(
    request: Request, make: Callable[[dict[str, str]], c.ConcernCommand], filed: list[str]
) -> Callable[[dict[str, str]], Awaitable[Any]]:
    async def perform(values: dict[str, str]) -> None:
        command = make(values)
        key = forms.key_of(values)
        service = await _service(request.app.state.govsched, ready=True)
        record = await service.perform(command, request.app.state.govsched.settings.now(), key)
        filed.append(record.id)

    return perform


async def _act(
    request: Request,
    viewer: Viewer,
    form: Form,
    make: Callable[[dict[str, str]], c.ConcernCommand],
    done: str,
) -> Response:
    return await act(request, viewer, forms.fields_of(form), _perform(request, make, []), done)


@router.post("/web/concerns")
async def file_concern(request: Request, viewer: SignedIn) -> Response:
    by = viewer.person.id
    form = forms.file_concern([], True, True)

    def make(values: dict[str, str]) -> c.ConcernCommand:
        filing = forms.command(Filing, values)
        return c.FileConcern(by=by, **filing.model_dump())

    filed: list[str] = []
    perform = _perform(request, make, filed)
    response = await act(request, viewer, forms.fields_of(form), perform, "concern filed")
    if filed and response.status_code == 303:
        # to the case itself: its private link and its deadlines are there
        return see_other(f"/web/concerns/{filed[0]}", "concern filed")
    return response


@router.post("/web/concerns/{case}/acknowledge")
async def acknowledge(request: Request, viewer: SignedIn, case: str) -> Response:
    by = viewer.person.id
    make = lambda _: c.AcknowledgeConcern(case=case, by=by)  # noqa: E731
    return await _act(request, viewer, forms.acknowledge(case), make, "acknowledged")


@router.post("/web/concerns/{case}/meeting")
async def record_meeting(request: Request, viewer: SignedIn, case: str) -> Response:
    by = viewer.person.id
    make = lambda v: forms.command(c.RecordDialogue, v, case=case, by=by)  # noqa: E731
    return await _act(request, viewer, forms.record_meeting(case), make, "meeting recorded")


@router.post("/web/concerns/{case}/extension")
async def extend(request: Request, viewer: SignedIn, case: str) -> Response:
    by = viewer.person.id
    make = lambda v: forms.command(c.ExtendDialogue, v, case=case, by=by)  # noqa: E731
    return await _act(request, viewer, forms.extend(case), make, "dialogue extended")


@router.post("/web/concerns/{case}/referral")
async def refer(request: Request, viewer: SignedIn, case: str) -> Response:
    by = viewer.person.id
    make = lambda _: c.ReferConcern(case=case, by=by)  # noqa: E731
    return await _act(request, viewer, forms.refer(case), make, "referred")


@router.post("/web/concerns/{case}/recommendation")
async def recommend(request: Request, viewer: SignedIn, case: str) -> Response:
    by = viewer.person.id
    make = lambda v: forms.command(c.RecommendOnConcern, v, case=case, by=by)  # noqa: E731
    form = forms.recommend(case)
    return await _act(request, viewer, form, make, "recommendation recorded")


@router.post("/web/concerns/{case}/decision")
async def decide(request: Request, viewer: SignedIn, case: str) -> Response:
    by = viewer.person.id
    make = lambda v: forms.command(c.DecideConcern, v, case=case, by=by)  # noqa: E731
    return await _act(request, viewer, forms.decide(case, False), make, "decision recorded")


@router.post("/web/concerns/{case}/withdrawal")
async def withdraw(request: Request, viewer: SignedIn, case: str) -> Response:
    by = viewer.person.id
    make = lambda v: forms.command(c.WithdrawConcern, v, case=case, by=by)  # noqa: E731
    return await _act(request, viewer, forms.withdraw(case), make, "withdrawn")


@router.get("/web/follow/{case}/{secret}")
def follow(request: Request, case: str, secret: str) -> Response:
    """No sign-in: the link is the credential. Never cached, never sent on as a referrer."""
    state: AppState = request.app.state.govsched
    try:
        case_view = followed(state.db, state.ids, ConcernRules.of(state.rulebook), case, secret)
    except NotFound:
        # a link cut short by a mail program, not a case that is gone
        unknown = {
            "title": _("Link not valid"),
            "message": _(
                "This link is not valid: it may have been cut short or copied in part. Use the "
                "whole link you were given, or ask the Secretariat for it again."
            ),
        }
        response = render(request, "error.html", unknown, 404)
    else:
        response = render(request, "concern_follow.html", {"case": case_view})
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
