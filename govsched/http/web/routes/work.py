"""My work: what the signed-in person must do, grouped by when (overdue, this week, later),
filterable by kind, each with its action."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.timekeeping import local_date
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.forms import FormState
from govsched.http.web.pages import page
from govsched.http.web.rendering import WebRoute, render
from govsched.http.web.work import my_work
from govsched.http.web.work_groups import KIND_NAMES, grouped, kind_counts, kind_name
from govsched.i18n.current import gettext as _

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@page(r"/web/my-work")
def work_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state = request.app.state.govsched
    today = local_date(state.settings.now(), state.rulebook.initiative.timezone)
    items = my_work(state.db, viewer, state.rulebook, today)
    kind = params.get("kind", "")
    refusal = ""
    if kind and kind not in KIND_NAMES:
        # a kind nobody has: say so, and show all the work rather than none
        refusal = _("kind: %(kind)s is not a kind of work") % {"kind": repr(kind)}
        kind, status = "", 422
    shown = [i for i in items if i.kind == kind] if kind else items
    context = {
        "items": shown,
        "total": len(items),
        "groups": grouped(shown, today),
        "kinds": kind_counts(items),
        "kind": kind,
        "kind_name": kind_name(kind) if kind else "",
        "refusal": refusal,
        "today": today,
    }
    return render(request, "my_work.html", context, status, viewer, form_state)


@router.get("/web/my-work")
def my_work_route(request: Request, viewer: SignedIn, kind: str = "") -> Response:
    return work_page(request, viewer, {"kind": kind})
