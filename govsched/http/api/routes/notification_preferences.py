"""Notification preferences: people choose which kinds of direct message they do without."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from fastapi import APIRouter
from pydantic import Field, field_validator

from governance.kernel.errors import Forbidden, ValueRefused
from governance.kernel.languages import Language
from governance.kernel.messages import say
from governance.kernel.model import Incoming, Person, Role
from governance.notifications.channels import Channels, DeliveryChoice, EmailCadence
from governance.rulebook.model import NotificationKind, stoppable
from govsched.http.api.schemas import ErrorBody
from govsched.http.deps import CurrentPerson, State
from govsched.http.state import AppState
from govsched.services import channel_choices, notification_preferences, person_language

router = APIRouter(tags=["notifications"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "no token, or an unknown or revoked one"},
    403: {"model": ErrorBody, "description": "neither the person nor the Secretariat"},
    404: {"model": ErrorBody, "description": "unknown person"},
    422: {
        "model": ErrorBody,
        "description": "an unknown kind of notification, or one no opt-out stops (request)",
    },
}


class ChannelsChoice(StrEnum):
    """Channels as the API takes them: a person's choice, or `default` for none."""

    DEFAULT = "default"
    SLACK = Channels.SLACK.value
    EMAIL = Channels.EMAIL.value
    BOTH = Channels.BOTH.value


class LanguageChoice(StrEnum):
    """A person's language as the API takes it: one of ours, or `default` for the
    initiative's (issue 20)."""

    DEFAULT = "default"
    EN = Language.EN.value
    FR = Language.FR.value
    ES = Language.ES.value
    ZH = Language.ZH.value


class Preferences(Incoming):
    """Kinds of notification the person does not want as direct messages (channel posts are
    for everyone in the channel and are not affected; requests to act cannot be stopped);
    where they are told and how often emails come (issue 19)."""

    opt_out: list[NotificationKind]
    channels: ChannelsChoice | None = Field(
        None,
        description="slack, email or both; `default`: every channel the installation has. "
        "Read: the person's choice (`default` if none). Written: left as it is when absent.",
    )
    email: EmailCadence | None = Field(
        None,
        description="immediate (one email per notice) or daily (one digest a day). Written: "
        "left as it is when absent.",
    )
    language: LanguageChoice | None = Field(
        None,
        description="The language the person reads pages, notices and feeds in: en, fr, es or "
        "zh-Hans; `default`: the initiative's (rulebook `initiative.language`). Read: the "
        "person's choice (`default` if none). Written: left as it is when absent.",
    )

    @field_validator("opt_out")
    @classmethod
    def _stoppable(cls, kinds: list[NotificationKind]) -> list[NotificationKind]:
        if not all(stoppable(kind) for kind in kinds):
            raise ValueRefused(say("requests to act cannot be stopped"))
        return kinds


def _read(state: AppState, person_id: str) -> Preferences:
    choice = channel_choices.delivery_choice(state.db, person_id)
    return Preferences(
        opt_out=notification_preferences.opted_out(state.db, person_id),
        channels=ChannelsChoice(choice.channels or "default"),
        email=choice.email,
        language=LanguageChoice(person_language.language_of(state.db, person_id) or "default"),
    )


def _may_change(viewer: Person, person_id: str) -> None:
    if viewer.id != person_id and Role.SECRETARIAT not in viewer.roles:
        raise Forbidden(Role.SECRETARIAT.value, say("changing another person's notifications"))


def _may_read(viewer: Person, person_id: str) -> None:
    if viewer.id != person_id and Role.SECRETARIAT not in viewer.roles:
        raise Forbidden(Role.SECRETARIAT.value, say("reading another person's notifications"))


@router.get("/people/{person_id}/notification-preferences", responses=ERRORS)
def read_preferences(state: State, person: CurrentPerson, person_id: str) -> Preferences:
    _may_read(person, person_id)
    return _read(state, person_id)


@router.put("/people/{person_id}/notification-preferences", responses=ERRORS)
def write_preferences(
    state: State, person: CurrentPerson, person_id: str, body: Preferences
) -> Preferences:
    """Replace the person's opt-outs; the person themselves or the Secretariat."""
    _may_change(person, person_id)
    at = datetime.now(UTC)
    current = channel_choices.delivery_choice(state.db, person_id)
    if body.channels is None:
        channels = current.channels
    else:
        chosen = body.channels
        channels = None if chosen is ChannelsChoice.DEFAULT else Channels(chosen.value)
    choice = DeliveryChoice(channels=channels, email=body.email or current.email)
    channel_choices.set_delivery_choice(state.db, person_id, choice, person.id, at)
    notification_preferences.set_opted_out(state.db, person_id, body.opt_out, person.id, at)
    if body.language is not None:
        chosen_language = (
            None if body.language is LanguageChoice.DEFAULT else Language(body.language.value)
        )
        person_language.set_language(state.db, person_id, chosen_language, person.id, at)
    return _read(state, person_id)
