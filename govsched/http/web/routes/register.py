"""The register: the audit log, searched by item, person, kind and dates, and exported as CSV.

Everyone signed in may open it; each reads only the kinds of item their roles may read
(`governance.kernel.register_access`). A bad search is answered 422 with the reason beside
the field, and no entry is shown.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response, StreamingResponse

from governance.kernel.audit import AuditEntry
from governance.kernel.errors import InvalidInput
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.forms import FormState, refusal_errors
from govsched.http.web.pages import page
from govsched.http.web.rendering import WebRoute, render
from govsched.services import register

router = APIRouter(route_class=WebRoute, include_in_schema=False)

_YEAR = re.compile(r"(\d{4})")


def _year_of(item_id: str) -> str:
    found = _YEAR.search(item_id)
    return found.group(1) if found else ""


def item_link(entry: AuditEntry) -> str:
    """The page that shows the entry's item; an item without a page of its own links to the
    register narrowed to that item (its whole history)."""
    kind, item = entry.item_kind, entry.item_id
    if kind == "application":
        return f"/web/applications/{item}"
    if kind == "plenary":
        return "/web/year?" + urlencode({"plenary": item})
    if kind == "milestone" and (year := _year_of(item)):
        return f"/web/year?plenary=plenary-{year}"
    if kind == "handover":
        return "/web/year?" + urlencode({"handover": item})
    if kind in ("roster", "presentation") and (year := _year_of(item)):
        return f"/web/roster?year={year}"
    if kind in ("report", "review") and (year := _year_of(item)):
        return f"/web/reports?year={year}"
    if kind == "concern":
        return f"/web/concerns/{item}"
    if kind == "member":
        return f"/web/directory/members/{item}"
    if kind in ("steering_committee_seat", "chair_term"):
        return "/web/directory/committee"
    return "/web/register?" + urlencode({"kind": kind, "item": item})


def _when(entry: AuditEntry, tz: str) -> str:
    return entry.at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def _what(entry: AuditEntry) -> str:
    return entry.action.replace(".", " ").replace("_", " ")


def _values(params: dict[str, str]) -> dict[str, str]:
    return {name: params.get(name, "") for name in register.FIELDS}


@page(r"/web/register")
def register_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state = request.app.state.govsched
    tz = state.rulebook.initiative.timezone
    roles = viewer.person.roles
    values = _values(params)
    try:
        query = register.read_search(values, register.kinds_for(state.db, roles))
    except InvalidInput as exc:
        refused = FormState("register-search", values, refusal_errors(exc, register.FIELDS))
        context = {"refused": True, "kinds": register.kinds_for(state.db, roles), "values": values}
        return render(request, "register.html", context, 422, viewer, refused)
    found = register.search(state.db, roles, query, tz)
    context = {
        "refused": False,
        "values": values,
        "kinds": found.kinds,
        "rows": [(e, item_link(e), _when(e, tz), _what(e)) for e in found.entries],
        "more": found.more,
        "limit": register.LIMIT,
        "names": found.names,
        "searched": bool(query.as_params()),
        "csv": "/web/register.csv?" + urlencode(query.as_params()),
    }
    return render(request, "register.html", context, status, viewer, form_state)


@router.get("/web/register")
def register_route(
    request: Request,
    viewer: SignedIn,
    kind: str = "",
    item: str = "",
    person: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    params = {"kind": kind, "item": item, "person": person, "since": since, "until": until}
    return register_page(request, viewer, params)


@router.get("/web/register.csv")
def register_csv(
    request: Request,
    viewer: SignedIn,
    kind: str = "",
    item: str = "",
    person: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    state = request.app.state.govsched
    roles = viewer.person.roles
    values = {"kind": kind, "item": item, "person": person, "since": since, "until": until}
    try:
        query = register.read_search(values, register.kinds_for(state.db, roles))
    except InvalidInput:
        # the page says what is wrong, beside the field
        return register_page(request, viewer, values)
    tz = state.rulebook.initiative.timezone
    lines = register.csv_lines(state.db, roles, query, tz)
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="register.csv"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )
