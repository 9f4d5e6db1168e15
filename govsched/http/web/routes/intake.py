"""The Secretariat records an application it received (by email, on paper) through a form.

The same `ApplicationService.submit` the API's `POST /applications` calls, as the signed-in
person, so the rule that only the Secretariat records applications is the service's
(`governance.applications.rules.can_submit`), not this page's. The applicant's private status
link is emailed to its contact (when email is set up) and shown on the application's page.
"""

from __future__ import annotations

import re
import secrets

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.errors import Forbidden, GovernanceError
from governance.kernel.messages import say
from governance.kernel.model import Role
from govsched.http.errors import ServiceUnavailable
from govsched.http.state import AppState
from govsched.http.web.auth import SignedIn, Viewer, checked_form
from govsched.http.web.forms import FormState, refusal_errors, status_for
from govsched.http.web.intake_forms import (
    RECORDED_FIELDS,
    FormRefused,
    application_form,
    submit_body,
)
from govsched.http.web.rendering import WebRoute, render, see_other
from govsched.http.web.unavailable import nothing_recorded
from govsched.i18n.current import gettext as _
from govsched.services.status_link_email import send_status_link
from govsched.services.status_links import status_path

router = APIRouter(route_class=WebRoute, include_in_schema=False)

FORM_ID = "record-application"
PATH = "/web/applications/new"
NONCE = re.compile(r"[\w-]{16,64}", re.ASCII)


def _only_the_secretariat(viewer: Viewer) -> None:
    if not viewer.holds(Role.SECRETARIAT):
        raise Forbidden(Role.SECRETARIAT.value, say("recording an application"))


def _page(request: Request, viewer: Viewer, fs: FormState | None, status: int) -> HTMLResponse:
    nonce = fs.values.get("submission", "") if fs else ""
    nonce = nonce if NONCE.fullmatch(nonce) else secrets.token_urlsafe(24)
    form = application_form(FORM_ID, PATH, PATH, nonce, public=False)
    return render(request, "application_new.html", {"form": form}, status, viewer, fs)


@router.get(PATH)
def new_application(request: Request, viewer: SignedIn) -> Response:
    _only_the_secretariat(viewer)
    return _page(request, viewer, None, 200)


@router.post(PATH)
async def record_application(request: Request, viewer: SignedIn) -> Response:
    form = await request.form()
    names = (*RECORDED_FIELDS, "submission")
    values = {n: v for n in names if isinstance(v := form.get(n), str)}
    nonce = values.get("submission", "")
    state: AppState = request.app.state.govsched
    try:
        # in the `try`, so a field that is not text is refused beside it
        await checked_form(request, viewer)
        if not NONCE.fullmatch(nonce):
            raise FormRefused({"": _("the form expired; reload the page")})
        body = submit_body(values)
        client = await state.temporal.client()
        service = state.applications(client)
        record = await service.submit(
            body, viewer.person.id, state.settings.now(), key=f"web:{nonce}"
        )
    except FormRefused as exc:
        return _page(request, viewer, FormState(FORM_ID, values, exc.errors), 422)
    except GovernanceError as exc:
        fs = FormState(FORM_ID, values, refusal_errors(exc, RECORDED_FIELDS))
        return _page(request, viewer, fs, status_for(exc))
    except ServiceUnavailable as exc:
        fs = FormState(FORM_ID, values, {"": nothing_recorded(exc)})
        return _page(request, viewer, fs, 503)
    await send_status_link(
        state.db,
        state.settings,
        state.rulebook,
        record.id,
        record.applicant.contact_email,
        f"{state.settings.base_url}{status_path(state.ids, record.id)}",
        state.settings.now(),
    )
    return see_other(f"/web/applications/{record.id}", "application recorded")
