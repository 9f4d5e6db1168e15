"""Who is signed in: browser sessions, one-time links and the per-session CSRF token.

The session cookie carries a random secret whose SHA-256 digest is all the server keeps. The
CSRF token is an HMAC of that secret, so it needs no storage, differs per session and cannot be
derived by anyone who lacks the cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from governance.kernel.actor import Actor
from governance.kernel.model import Person, Role
from govsched.http.deps import State
from govsched.http.web.forms import require_text_fields
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import web_sessions as web_session_repo
from govsched.services.applications import actor_for

SESSION_COOKIE = "govsched_session"
PRE_SESSION_COOKIE = "govsched_sign_in"
CSRF_FIELD = "csrf_token"
SESSION_LASTS = timedelta(hours=12)
LINK_LASTS = timedelta(days=3)


class SignInRequired(Exception):
    """No live session: the browser is sent to the sign-in page."""


class CsrfRefused(Exception):
    """A form came without this session's CSRF token."""


@dataclass(frozen=True)
class Viewer:
    person: Person
    actor: Actor
    csrf: str

    def holds(self, *roles: Role) -> bool:
        return bool(self.person.roles & set(roles))


def csrf_for(secret: str) -> str:
    return hmac.new(secret.encode(), b"csrf", hashlib.sha256).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


def current_viewer(request: Request, state: State) -> Viewer:
    known = getattr(request.state, "viewer", None)
    if isinstance(known, Viewer):
        return known  # the route class already read the session for the page's language
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise SignInRequired
    with state.db.reading() as session:
        person_id = web_session_repo.person_for(session, secret, now())
        person = registry_repo.get_person(session, person_id) if person_id else None
    if person is None:
        raise SignInRequired
    viewer = Viewer(person=person, actor=actor_for(state.db, person.id), csrf=csrf_for(secret))
    request.state.viewer = viewer
    return viewer


SignedIn = Annotated[Viewer, Depends(current_viewer)]


async def checked_form(request: Request, viewer: Viewer) -> FormData:
    """The posted form, once its CSRF token matches the session's and its fields are text
    (InvalidInput naming those that are not: `require_text_fields`)."""
    form = await request.form()
    if not same_token(viewer.csrf, form.get(CSRF_FIELD)):
        raise CsrfRefused
    await require_text_fields(request)
    return form


def secure_cookies(request: Request, state: State) -> bool:
    return request.url.scheme == "https" or state.settings.base_url.startswith("https://")


def set_session_cookie(response: Response, secret: str, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(SESSION_LASTS.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def pre_session_token(request: Request) -> str:
    """The sign-in form's anti-forgery token (double submit: cookie and hidden field)."""
    existing = request.cookies.get(PRE_SESSION_COOKIE)
    return existing if existing else secrets.token_urlsafe(24)


def same_token(kept: str, sent: object) -> bool:
    """Whether a form sent the token kept (a session's, a cookie's), compared in constant
    time. Anything but ASCII text is no match: compare_digest refuses other text with a
    TypeError, which was a 500."""
    if not (kept and isinstance(sent, str) and (kept + sent).isascii()):
        return False
    return hmac.compare_digest(kept, sent)


def pre_session_matches(request: Request, sent: object) -> bool:
    return same_token(request.cookies.get(PRE_SESSION_COOKIE, ""), sent)
