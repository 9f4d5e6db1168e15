"""The person's notification preferences: channels (Slack, email, both), email cadence (at once
or a daily digest), and the kinds they do without: the same services as the API's
`/people/{id}/notification-preferences`, for the signed-in person."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.languages import AUTONYMS, Language
from governance.notifications.channels import Channels, DeliveryChoice, EmailCadence
from governance.rulebook.model import NotificationKind, stoppable
from govsched.http.state import AppState
from govsched.http.web.auth import SignedIn, Viewer, checked_form, now
from govsched.http.web.forms import FormState
from govsched.http.web.pages import page
from govsched.http.web.rendering import WebRoute, render, see_other
from govsched.http.web.routes.email import kind_words
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_
from govsched.services import notification_preferences, person_language
from govsched.services.channel_choices import delivery_choice, set_delivery_choice

router = APIRouter(route_class=WebRoute, include_in_schema=False)

FORM_ID = "notification-preferences"
DEFAULT = "default"
# In English; the page shows them in its reader's language.
CHANNEL_CHOICES = [
    (DEFAULT, N_("Every channel this workspace has (the default)")),
    (Channels.SLACK.value, N_("Slack only")),
    (Channels.EMAIL.value, N_("Email only")),
    (Channels.BOTH.value, N_("Slack and email")),
]
CADENCE_CHOICES = [
    (EmailCadence.IMMEDIATE.value, N_("One email per notice, as it happens")),
    (EmailCadence.DAILY.value, N_("One email a day with the day's notices (daily digest)")),
]


def _language_choices(default: Language) -> list[tuple[str, str, str]]:
    """(value, text, lang of the text): each language named in itself, so a reader finds their
    own even on a page in a language they do not read."""
    initiative = _("The initiative's language (%(language)s)") % {"language": AUTONYMS[default]}
    choices = [(DEFAULT, initiative, "")]
    choices += [(language.value, AUTONYMS[language], language.value) for language in Language]
    return choices


@page(r"/web/notifications")
def preferences_page(
    request: Request,
    viewer: Viewer,
    _params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    person = viewer.person.id
    if form_state is not None:
        values = form_state.values
        channels = values.get("channels", DEFAULT)
        cadence = values.get("email", EmailCadence.IMMEDIATE.value)
        stopped = {kind.value for kind in NotificationKind if f"stop_{kind.value}" in values}
        language = values.get("language", DEFAULT)
    else:
        choice = delivery_choice(state.db, person)
        channels = DEFAULT if choice.channels is None else choice.channels.value
        cadence = choice.email.value
        stopped = {kind.value for kind in notification_preferences.opted_out(state.db, person)}
        chosen = person_language.language_of(state.db, person)
        language = DEFAULT if chosen is None else chosen.value
    context = {
        "form_id": FORM_ID,
        "channel_choices": [(value, _(text)) for value, text in CHANNEL_CHOICES],
        "cadence_choices": [(value, _(text)) for value, text in CADENCE_CHOICES],
        "language_choices": _language_choices(state.rulebook.initiative.language),
        "language": language,
        "channels": channels,
        "cadence": cadence,
        "kinds": [
            (kind.value, kind_words(kind.value)) for kind in NotificationKind if stoppable(kind)
        ],
        "stopped": stopped,
        "errors": form_state.errors if form_state is not None else {},
        "email_enabled": state.settings.email_enabled,
        "slack_enabled": state.settings.slack_token is not None,
    }
    return render(request, "notification_preferences.html", context, status, viewer, form_state)


@router.get("/web/notifications")
def notifications(request: Request, viewer: SignedIn) -> Response:
    return preferences_page(request, viewer, {})


@router.post("/web/notifications")
async def save_notifications(request: Request, viewer: SignedIn) -> Response:
    """Both choices are checked before either is recorded: a refused form changes nothing."""
    state: AppState = request.app.state.govsched
    form = await checked_form(request, viewer)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    errors: dict[str, str] = {}
    channels = values.get("channels", "")
    if channels not in {value for value, _text in CHANNEL_CHOICES}:
        errors["channels"] = _("choose one of the listed channels")
    cadence = values.get("email", "")
    if cadence not in {value for value, _text in CADENCE_CHOICES}:
        errors["email"] = _("choose one email cadence")
    # an older form without the language field leaves the choice as it is
    language = values.get("language")
    languages = {DEFAULT, *(tag.value for tag in Language)}
    if language is not None and language not in languages:
        errors["language"] = _("choose one of the listed languages")
    if errors:
        return preferences_page(request, viewer, {}, FormState(FORM_ID, values, errors), 422)
    choice = DeliveryChoice(
        channels=None if channels == DEFAULT else Channels(channels),
        email=EmailCadence(cadence),
    )
    stopped = [kind for kind in NotificationKind if f"stop_{kind.value}" in values]
    at = now()
    person = viewer.person.id
    set_delivery_choice(state.db, person, choice, person, at)
    notification_preferences.set_opted_out(state.db, person, stopped, person, at)
    if language is not None:
        chosen = None if language == DEFAULT else Language(language)
        person_language.set_language(state.db, person, chosen, person, at)
    return see_other("/web/notifications", "preferences saved")
