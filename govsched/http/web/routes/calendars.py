"""Calendars: the person's feed link (copy, webcal, reset), the reminder their feeds carry, and
the public feed.

A feed link is shown once, in the answer to the POST that issues or resets it: only its hash is
stored (`POST /me/calendar-token` does the same), so the page cannot show an existing one again.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, Response

from governance.feeds.scopes import PERSON_SCOPE
from governance.kernel.errors import GovernanceError
from governance.kernel.model import Role
from govsched.http.bodies import FeedTokenIn
from govsched.http.state import AppState
from govsched.http.web import calendar_alarm
from govsched.http.web.auth import SignedIn, Viewer, checked_form, now
from govsched.http.web.forms import (
    Field,
    Form,
    FormState,
    parse,
    refusal_errors,
    status_for,
    validation_errors,
)
from govsched.http.web.labels import words
from govsched.http.web.pages import page
from govsched.http.web.rendering import WebRoute, render, see_other
from govsched.http.web.subscribe import subscribe_links, webcal
from govsched.i18n.current import current_language
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_
from govsched.persistence.repos import calendar_preferences as calendar_preference_repo
from govsched.persistence.repos import feed_tokens as feed_token_repo
from govsched.services.feeds import tokens as feed_tokens
from govsched.services.feeds.calendars import PUBLIC_TITLE

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _scopes(viewer: Viewer) -> list[tuple[str, str]]:
    scopes = [(PERSON_SCOPE, _("my own feed"))]
    scopes += [
        (f"role:{r.value}", _("the %(role)s role") % {"role": words(r)})
        for r in sorted(viewer.person.roles)
    ]
    return scopes


def _feed_name(short: str, viewer: Viewer, scope: str) -> str:
    """The name the calendar app gives the subscription (the feed's own name says the same)."""
    if scope == PERSON_SCOPE:
        return f"{short}: {viewer.person.name}"
    return f"{short}: {scope.partition(':')[2].replace('_', ' ')}"


def _form(viewer: Viewer) -> Form:
    return Form(
        "feed-link",
        "/web/calendars",
        N_("Get a new feed link"),
        (Field("scope", N_("Which feed"), "select", _scopes(viewer), required=True),),
        "/web/calendars",
    )


ALARM_FORM = "feed-alarm"


def _alarm_form(offered: list[tuple[str, str]], stated: str) -> Form:
    hint = N_("How long before each event of your feeds your calendar app reminds you.")
    return Form(
        ALARM_FORM,
        "/web/calendars/alarm",
        N_("Save the reminder"),
        (
            Field(
                "alarm", N_("Remind me"), "select", offered, required=True, hint=hint, value=stated
            ),
        ),
        "/web/calendars",
    )


@page(r"/web/calendars")
def calendars_page(
    request: Request,
    viewer: Viewer,
    _params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
    issued: feed_tokens.IssuedFeed | None = None,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    base = state.settings.base_url
    with state.db.reading() as session:
        live = sorted(g.scope for g in feed_token_repo.live_grants_of(session, viewer.person.id))
        preference = calendar_preference_repo.alarm(session, viewer.person.id)
    public_url = f"{base}/calendars/public.ics"
    reader = current_language()
    if reader is not state.rulebook.initiative.language:
        # the public feed in the page's own language (issue 20)
        public_url += f"?lang={reader.value}"
    short = state.rulebook.initiative.short_name
    context = {
        "form": _form(viewer),
        "alarm_form": _alarm_form(
            calendar_alarm.choices(state.rulebook, preference), calendar_alarm.current(preference)
        ),
        "scope_labels": dict(_scopes(viewer)),
        "live": live,
        "issued": issued,
        "issued_url": issued.url(base) if issued else "",
        "issued_webcal": issued.webcal_url(base) if issued else "",
        "issued_apps": subscribe_links(issued.url(base), _feed_name(short, viewer, issued.scope))
        if issued
        else [],
        "public_url": public_url,
        "public_webcal": webcal(public_url),
        "public_apps": subscribe_links(public_url, _(PUBLIC_TITLE) % {"initiative": short}),
        "secretariat": viewer.holds(Role.SECRETARIAT),
    }
    return render(request, "calendars.html", context, status, viewer, form_state)


@router.get("/web/calendars")
def calendars(request: Request, viewer: SignedIn) -> Response:
    return calendars_page(request, viewer, {})


@router.post("/web/calendars")
async def issue_feed(request: Request, viewer: SignedIn) -> Response:
    form = await checked_form(request, viewer)
    values = {"scope": str(form.get("scope", ""))}
    state: AppState = request.app.state.govsched
    try:
        body = parse(FeedTokenIn, values)
        with state.db.writing() as session:
            issued = feed_tokens.issue(
                session, viewer.person.id, body.scope, viewer.person.id, now()
            )
    except ValidationError as exc:
        fs = FormState("feed-link", values, validation_errors(exc, ["scope"]))
        return calendars_page(request, viewer, {}, fs, 422)
    except GovernanceError as exc:
        fs = FormState("feed-link", values, refusal_errors(exc, ["scope"]))
        return calendars_page(request, viewer, {}, fs, status_for(exc))
    return calendars_page(request, viewer, {}, issued=issued)


@router.post("/web/calendars/alarm")
async def save_alarm(request: Request, viewer: SignedIn) -> Response:
    """The reminder for every feed of the person's, from the next time their app polls."""
    form = await checked_form(request, viewer)
    state: AppState = request.app.state.govsched
    value = form.get("alarm", "")
    values = {"alarm": value if isinstance(value, str) else ""}
    with state.db.writing() as session:
        preference = calendar_preference_repo.alarm(session, viewer.person.id)
        choice = calendar_alarm.chosen(
            values["alarm"], calendar_alarm.choices(state.rulebook, preference)
        )
        if choice is not None:
            if choice.default:
                calendar_preference_repo.forget_alarm(session, viewer.person.id)
            else:
                calendar_preference_repo.set_alarm(
                    session, viewer.person.id, choice.minutes_before, now()
                )
    if choice is None:
        fs = FormState(ALARM_FORM, values, {"alarm": _("choose one of the reminders listed")})
        return calendars_page(request, viewer, {}, fs, 422)
    return see_other("/web/calendars", "reminder saved")
