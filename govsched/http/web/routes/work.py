"""My work: what the signed-in person must do, ordered by deadline, each with its action."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.timekeeping import local_date
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.forms import FormState
from govsched.http.web.pages import page
from govsched.http.web.rendering import WebRoute, render
from govsched.http.web.work import my_work

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@page(r"/web/my-work")
def work_page(
    request: Request,
    viewer: Viewer,
    _params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state = request.app.state.govsched
    today = local_date(state.settings.now(), state.rulebook.initiative.timezone)
    items = my_work(state.db, viewer, state.rulebook, today)
    context = {"items": items, "today": today}
    return render(request, "my_work.html", context, status, viewer, form_state)


@router.get("/web/my-work")
def my_work_route(request: Request, viewer: SignedIn) -> Response:
    return work_page(request, viewer, {})
