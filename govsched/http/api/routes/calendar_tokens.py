"""Calendar subscriptions: feed tokens, alarm preference, and the items feeds link to.

Tokens are written directly (no workflow): issuing one starts no process and notifies nobody,
and the audit entry is written in the same transaction as the token.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from governance.feeds.scopes import PERSON_SCOPE, scope_audiences
from governance.kernel.calendar import visible_to
from governance.kernel.errors import NotFound
from governance.kernel.messages import say
from governance.kernel.model import Person, Role
from govsched.http.api.schemas import ErrorBody
from govsched.http.bodies import FeedTokenIn
from govsched.http.deps import CurrentPerson, State, requires
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import calendar_preferences as calendar_preference_repo
from govsched.services.feeds import tokens as feed_tokens
from govsched.services.feeds.calendars import subscriber

router = APIRouter(tags=["calendars"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "no token, or an unknown or revoked one"},
    403: {"model": ErrorBody, "description": "the person may not read that feed"},
    404: {"model": ErrorBody, "description": "no such item"},
    422: {"model": ErrorBody, "description": "each invalid field, with the reason"},
}


class FeedTokenOut(BaseModel):
    scope: str
    action: str = Field(description="issue (first token) or reset (the old URL now answers 404)")
    url: str
    webcal_url: str
    token: str = Field(description="shown once; only its hash is stored")


class RevokedOut(BaseModel):
    person: str
    revoked: list[str]


class PreferencesIn(BaseModel):
    alarm_minutes_before: Annotated[int, Field(ge=0, le=60 * 24 * 60)] | None = Field(
        description="minutes before each event for a reminder; null for none"
    )


class PreferencesOut(PreferencesIn):
    pass


@router.post("/me/calendar-token", status_code=201, responses=ERRORS)
def issue_my_token(
    state: State, person: CurrentPerson, body: FeedTokenIn | None = None
) -> FeedTokenOut:
    """Issue your feed token for a scope, or reset it: the old URL answers 404 at once."""
    scope = (body or FeedTokenIn()).scope
    with state.db.writing() as session:
        issued = feed_tokens.issue(session, person.id, scope, person.id, datetime.now(UTC))
    base = state.settings.base_url
    return FeedTokenOut(
        scope=issued.scope,
        action=issued.action,
        url=issued.url(base),
        webcal_url=issued.webcal_url(base),
        token=issued.token,
    )


@router.delete("/me/calendar-token", responses=ERRORS)
def revoke_my_token(state: State, person: CurrentPerson, scope: str | None = None) -> RevokedOut:
    with state.db.writing() as session:
        revoked = feed_tokens.revoke(session, person.id, person.id, datetime.now(UTC), scope)
    return RevokedOut(person=person.id, revoked=revoked)


@router.delete("/people/{person_id}/calendar-tokens", responses=ERRORS)
def revoke_tokens(
    state: State,
    person_id: str,
    by: Annotated[Person, Depends(requires(Role.SECRETARIAT, say("revoking calendar feeds")))],
    scope: str | None = None,
) -> RevokedOut:
    """The Secretariat revokes a person's feed tokens (all, or one scope's)."""
    with state.db.writing() as session:
        revoked = feed_tokens.revoke(session, person_id, by.id, datetime.now(UTC), scope)
    return RevokedOut(person=person_id, revoked=revoked)


@router.put("/me/calendar-preferences", responses=ERRORS)
def set_preferences(state: State, person: CurrentPerson, body: PreferencesIn) -> PreferencesOut:
    """Your feeds' reminder: every feed token of yours carries it from the next poll."""
    with state.db.writing() as session:
        calendar_preference_repo.set_alarm(
            session, person.id, body.alarm_minutes_before, datetime.now(UTC)
        )
    return PreferencesOut(alarm_minutes_before=body.alarm_minutes_before)


@router.get("/calendar-items/{item_id}", responses=ERRORS)
def calendar_item(state: State, person: CurrentPerson, item_id: str) -> dict[str, Any]:
    """The item an event's URL points to, for those whose own feed may show it."""
    uid = f"{item_id}@{state.rulebook.initiative.uid_domain}"
    with state.db.reading() as session:
        stored = calendar_repo.get(session, uid)
        who = subscriber(session, person.id)
    if stored is None or who is None:
        raise NotFound("calendar item", item_id)
    if not visible_to(stored.item, scope_audiences(who, PERSON_SCOPE)):
        raise NotFound("calendar item", item_id)
    item = stored.item.model_dump(mode="json", exclude={"audiences", "confidential"})
    return {**item, "sequence": stored.sequence, "last_modified": stored.last_modified}
