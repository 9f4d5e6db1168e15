"""The Secretariat's outbox: every notice sent, to whom, on which channel, and its delivery.

Read from the delivery ledger (govsched/services/outbox.py). The email outbox page
(`/web/outbox/email`, one row per email) stays as the email part of it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.errors import Forbidden
from governance.kernel.messages import say
from governance.kernel.model import Role
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.forms import FormState
from govsched.http.web.pages import page
from govsched.http.web.rendering import WebRoute, render
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_
from govsched.services import outbox

router = APIRouter(route_class=WebRoute, include_in_schema=False)

FIELDS = ("channel", "kind", "state")
STATE_WORDS = {
    "pending": N_("not delivered yet"),
    "sent": N_("delivered"),
    "failed": N_("failed"),
    "opted_out": N_("not sent (opted out)"),
}


def _refusals(params: dict[str, str], kinds: list[str]) -> dict[str, str]:
    allowed = {"channel": outbox.MEDIA, "kind": kinds, "state": outbox.STATUSES}
    return {
        name: f"{params[name]!r} is not one of the choices"
        for name in FIELDS
        if params.get(name) and params[name] not in allowed[name]
    }


@page(r"/web/outbox")
def outbox_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    if not viewer.holds(Role.SECRETARIAT):
        raise Forbidden(Role.SECRETARIAT.value, say("reading the outbox"))
    state = request.app.state.govsched
    kinds = outbox.kinds(state.db)
    values = {name: params.get(name, "") for name in FIELDS}
    errors = _refusals(values, kinds)
    slack = state.settings.slack_token is not None
    tz = ZoneInfo(state.rulebook.initiative.timezone)
    context = {
        "values": values,
        "errors": errors,
        "kinds": kinds,
        "media": [(m, _(outbox.MEDIUM_WORDS[m])) for m in outbox.MEDIA],
        "states": [(s, _(STATE_WORDS[s])) for s in outbox.STATUSES],
        "medium_words": {m: _(words) for m, words in outbox.MEDIUM_WORDS.items()},
        "slack": slack,
        "by_email": state.settings.email_enabled,
        "limit": outbox.LIMIT,
        "notices": [],
    }
    if errors:
        return render(request, "outbox.html", context, 422, viewer, form_state)
    found = outbox.notices(
        state.db,
        slack,
        state.settings.email_enabled,
        medium=values["channel"] or None,
        kind=values["kind"] or None,
        status=values["state"] or None,
    )
    context["notices"] = [(n, n.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")) for n in found]
    return render(request, "outbox.html", context, status, viewer, form_state)


@router.get("/web/outbox")
def outbox_route(
    request: Request, viewer: SignedIn, channel: str = "", kind: str = "", state: str = ""
) -> Response:
    return outbox_page(request, viewer, {"channel": channel, "kind": kind, "state": state})
