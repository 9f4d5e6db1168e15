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
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, RedirectResponse, Response

from governance.kernel.errors import GovernanceError, NotFound
from governance.kernel.languages import AUTONYMS, Language, reading_language
from governance.kernel.model import Role
from governance.kernel.text import shown
from governance.kernel.timekeeping import day_ending_at
from govsched import i18n
from govsched.http.body_limit import TOO_LARGE
from govsched.http.errors import ServiceUnavailable
from govsched.http.web import labels, paging
from govsched.http.web.auth import CsrfRefused, SignInRequired, Viewer, current_viewer
from govsched.http.web.flashes import flash
from govsched.http.web.forms import MANY_CHOICES, FormState, status_for
from govsched.http.web.refusal_wording import plain
from govsched.http.web.unavailable import what_happened
from govsched.i18n import formatting
from govsched.i18n.current import current_language, npgettext
from govsched.i18n.current import gettext as _
from govsched.i18n.documents import (
    assignment_reason_in_reading,
    message_in_reading,
    reason_in_reading,
)
from govsched.i18n.marking import N_
from govsched.i18n.messages import use_label_texts
from govsched.i18n.negotiation import negotiate
from govsched.i18n.refusals import problem_text, refusal_text
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
# Every text a page says goes through the catalog of its reader's language (issue 20): `_()`,
# `ngettext()` and `pgettext()` in templates read the language `render` sets for the page.
TEMPLATES.env.add_extension("jinja2.ext.i18n")
TEMPLATES.env.add_extension("jinja2.ext.do")
TEMPLATES.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext, npgettext=npgettext
)

# In English; a page shows them through the catalog (`role_names` in its context).
ROLE_NAMES = {
    Role.SECRETARIAT: N_("Secretariat"),
    Role.CHAIR: N_("Chair"),
    Role.STEERING_COMMITTEE: N_("Steering Committee"),
    Role.FOCAL_POINT: N_("Focal point"),
}


def _local_day(value: date | datetime, tz: str) -> date:
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(tz)).date()
    return value


def _day(value: date | datetime | str | None, tz: str = "UTC") -> str:
    """A day as the page's reader writes it (`18 May 2027`, `18 mai 2027`, `2027年5月18日`)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            return formatting.day(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return formatting.day(_local_day(value, tz))


def _due_day(value: datetime | None, tz: str = "UTC") -> str:
    """A deadline's last day: a deadline is the instant its day ends (the next local midnight),
    so the day that instant falls on is the day after, which `day` would name."""
    return "" if value is None else formatting.day(day_ending_at(value, tz))


def _iso_day(value: date | datetime | None, tz: str = "UTC") -> str:
    """The same day for a `<time datetime>` attribute, which machines read."""
    if value is None:
        return ""
    return _local_day(value, tz).isoformat()


TEMPLATES.env.filters["day"] = _day
TEMPLATES.env.globals["many_choices"] = MANY_CHOICES
TEMPLATES.env.globals["page_rows"] = paging.PAGE_ROWS
TEMPLATES.env.filters["due_day"] = _due_day
# an instant with its time, in the initiative's zone and the reader's words (the outbox)
TEMPLATES.env.filters["moment"] = lambda value, tz: formatting.moment(value, tz)
# a timed event's start and end (the calendar item page)
TEMPLATES.env.filters["moment_span"] = lambda starts, ends, tz: formatting.moment_span(
    starts, ends, tz
)
TEMPLATES.env.filters["iso_day"] = _iso_day
TEMPLATES.env.filters["number"] = lambda value: formatting.number(value)
TEMPLATES.env.filters["items"] = lambda values: formatting.items([str(v) for v in values])
TEMPLATES.env.filters["lookup"] = lambda key, table: table.get(key, key)
TEMPLATES.env.filters["words"] = labels.words
# a roster slot's reason, which the rule writes in English, in the reader's language
TEMPLATES.env.filters["slot_reason"] = lambda reason: reason_in_reading(str(reason))
TEMPLATES.env.filters["review_reason"] = lambda reason: assignment_reason_in_reading(str(reason))
# a message governance wrote (a change line of a published agenda), in the reader's language
TEMPLATES.env.filters["say"] = message_in_reading
TEMPLATES.env.filters["report_kind"] = labels.report_kind


def nav(viewer: Viewer | None) -> list[tuple[str, str]]:
    """The pages this person has a use for (the Secretariat also issues sign-in links)."""
    if viewer is None:
        return []
    links = [
        ("/web/my-work", _("My work")),
        ("/web/applications", _("Applications")),
        ("/web/year", _("The year")),
        ("/web/plenary", _("The plenary")),
        ("/web/roster", _("Roster")),
        ("/web/reports", _("Reports and reviews")),
        ("/web/indicators", _("Indicators")),
        ("/web/calendars", _("Calendars")),
        ("/web/notifications", _("Notifications")),
        ("/web/directory", _("Directory")),
        ("/web/register", _("Register")),
    ]
    # anyone may have a part in a case; the overview is linked from the concerns page
    links.append(("/web/concerns", _("Concerns")))
    links.append(("/web/groups", _("Groups")))  # issue 23
    if viewer.holds(Role.SECRETARIAT):
        links.append(("/web/sign-in-links", _("Sign-in links")))
        links.append(("/web/outbox", _("Outbox")))
    return links


def reader_language(request: Request, viewer: Viewer | None) -> Language:
    """A signed-in person reads their own language; anyone else what their browser asks for,
    among ours (a signed-out page offers a switch that sets the `lang` query parameter)."""
    default = request.app.state.govsched.rulebook.initiative.language
    if viewer is not None:
        return reading_language(viewer.person.language, default)
    chosen = _chosen(request.query_params.get("lang", "")) or _chosen(
        request.cookies.get(LANGUAGE_COOKIE, "")
    )
    return chosen or negotiate(request.headers.get("accept-language"), default)


# A language chosen on a signed-out page is kept for the pages and forms that follow (a form's
# refusal, its redirect, the email it sends): the switch's `lang` reaches only the page it is on.
LANGUAGE_COOKIE = "govsched_lang"
_YEAR_SECONDS = 366 * 24 * 3600


def chosen_language(request: Request) -> Language | None:
    """The language its reader chose on a signed-out page (the switch's `lang`), if any."""
    return _chosen(request.query_params.get("lang", ""))


def _chosen(tag: str) -> Language | None:
    return next((language for language in Language if language.value == tag), None)


def _keep_choice(request: Request, response: Response) -> None:
    chosen = _chosen(request.query_params.get("lang", ""))
    if chosen is not None and request.cookies.get(LANGUAGE_COOKIE) != chosen.value:
        response.set_cookie(
            LANGUAGE_COOKIE, chosen.value, max_age=_YEAR_SECONDS, samesite="lax", httponly=True
        )


def _pseudo(request: Request) -> bool:
    """Tests render pages in the pseudo-locale to find text that bypasses the catalog."""
    return bool(getattr(request.app.state, "pseudo_locale", False))


def _request_language(request: Request) -> Language:
    try:
        viewer: Viewer | None = current_viewer(request, request.app.state.govsched)
    except SignInRequired:
        viewer = None
    return reader_language(request, viewer)


def language_links(request: Request) -> list[tuple[str, str, str]]:
    """A signed-out page's language switch: each language's autonym, its tag and this address
    with `lang` set, the rest of the query kept."""
    links = []
    for language, autonym in AUTONYMS.items():
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        query.append(("lang", language.value))
        links.append((autonym, language.value, f"{request.url.path}?{urlencode(query)}"))
    return links


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    viewer: Viewer | None = None,
    form_state: FormState | None = None,
    language: Language | None = None,
) -> HTMLResponse:
    """`language`: the page's, where the route knows its reader better than the request does
    (an unsubscribe link names its person); otherwise the reader's (`reader_language`)."""
    viewer = viewer or getattr(request.state, "viewer", None)
    state = request.app.state.govsched
    language = language or reader_language(request, viewer)
    with i18n.use_language(language, pseudo=_pseudo(request)):
        page = {
            "viewer": viewer,
            "nav": nav(viewer),
            "path": request.url.path,
            "role_names": {role: _(name) for role, name in ROLE_NAMES.items()},
            "fs": form_state,
            "tz": state.rulebook.initiative.timezone,
            # the initiative's name as the rulebook gives it in the reader's language
            "initiative": state.rulebook.label_text(
                state.rulebook.initiative.name, current_language()
            ),
            "flash": flash(request.query_params.get("done", "")),
            "lang": language.value,
            "languages": AUTONYMS,
            "switch": language_links(request) if viewer is None else [],
            **context,
        }
        response = TEMPLATES.TemplateResponse(request, template, page, status_code=status)
    response.headers["Content-Language"] = language.value
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
            # The whole request speaks its reader's language, so the texts a route builds in
            # Python (form labels, refusals, titles) are in it too, not only the template's.
            language = await run_in_threadpool(_request_language, request)
            rulebook = request.app.state.govsched.rulebook
            with (
                i18n.use_language(language, pseudo=_pseudo(request)),
                use_label_texts(rulebook.label_text),
            ):
                response = await self._answered(request, original)
            _keep_choice(request, response)
            return response

        return handler

    async def _answered(
        self, request: Request, original: Callable[[Request], Coroutine[Any, Any, Response]]
    ) -> Response:
        try:
            # kept by the request, which parses its form from it: `require_text_fields` reads
            # the bytes again, which the form parser has read as U+FFFD where they are not UTF-8
            await request.body()
            return await original(request)
        except SignInRequired:
            target = quote(request.url.path)
            return RedirectResponse(f"/web/sign-in?next={target}", status_code=303)
        except CsrfRefused:
            return error_page(
                request,
                403,
                _("Form refused"),
                _(
                    "The form was not sent from this session (its security token is missing "
                    "or stale). Nothing was changed; reload the page and try again."
                ),
            )
        except GovernanceError as exc:
            # "application 'x' does not exist" says it all: "(application: not found)" after it
            # read as jargon
            shown = [] if isinstance(exc, NotFound) else exc.problems
            problems = "; ".join(problem_text(p) for p in shown)
            message = refusal_text(exc)
            if problems:
                message = _("%(refusal)s (%(problems)s)") % {
                    "refusal": message,
                    "problems": problems,
                }
            return error_page(request, status_for(exc), _("Not possible"), message)
        except ServiceUnavailable as exc:
            return error_page(
                request,
                503,
                _("Try again shortly"),
                _("%(cause)s.") % {"cause": what_happened(exc)},
            )
        # before `Exception`, which would take them first
        except RequestValidationError as exc:
            # each part of the address at fault, by its name, and why (a year past the API's
            # bound, say); where a part sits (`path.`, `query.`) is the program's business
            fields = "; ".join(
                _("%(field)s: %(reason)s") % {"field": str(e["loc"][-1]), "reason": plain(e)}
                for e in exc.errors()
            )
            message = _(
                "Check the address (%(fields)s), or use the whole link you were given: it may "
                "have been mistyped or cut short."
            ) % {"fields": fields}
            return error_page(request, 422, _("Invalid address"), message)
        except StarletteHTTPException as exc:
            if exc.status_code != TOO_LARGE:
                raise
            # a form larger than the service accepts (govsched/http/body_limit.py)
            message = _(
                "The form was larger than this service accepts, so nothing was recorded. "
                "Shorten what you wrote and send it again."
            )
            return error_page(request, TOO_LARGE, _("Too large"), message)
        except Exception as exc:
            if not unreachable(exc):
                raise
            message = _("The workflow service cannot be reached; try again shortly.")
            return error_page(request, 503, _("Try again shortly"), message)
