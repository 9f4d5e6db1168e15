"""Pages by address, so a refused form is shown again on the page it was sent from.

A form posts to its action's address with `back` (the page it sits on) and `form_id`. On
success the browser is redirected to `back` (POST-redirect-GET); on a refusal `back` is rendered
again here, with what was typed and the error beside the field, under the API's status code.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from fastapi import Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, Response

from governance.kernel.errors import GovernanceError
from govsched.http.errors import ServiceUnavailable
from govsched.http.web.auth import Viewer, checked_form
from govsched.http.web.forms import (
    FormState,
    refusal_errors,
    status_for,
    typed_values,
    validation_errors,
)
from govsched.http.web.rendering import error_page, safe_back, see_other
from govsched.http.web.unavailable import try_again
from govsched.i18n.current import gettext as _

# A renderer takes (request, viewer, params, form_state, status) and may take more keywords.
Renderer = TypeVar("Renderer", bound=Callable[..., HTMLResponse])
_PAGES: list[tuple[re.Pattern[str], Callable[..., HTMLResponse]]] = []


def page(pattern: str) -> Callable[[Renderer], Renderer]:
    def register(renderer: Renderer) -> Renderer:
        _PAGES.append((re.compile(pattern), renderer))
        return renderer

    return register


def render_back(
    request: Request, viewer: Viewer, back: str, form_state: FormState, status: int
) -> HTMLResponse:
    path, _mark, query = back.partition("?")
    params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    for pattern, renderer in _PAGES:
        match = pattern.fullmatch(path)
        if match:
            return renderer(request, viewer, {**params, **match.groupdict()}, form_state, status)
    message = form_state.errors.get("", _("the form was refused"))
    return error_page(request, status, _("Not possible"), message)


async def act(
    request: Request,
    viewer: Viewer,
    fields: Sequence[str],
    perform: Callable[[dict[str, str]], Awaitable[Any]],
    done: str,
    default_back: str = "/web/my-work",
    confirm: Callable[[dict[str, str], str], Awaitable[Response]] | None = None,
) -> Response:
    """Run one form's action: CSRF first, then the API's own validation and service call.

    With `confirm`, a first post only shows what would happen (`confirm` renders that page, or
    refuses as the action would); the action runs when that page's form comes back with
    `confirmed=yes`. For actions announced to everyone at once, where a slip cannot be undone.
    """
    # checked in the `try`, so a field that is not text is refused beside it on the form's page
    form = await request.form()
    back = safe_back(form.get("back"), default_back)
    form_id = form.get("form_id")
    form_id = (
        form_id if isinstance(form_id, str) and re.fullmatch(r"[\w.-]{1,120}", form_id) else ""
    )
    values = typed_values(form, fields)
    try:
        await checked_form(request, viewer)
        if confirm is not None and form.get("confirmed") != "yes":
            return await confirm(values, back)
        await perform(values)
    except ValidationError as exc:
        state = FormState(form_id, values, validation_errors(exc, fields))
        return render_back(request, viewer, back, state, 422)
    except GovernanceError as exc:
        state = FormState(form_id, values, refusal_errors(exc, fields))
        return render_back(request, viewer, back, state, status_for(exc))
    except ServiceUnavailable as exc:
        # the exception says whether anything was recorded (a concern's step or a report may
        # be, before its workflow is told); the form keeps its key, so sending it again finishes
        state = FormState(form_id, values, {"": try_again(exc)})
        return render_back(request, viewer, back, state, 503)
    return see_other(back, done)
