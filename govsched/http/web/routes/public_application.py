"""The public application form and the applicant's private status link (issue 19).

Signed out: an organisation applies itself; the application lands with the Secretariat for the
completeness check, exactly as one the Secretariat records (the same `ApplicationService.submit`
the API calls, as the applicant). The applicant is sent to its status link, which shows the
state, the next step and its date, and the Secretariat's open question with a form for the
answer; never the review, recommendations, objections or anyone's comments
(`governance.applications.access.summary`, the same reading any non-staff reader gets).

Abuse: the anti-forgery token is a double-submit cookie (there is no session); every post from
one address counts towards `public_rate.ATTEMPTS_PER_HOUR`; a field hidden from people catches
form-filling bots; text is held to the text rule (`governance.kernel.text`) by the API's own
body, and shown through the template filter that applies `shown`; a repeated post of the same
form names the same application (its submission nonce is the key of the server-made id).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response
from temporalio.client import Client

from governance.applications import requests as req
from governance.applications.model import ApplicationRecord, ApplicationState
from governance.kernel.errors import GovernanceError
from governance.kernel.timekeeping import local_date
from govsched.http.bodies import ProvideInformationBody
from govsched.http.errors import ServiceUnavailable
from govsched.http.state import AppState
from govsched.http.web.application_summary import ratifying_plenary, summary_for_reader
from govsched.http.web.auth import same_token, secure_cookies
from govsched.http.web.forms import (
    Field,
    Form,
    FormState,
    parse,
    refusal_errors,
    require_text_fields,
    status_for,
    validation_errors,
)
from govsched.http.web.intake_forms import (
    FIELDS,
    PILLAR_NAMES,
    TRAP,
    FormRefused,
    application_form,
    submit_body,
)
from govsched.http.web.public_rate import allowed
from govsched.http.web.rendering import WebRoute, render, see_other
from govsched.http.web.unavailable import nothing_recorded_yet
from govsched.i18n.current import current_language
from govsched.i18n.current import gettext as _
from govsched.i18n.formatting import day as format_day
from govsched.i18n.marking import N_
from govsched.persistence.repos import applications as application_repo
from govsched.services.applications import ApplicationService
from govsched.services.status_link_email import send_status_link
from govsched.services.status_links import STATUS_PATH, status_path, token_matches

router = APIRouter(route_class=WebRoute, include_in_schema=False)

FORM_ID = "apply"
ANSWER_ID = "answer"
COOKIE = "govsched_apply"
NONCE = re.compile(r"[\w-]{16,64}", re.ASCII)
AppId = Annotated[str, Path(pattern=r"^[\w-]{1,80}$")]
Token = Annotated[str, Path(pattern=r"^[0-9a-f]{1,64}$")]
# Marked here, written in the reader's language when the form is refused.
TOO_MANY = N_(
    "Too many attempts from your network in the last hour; nothing was recorded. Try again later."
)
EXPIRED = N_("The form expired; nothing was recorded. Check what you typed and send it again.")
# A second answer to one question (a double click, the form sent again, a second tab).
ANSWER_RECEIVED = "answer already received"
ANSWERED_BEFORE = N_(
    "The Secretariat's question was already answered on %(day)s; this answer was not "
    "recorded. To add to it, write to the Secretariat."
)
# What the applicant reads for each state: where the application is, in plain words.
STAGES = (
    (ApplicationState.AWAITING_CHECK, N_("Completeness check")),
    (ApplicationState.COMPLETE, N_("Complete")),
    (ApplicationState.UNDER_REVIEW, N_("Steering Committee review")),
    (ApplicationState.NO_OBJECTION_PERIOD, N_("No-objection period")),
    (ApplicationState.AWAITING_PLENARY, N_("Plenary decision")),
)
_STAGE_OF = {ApplicationState.INFORMATION_REQUESTED: ApplicationState.AWAITING_CHECK}


@dataclass(frozen=True)
class FormToken:
    """Stands where a signed-in page has its session's CSRF token (the forms macro reads it)."""

    csrf: str


def _token(request: Request) -> str:
    existing = request.cookies.get(COOKIE)
    return existing if existing and NONCE.fullmatch(existing) else secrets.token_urlsafe(24)


def _private(request: Request, response: HTMLResponse, token: str) -> HTMLResponse:
    """No cache, no index, no referrer (the link is a credential), and the form's cookie."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    state: AppState = request.app.state.govsched
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request, state),
        path="/apply",
    )
    return response


def _apply_page(request: Request, form_state: FormState | None, status: int) -> HTMLResponse:
    token = _token(request)
    form = application_form(FORM_ID, "/apply", "/apply", secrets.token_urlsafe(24), public=True)
    if form_state is not None:
        # a refused form keeps its nonce, so sending it again cannot record it twice
        form = _keep_nonce(form, form_state.values.get("submission", ""))
    context = {"form": form, "holder": FormToken(token), "trap": TRAP}
    return _private(
        request, render(request, "apply.html", context, status, None, form_state), token
    )


def _keep_nonce(form: Form, nonce: str) -> Form:
    if not NONCE.fullmatch(nonce):
        return form
    fields = tuple(
        Field("submission", f.label, "hidden", value=nonce) if f.name == "submission" else f
        for f in form.fields
    )
    return Form(form.id, form.action, form.button, fields, form.back)


@router.get("/apply")
def apply_form(request: Request) -> Response:
    return _apply_page(request, None, 200)


def _values(form: FormData) -> dict[str, str]:
    names = (*FIELDS, "submission")
    return {n: v for n in names if isinstance(v := form.get(n), str)}


def _service(state: AppState, client: Client) -> ApplicationService:
    return state.applications(client)


@router.post("/apply")
async def apply(request: Request) -> Response:
    state: AppState = request.app.state.govsched
    form = await request.form()
    values = _values(form)

    def refused(errors: dict[str, str], status: int) -> Response:
        return _apply_page(request, FormState(FORM_ID, values, errors), status)

    if not allowed(request, "apply"):
        return refused({"": _(TOO_MANY)}, 429)
    if not pre_session_matches_cookie(request, form.get("csrf_token")):
        return refused({"": _(EXPIRED)}, 403)
    if form.get(TRAP):
        return refused({"": _("The form could not be accepted; nothing was recorded.")}, 422)
    nonce = values.get("submission", "")
    if not NONCE.fullmatch(nonce):
        return refused({"": _(EXPIRED)}, 422)
    try:
        await require_text_fields(request)
        # the applicant is written to in the language it read the form in
        body = submit_body(values, current_language())
        client = await state.temporal.client()
        record = await _service(state, client).submit(
            body, None, state.settings.now(), key=f"apply:{nonce}"
        )
    except FormRefused as exc:
        return refused(exc.errors, 422)
    except GovernanceError as exc:
        return refused(refusal_errors(exc, FIELDS), status_for(exc))
    except ServiceUnavailable as exc:
        return refused({"": nothing_recorded_yet(exc)}, 503)
    path = status_path(state.ids, record.id)
    await send_status_link(
        state.db,
        state.settings,
        state.rulebook,
        record.id,
        record.applicant.contact_email,
        f"{state.settings.base_url}{path}",
        state.settings.now(),
    )
    return see_other(path, "application received")


def pre_session_matches_cookie(request: Request, sent: object) -> bool:
    return same_token(request.cookies.get(COOKIE, ""), sent)


# -- the status link ----------------------------------------------------------------------------


def _record(state: AppState, application_id: str, token: str) -> ApplicationRecord | None:
    """The application the link names, or None: a wrong token reads like an unknown id."""
    if not token_matches(state.ids, application_id, token):
        return None
    with state.db.reading() as session:
        return application_repo.get(session, application_id)


def _answer_form(application_id: str, token: str) -> Form:
    """The answer, with the nonce that makes it one answer however often it is sent (a double
    click, a post sent again: Temporal answers a repeated update id with the first outcome)."""
    action = f"{STATUS_PATH}/{application_id}/{token}/answer"
    return Form(
        ANSWER_ID,
        action,
        N_("Send the answer"),
        (
            Field("answer", N_("Your answer"), "textarea", required=True),
            Field("submission", N_("Submission"), "hidden", value=secrets.token_urlsafe(24)),
        ),
        action,
    )


def _unknown_link(request: Request, form_token: str) -> HTMLResponse:
    unknown = {
        "title": _("Unknown status link"),
        "message": _("This status link is not valid."),
    }
    return _private(request, render(request, "error.html", unknown, 404), form_token)


def _status_page(
    request: Request,
    application_id: str,
    token: str,
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    record = _record(state, application_id, token)
    form_token = _token(request)
    if record is None:
        return _unknown_link(request, form_token)
    ratifying = ratifying_plenary(state.db, record, state.rulebook)
    shown = summary_for_reader(record, state.rulebook, ratifying)
    question = None
    if record.state is ApplicationState.INFORMATION_REQUESTED and record.information_requests:
        question = record.information_requests[-1]
    current = _STAGE_OF.get(record.state, record.state)
    context = {
        "summary": shown,
        "pillar": _(PILLAR_NAMES.get(record.applicant.pillar, record.applicant.pillar.value)),
        "submitted": record.submitted_at,
        "stages": [(stage, _(label)) for stage, label in STAGES],
        "current": current,
        "question": question,
        "answer_form": _answer_form(application_id, token) if question else None,
        "holder": FormToken(form_token),
    }
    page = render(request, "apply_status.html", context, status, None, form_state)
    return _private(request, page, form_token)


@router.get(STATUS_PATH + "/{application_id}/{token}")
def status_link(request: Request, application_id: AppId, token: Token) -> Response:
    return _status_page(request, application_id, token)


@router.post(STATUS_PATH + "/{application_id}/{token}/answer")
async def answer(request: Request, application_id: AppId, token: Token) -> Response:
    """The applicant answers the Secretariat's question itself (the rule lets the applicant
    do so: `governance.applications.rules.provide_information`)."""
    state: AppState = request.app.state.govsched
    form = await request.form()
    values = {n: v for n in ("answer", "submission") if isinstance(v := form.get(n), str)}

    def refused(errors: dict[str, str], status: int) -> Response:
        fs = FormState(ANSWER_ID, values, errors)
        return _status_page(request, application_id, token, fs, status)

    record = _record(state, application_id, token)
    if record is None:
        return _status_page(request, application_id, token)
    if not allowed(request, "answer"):
        return refused({"": _(TOO_MANY)}, 429)
    if not pre_session_matches_cookie(request, form.get("csrf_token")):
        return refused({"": _(EXPIRED)}, 403)
    nonce = values.get("submission", "")
    key = f"answer:{nonce}" if NONCE.fullmatch(nonce) else None
    try:
        await require_text_fields(request)
        body = parse(ProvideInformationBody, {"answer": values.get("answer", "")})
        command = req.ProvideInformation(application=application_id, answer=body.answer)
    except ValidationError as exc:
        return refused(validation_errors(exc, ["answer"]), 422)
    except GovernanceError as exc:
        return refused(refusal_errors(exc, ["answer"]), status_for(exc))
    status = _status_of(application_id, token)
    answered = _answered_already(state, record, body.answer, status, refused)
    if answered is not None:
        return answered
    try:
        client = await state.temporal.client()
        await _service(state, client).perform(command, state.settings.now(), key)
    except GovernanceError as exc:
        # sent again while the first was under way, with another nonce (a second tab)
        now = _record(state, application_id, token) or record
        answered = _answered_already(state, now, body.answer, status, refused)
        return answered or refused(refusal_errors(exc, ["answer"]), status_for(exc))
    except ServiceUnavailable as exc:
        return refused({"": nothing_recorded_yet(exc)}, 503)
    return see_other(status, "answer sent")


def _status_of(application_id: str, token: str) -> str:
    return f"{STATUS_PATH}/{application_id}/{token}"


def _answered_already(
    state: AppState,
    record: ApplicationRecord,
    answer: str,
    status: str,
    refused: Callable[[dict[str, str], int], Response],
) -> Response | None:
    """The page for an answer to a question already answered (the form sent again, from the
    browser's history or a second tab), or None while the question is open: the same words
    were received, or other words were not recorded; either way the reader is told which."""
    last = record.information_requests[-1] if record.information_requests else None
    if record.state is ApplicationState.INFORMATION_REQUESTED or last is None:
        return None
    if last.answer is None or last.answered_at is None:
        return None
    if last.answer == answer:
        return see_other(status, ANSWER_RECEIVED)
    on = format_day(local_date(last.answered_at, state.rulebook.initiative.timezone))
    return refused({"": _(ANSWERED_BEFORE) % {"day": on}}, 409)


# Declared after the link's own routes, so it answers only what they do not: a link a mail
# program cut short, or the answer's address opened again from the browser's bar, reads as a
# link that is not valid (a page), never as the API's JSON.
@router.api_route(STATUS_PATH, methods=["GET", "HEAD"])
@router.api_route(STATUS_PATH + "/{_rest:path}", methods=["GET", "HEAD"])
def status_link_cut_short(request: Request, _rest: str = "") -> Response:
    return _unknown_link(request, _token(request))
