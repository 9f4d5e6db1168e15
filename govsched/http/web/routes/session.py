"""Signing in (with an API token or a one-time link), signing out, and issuing links."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, Request
from starlette.background import BackgroundTask
from starlette.responses import HTMLResponse, RedirectResponse, Response

from governance.kernel.errors import Forbidden, NotFound
from governance.kernel.messages import Message, say
from governance.kernel.model import Role
from govsched.http.deps import State
from govsched.http.state import AppState
from govsched.http.web.action_forms import end_sessions as end_sessions_form
from govsched.http.web.action_forms import sign_in_link
from govsched.http.web.auth import (
    LINK_LASTS,
    PRE_SESSION_COOKIE,
    SESSION_COOKIE,
    SESSION_LASTS,
    SignedIn,
    Viewer,
    checked_form,
    now,
    pre_session_matches,
    pre_session_token,
    secure_cookies,
    set_session_cookie,
)
from govsched.http.web.forms import FormState, require_text_fields
from govsched.http.web.pages import page
from govsched.http.web.rendering import WebRoute, render, safe_back, see_other
from govsched.i18n.current import gettext as _
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import web_sessions as web_session_repo
from govsched.services.email_sign_in import EmailNotSent, SentLink, person_asking, send_sign_in_link
from govsched.services.sessions import end_sessions

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _sign_in_form(
    request: Request,
    state: State,
    errors: dict[str, str],
    status: int,
    next_page: str,
    emailed: bool = False,
) -> HTMLResponse:
    token = pre_session_token(request)
    context = {
        "pre_session": token,
        "errors": errors,
        "next": next_page,
        "by_email": state.settings.email_enabled,
        "emailed": emailed,
    }
    response = render(request, "sign_in.html", context, status=status)
    response.set_cookie(
        PRE_SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request, state),
        path="/web/sign-in",
    )
    return response


def _signed_in(
    request: Request, state: State, person_id: str, next_page: str, token: str | None = None
) -> Response:
    """Start a session (tied to the API `token` it was started with, if any: it ends when the
    token is revoked) and go on to `next_page`."""
    with state.db.writing() as session:
        secret = web_session_repo.start(session, person_id, now(), SESSION_LASTS, token)
    response = RedirectResponse(safe_back(next_page), status_code=303)
    set_session_cookie(response, secret, secure_cookies(request, state))
    response.delete_cookie(PRE_SESSION_COOKIE, path="/web/sign-in")
    return response


@router.get("/")
@router.get("/web")
def home() -> Response:
    return RedirectResponse("/web/my-work", status_code=303)


@router.get("/web/sign-in")
def sign_in_page(request: Request, state: State, next: str = "/web/my-work") -> Response:
    return _sign_in_form(request, state, {}, 200, safe_back(next))


@router.post("/web/sign-in")
async def sign_in(request: Request, state: State) -> Response:
    form = await request.form()
    next_page = safe_back(form.get("next"))
    if not pre_session_matches(request, form.get("pre_session")):
        errors = {"": _("The sign-in form expired; nothing was sent. Try again.")}
        return _sign_in_form(request, state, errors, 403, next_page)
    await require_text_fields(request)
    token = form.get("token")
    if not isinstance(token, str) or not token.strip():
        return _sign_in_form(request, state, {"token": _("enter your token")}, 422, next_page)
    with state.db.reading() as session:
        person_id = token_repo.person_for(session, token.strip())
    if person_id is None:
        errors = {"token": _("this token is unknown or has been revoked")}
        return _sign_in_form(request, state, errors, 401, next_page)
    return _signed_in(request, state, person_id, next_page, token.strip())


@router.post("/web/sign-in/email")
async def email_me_a_link(request: Request, state: State) -> Response:
    """Anyone may ask for a link to an address; it goes only to that address, and the answer
    is the same whether the address is in the directory or not (no one learns who is)."""
    form = await request.form()
    next_page = "/web/my-work"
    if not pre_session_matches(request, form.get("pre_session")):
        errors = {"": _("The sign-in form expired; nothing was sent. Try again.")}
        return _sign_in_form(request, state, errors, 403, next_page)
    await require_text_fields(request)
    if not state.settings.email_enabled:
        errors = {"": _("Sign-in links cannot be emailed here: ask the Secretariat for one.")}
        return _sign_in_form(request, state, errors, 404, next_page)
    address = form.get("address")
    if not isinstance(address, str) or "@" not in address or len(address) > 254:
        errors = {"address": _("enter your email address")}
        return _sign_in_form(request, state, errors, 422, next_page)
    response = _sign_in_form(request, state, {}, 200, next_page, emailed=True)
    # Looked up and sent once the answer has gone: waiting for the relay would make a known
    # address answer measurably later than an unknown one.
    response.background = BackgroundTask(_email_link_if_known, state, address)
    return response


async def _email_link_if_known(state: AppState, address: str) -> None:
    person = person_asking(state.db, address, now())
    if person is not None:
        with contextlib.suppress(EmailNotSent, NotFound):
            await send_sign_in_link(
                state.db, state.settings, state.rulebook, person, person, now(), LINK_LASTS
            )


@router.get("/web/sign-in/link/{secret}")
def link_page(request: Request, state: State, secret: str) -> Response:
    # A GET only shows a button: mail scanners that follow links must not use the link up.
    token = pre_session_token(request)
    response = render(request, "sign_in_link.html", {"secret": secret, "pre_session": token})
    response.set_cookie(
        PRE_SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request, state),
        path="/web/sign-in",
    )
    # the address is the link's secret: kept by no cache and passed to no other site
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post("/web/sign-in/link")
async def redeem_link(request: Request, state: State) -> Response:
    form = await request.form()
    secret = form.get("secret")
    if not pre_session_matches(request, form.get("pre_session")) or not isinstance(secret, str):
        errors = {"": _("The sign-in form expired; nothing was used. Open the link again.")}
        return _sign_in_form(request, state, errors, 403, "/web/my-work")
    await require_text_fields(request)
    with state.db.writing() as session:
        person_id = web_session_repo.redeem_link(session, secret, now())
    if person_id is None:
        errors = {
            "": _(
                "This sign-in link was already used or has expired. Ask for a new one "
                "(below, or from the Secretariat), or sign in with your token."
            )
        }
        return _sign_in_form(request, state, errors, 410, "/web/my-work")
    return _signed_in(request, state, person_id, "/web/my-work")


@router.post("/web/sign-out")
async def sign_out(request: Request, state: State, viewer: SignedIn) -> Response:
    await checked_form(request, viewer)
    secret = request.cookies.get(SESSION_COOKIE, "")
    with state.db.writing() as session:
        web_session_repo.end(session, secret, now())
    response = RedirectResponse("/web/sign-in?done=signed+out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


_ISSUING = say("issuing sign-in links")


def _require_secretariat(viewer: Viewer, action: Message = _ISSUING) -> None:
    if not viewer.holds(Role.SECRETARIAT):
        raise Forbidden(Role.SECRETARIAT.value, action)


@page(r"/web/sign-in-links")
def links_page(
    request: Request,
    viewer: Viewer,
    _params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
    issued: tuple[str, str] | None = None,
    sent: SentLink | None = None,
) -> HTMLResponse:
    _require_secretariat(viewer)
    state = request.app.state.govsched
    with state.db.reading() as session:
        choices = registry_repo.person_choices(session)
    people = [(p, f"{name} ({p})") for p, name, _member in choices]
    by_email = state.settings.email_enabled
    context = {
        "form": sign_in_link(people, by_email),
        "end_form": end_sessions_form(people),
        "issued": issued,
        "sent": sent,
        "by_email": by_email,
        "lasts_days": LINK_LASTS.days,
    }
    return render(request, "sign_in_links.html", context, status, viewer, form_state)


@router.get("/web/sign-in-links")
def sign_in_links(request: Request, viewer: SignedIn) -> Response:
    return links_page(request, viewer, {})


def _no_such_person(request: Request, viewer: Viewer, form_id: str, person: object) -> Response:
    """The page again, the form keeping what was chosen, with the reason beside it."""
    typed = {"person": person if isinstance(person, str) else ""}
    errors = {"person": _("choose a person from the list")}
    return links_page(request, viewer, {}, FormState(form_id, typed, errors), 422)


@router.post("/web/sign-in-links")
async def issue_sign_in_link(request: Request, state: State, viewer: SignedIn) -> Response:
    """Email a one-time link to the person's address (the Secretariat never sees it); without
    an SMTP relay, the fallback: the link is shown here once, for the Secretariat to pass on."""
    _require_secretariat(viewer)
    form = await checked_form(request, viewer)
    person = form.get("person")
    if state.settings.email_enabled:
        try:
            sent = await send_sign_in_link(
                state.db,
                state.settings,
                state.rulebook,
                str(person or ""),
                viewer.person.id,
                now(),
                LINK_LASTS,
            )
        except NotFound:
            return _no_such_person(request, viewer, "sign-in-link", person)
        except EmailNotSent as exc:
            errors = {
                "": _("The email could not be sent (%(error)s); try again later.") % {"error": exc}
            }
            typed = {"person": str(person)}
            return links_page(request, viewer, {}, FormState("sign-in-link", typed, errors), 503)
        return links_page(request, viewer, {}, sent=sent)
    with state.db.writing() as session:
        known = isinstance(person, str) and registry_repo.person_exists(session, person)
        if known:
            assert isinstance(person, str)
            secret = web_session_repo.issue_link(
                session, person, viewer.person.id, now(), LINK_LASTS
            )
    if not known:
        return _no_such_person(request, viewer, "sign-in-link", person)
    link = f"{state.settings.base_url}/web/sign-in/link/{secret}"
    # Shown once, in this response: only its digest is kept, so it is not a redirect target.
    return links_page(request, viewer, {}, issued=(str(person), link))


@router.post("/web/sessions/end")
async def end_person_sessions(request: Request, state: State, viewer: SignedIn) -> Response:
    """The Secretariat signs a person out everywhere (ending its own sessions signs it out)."""
    _require_secretariat(viewer, say("ending a person's sessions"))
    form = await checked_form(request, viewer)
    person = form.get("person")
    try:
        with state.db.writing() as session:
            end_sessions(session, str(person or ""), viewer.person.id, now())
    except NotFound:
        return _no_such_person(request, viewer, "end-sessions", person)
    if person == viewer.person.id:
        return RedirectResponse("/web/sign-in?done=signed+out", status_code=303)
    return see_other("/web/sign-in-links", "sessions ended")
