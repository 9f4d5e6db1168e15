"""Templates, the error pages, and the route class every web route uses.

`WebRoute` turns what the API answers as JSON (refusals, an unreachable Temporal, a bad path
parameter) into an HTML page with the same status, and a missing session into a redirect to the
sign-in page, so a browser never sees a JSON error or a stack trace.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import HTMLResponse, RedirectResponse, Response

from governance.kernel.errors import GovernanceError
from governance.kernel.model import Role
from governance.kernel.text import shown
from govsched.http.errors import ServiceUnavailable
from govsched.http.web.auth import CsrfRefused, SignInRequired, Viewer
from govsched.http.web.forms import FormState, status_for
from govsched.temporal.client import unreachable

log = logging.getLogger("govsched.web")
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _shown(value: object) -> object:
    """Every value a page prints, made safe to show (governance.kernel.text.shown); markup we built
    stays markup, so it is not escaped twice."""
    if isinstance(value, Markup):
        return Markup(shown(str(value)))
    return shown(value) if isinstance(value, str) else value


TEMPLATES.env.finalize = _shown

ROLE_NAMES = {
    Role.SECRETARIAT: "Secretariat",
    Role.CHAIR: "Chair",
    Role.STEERING_COMMITTEE: "Steering Committee",
    Role.FOCAL_POINT: "Focal point",
}


def _day(value: date | datetime | None, tz: str = "UTC") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(tz)).date()
    return value.isoformat()


def _words(value: object) -> str:
    return str(getattr(value, "value", value)).replace("_", " ")


TEMPLATES.env.filters["day"] = _day
TEMPLATES.env.filters["words"] = _words


def _flash(done: str) -> str:
    """Our own short confirmations only: a crafted link cannot put sentences on the page."""
    return done if re.fullmatch(r"[a-z ]{1,40}", done, re.IGNORECASE) else ""


def nav(viewer: Viewer | None) -> list[tuple[str, str]]:
    """The pages this person has a use for (the Secretariat also issues sign-in links)."""
    if viewer is None:
        return []
    links = [
        ("/web/my-work", "My work"),
        ("/web/applications", "Applications"),
        ("/web/year", "The year"),
        ("/web/plenary", "The plenary"),
        ("/web/roster", "Roster"),
        ("/web/reports", "Reports and reviews"),
        ("/web/calendars", "Calendars"),
        ("/web/notifications", "Notifications"),
        ("/web/directory", "Directory"),
        ("/web/register", "Register"),
    ]
    # anyone may have a part in a case; the overview is linked from the concerns page
    links.append(("/web/concerns", "Concerns"))
    links.append(("/web/groups", "Groups"))  # issue 23
    if viewer.holds(Role.SECRETARIAT):
        links.append(("/web/sign-in-links", "Sign-in links"))
        links.append(("/web/outbox", "Outbox"))
    return links


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    viewer: Viewer | None = None,
    form_state: FormState | None = None,
) -> HTMLResponse:
    viewer = viewer or getattr(request.state, "viewer", None)
    state = request.app.state.govsched
    page = {
        "viewer": viewer,
        "nav": nav(viewer),
        "path": request.url.path,
        "role_names": ROLE_NAMES,
        "fs": form_state,
        "tz": state.rulebook.initiative.timezone,
        "initiative": state.rulebook.initiative.name,
        "flash": _flash(request.query_params.get("done", "")),
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, template, page, status_code=status)
    # Pages load only their own CSS and script, are never framed, and post only to themselves.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def see_other(path: str, done: str = "") -> RedirectResponse:
    joiner = "&" if "?" in path else "?"
    target = f"{path}{joiner}done={quote(done)}" if done else path
    return RedirectResponse(target, status_code=303)


def safe_back(back: object, default: str = "/web/my-work") -> str:
    """Only a path of this workspace: a form cannot send the browser elsewhere."""
    if (
        isinstance(back, str)
        and re.fullmatch(r"/web/[\w/.-]*(\?[\w=&.-]*)?", back, re.ASCII)
        and ".." not in back
    ):
        return back
    return default


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except SignInRequired:
                target = quote(request.url.path)
                return RedirectResponse(f"/web/sign-in?next={target}", status_code=303)
            except CsrfRefused:
                return error_page(
                    request,
                    403,
                    "Form refused",
                    "The form was not sent from this session (its security token is missing "
                    "or stale). Nothing was changed; reload the page and try again.",
                )
            except GovernanceError as exc:
                problems = "; ".join(str(p) for p in exc.problems)
                message = f"{exc.message}" + (f" ({problems})" if problems else "")
                return error_page(request, status_for(exc), "Not possible", message)
            except ServiceUnavailable as exc:
                return error_page(request, 503, "Try again shortly", f"{exc}.")
            except Exception as exc:
                if not unreachable(exc):
                    raise
                message = "The workflow service cannot be reached; try again shortly."
                return error_page(request, 503, "Try again shortly", message)
            except RequestValidationError as exc:
                fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
                return error_page(request, 422, "Invalid address", f"check: {fields}")

        return handler
