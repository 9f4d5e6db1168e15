"""The page an event's link opens from a calendar: what the event is, for whoever may read it.

Each event in a feed links here (`URL`). A calendar program opens it in a browser, where the
API's JSON asking for a token told nobody anything (found by a review). A public event reads
without signing in; any other asks its reader to sign in, then shows it to those whose own
feed may show it, and is no page at all to anyone else, as `GET /calendar-items/ID` is.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from governance.feeds.scopes import PERSON_SCOPE, scope_audiences
from governance.kernel.calendar import PUBLIC, CalendarItem, visible_to
from govsched.http.state import AppState
from govsched.http.web.auth import current_viewer
from govsched.http.web.rendering import WebRoute, error_page, render
from govsched.i18n.current import gettext as _
from govsched.persistence.repos import calendar as calendar_repo
from govsched.services.feeds.calendars import subscriber

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/web/calendar-items/{item_id}")
def calendar_item(request: Request, item_id: str) -> Response:
    state: AppState = request.app.state.govsched
    uid = f"{item_id}@{state.rulebook.initiative.uid_domain}"
    with state.db.reading() as session:
        stored = calendar_repo.get(session, uid)
    item = None if stored is None else stored.item
    if item is None or not visible_to(item, frozenset({PUBLIC})):
        item = _for_reader(request, state, item)  # not signed in: to sign in, and back here
    if item is None:
        message = _("There is no calendar entry here that you may read.")
        return error_page(request, 404, _("No such page"), message)
    return render(request, "calendar_item.html", {"item": item})


def _for_reader(
    request: Request, state: AppState, item: CalendarItem | None
) -> CalendarItem | None:
    viewer = current_viewer(request, state)
    with state.db.reading() as session:
        who = subscriber(session, viewer.person.id)
    if item is None or who is None or not visible_to(item, scope_audiences(who, PERSON_SCOPE)):
        return None
    return item
