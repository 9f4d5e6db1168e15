"""Email pages: unsubscribing from a link (no sign-in), and the Secretariat's email outbox.

The unsubscribe link's GET only shows a button, like a sign-in link (mail scanners that
prefetch links must not unsubscribe anyone); a POST records it, and a mail program's one-click
POST (RFC 8058, body `List-Unsubscribe=One-Click`) is the same POST.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.errors import Forbidden
from governance.kernel.languages import Language, reading_language
from governance.kernel.messages import say
from governance.kernel.model import Role
from govsched import i18n
from govsched.http.deps import State
from govsched.http.web.auth import SignedIn, Viewer, now
from govsched.http.web.forms import FormState
from govsched.http.web.pages import page
from govsched.http.web.rendering import WebRoute, chosen_language, error_page, render
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_
from govsched.services import email_outbox, email_unsubscribe

router = APIRouter(route_class=WebRoute, include_in_schema=False)

# In English; shown in the reader's language (`kind_words`).
KIND_WORDS = {
    "deadline_reminder": N_("deadline reminders"),
    "overdue": N_("overdue notices"),
    "decision": N_("decisions"),
    "roster": N_("roster notices"),
    "change_notice": N_("change notices"),
    "handover": N_("Chair handover notices"),
    "digest": N_("digests"),
    "announcement": N_("announcements"),
    "request": N_("requests to act"),
}


def kind_words(kind: str) -> str:
    """A kind of notice as a page names it ("deadline reminders"), in the reader's language."""
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind.replace("_", " ")


def _invalid(request: Request) -> HTMLResponse:
    return error_page(
        request,
        404,
        _("Unsubscribe link not valid"),
        _(
            "This unsubscribe link is not valid (it may have been cut short by your mail "
            "program). Use the link in a recent email, or change your notifications after "
            "signing in."
        ),
    )


@router.get("/web/unsubscribe/{token}")
def unsubscribe_page(request: Request, state: State, token: str) -> Response:
    found = email_unsubscribe.read(state.db, state.settings, token)
    if found is None:
        return _invalid(request)
    with i18n.use_language(_language(request, found)):
        context = {"found": found, "what": kind_words(found.kind.value), "token": token}
    return render(request, "unsubscribe.html", context, language=_language(request, found))


def _language(request: Request, found: email_unsubscribe.Unsubscription) -> Language:
    """The page of a person's own link is in their language, unless they chose another."""
    default = request.app.state.govsched.rulebook.initiative.language
    return chosen_language(request) or reading_language(found.language, default)


@router.post("/web/unsubscribe/{token}")
def unsubscribe(request: Request, state: State, token: str) -> Response:
    found = email_unsubscribe.unsubscribe(state.db, state.settings, token, now())
    if found is None:
        return _invalid(request)
    with i18n.use_language(_language(request, found)):
        context = {"found": found, "what": kind_words(found.kind.value), "done": True}
    return render(request, "unsubscribe.html", context, language=_language(request, found))


@page(r"/web/outbox/email")
def email_outbox_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    if not viewer.holds(Role.SECRETARIAT):
        raise Forbidden(Role.SECRETARIAT.value, say("reading the email outbox"))
    state = request.app.state.govsched
    kind = params.get("kind") or None
    kinds = sorted({*KIND_WORDS, "sign_in"})
    rows = email_outbox.entries(state.db, kind=kind if kind in kinds else None)
    context = {
        "emails": [(row, email_outbox.state_text(row)) for row in rows],
        "kinds": kinds,
        "kind": kind,
        "limit": email_outbox.LIMIT,
        "by_email": state.settings.email_enabled,
    }
    return render(request, "email_outbox.html", context, status, viewer, form_state)


@router.get("/web/outbox/email")
def email_outbox_route(request: Request, viewer: SignedIn, kind: str = "") -> Response:
    return email_outbox_page(request, viewer, {"kind": kind})
