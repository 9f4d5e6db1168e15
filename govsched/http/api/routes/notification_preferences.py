"""Notification preferences: people choose which kinds of direct message they do without."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter

from governance.kernel.errors import Forbidden
from governance.kernel.model import Frozen, Person, Role
from governance.rulebook.model import NotificationKind
from govsched.http.api.schemas import ErrorBody
from govsched.http.deps import CurrentPerson, State
from govsched.services import notification_preferences

router = APIRouter(tags=["notifications"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "no token, or an unknown or revoked one"},
    403: {"model": ErrorBody, "description": "neither the person nor the Secretariat"},
    404: {"model": ErrorBody, "description": "unknown person"},
    422: {"model": ErrorBody, "description": "an unknown kind of notification"},
}


class Preferences(Frozen):
    """Kinds of notification the person does not want as direct messages (channel posts are
    for everyone in the channel and are not affected)."""

    opt_out: list[NotificationKind]


def _may_change(viewer: Person, person_id: str) -> None:
    if viewer.id != person_id and Role.SECRETARIAT not in viewer.roles:
        raise Forbidden(Role.SECRETARIAT.value, "changing another person's notifications")


@router.get("/people/{person_id}/notification-preferences", responses=ERRORS)
def read_preferences(state: State, person: CurrentPerson, person_id: str) -> Preferences:
    _may_change(person, person_id)
    return Preferences(opt_out=notification_preferences.opted_out(state.db, person_id))


@router.put("/people/{person_id}/notification-preferences", responses=ERRORS)
def write_preferences(
    state: State, person: CurrentPerson, person_id: str, body: Preferences
) -> Preferences:
    """Replace the person's opt-outs; the person themselves or the Secretariat."""
    _may_change(person, person_id)
    kinds = notification_preferences.set_opted_out(
        state.db, person_id, body.opt_out, person.id, datetime.now(UTC)
    )
    return Preferences(opt_out=kinds)
