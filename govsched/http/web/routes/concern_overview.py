"""Concerns over time: how many cases stood in each state, month by month. Counts only: the
page names no case, member or filer.

It is for those who oversee the process: the Secretariat, the Chair and the Steering
Committee. Each of them counts only the cases they may know of (`concern_access.may_see`): the
Steering Committee, for instance, the cases that reached its review. A party to a case follows
it on the case itself, not here.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from governance.concerns.access import OVERSEERS, history_view, may_see, oversees
from governance.kernel.errors import Forbidden
from governance.kernel.messages import say
from governance.kernel.timekeeping import local_date
from govsched.http.state import AppState
from govsched.http.web.auth import SignedIn
from govsched.http.web.charts import concerns
from govsched.http.web.rendering import WebRoute, render
from govsched.persistence.repos import concerns as concern_repo

router = APIRouter(route_class=WebRoute, include_in_schema=False)

ACTION = say("reading the concerns overview")


@router.get("/web/concerns/overview")
def concern_overview(request: Request, viewer: SignedIn) -> Response:
    if not oversees(viewer.actor):
        raise Forbidden(" or ".join(sorted(r.value for r in OVERSEERS)), ACTION)
    state: AppState = request.app.state.govsched
    tz = state.rulebook.initiative.timezone
    with state.db.reading() as session:
        records = concern_repo.records(session)
    reader = viewer.actor
    histories = [history_view(r, reader) for r in records if may_see(r, reader)]
    found = concerns.months(histories, local_date(state.settings.now(), tz), tz)
    context = {"picture": concerns.picture(found) if found else None, "cases": len(histories)}
    return render(request, "concern_overview.html", context, 200, viewer)
