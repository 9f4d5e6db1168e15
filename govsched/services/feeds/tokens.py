"""Issuing, resetting and revoking calendar subscription tokens, each audited.

The clear token is returned once and written nowhere: not to the audit log (which records the
person, the scope and who acted), not to a log line.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from governance.feeds.scopes import check_entitled, parse_scope, scope_group
from governance.kernel.audit import AuditEntry
from governance.kernel.errors import Conflict, NotFound, Problem
from governance.kernel.messages import say
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import feed_tokens as feed_token_repo
from govsched.persistence.repos import groups as group_repo
from govsched.services.feeds.calendars import subscriber

Action = Literal["issue", "reset", "revoke"]


@dataclass(frozen=True, slots=True)
class IssuedFeed:
    person_id: str
    scope: str
    token: str
    action: Action

    def url(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/calendars/{self.token}.ics"

    def webcal_url(self, base_url: str) -> str:
        """The same address for calendar apps that subscribe on a webcal:// link."""
        _, _, rest = self.url(base_url).partition("://")
        return f"webcal://{rest}"


def _audit(
    session: Session, action: Action, person_id: str, scopes: list[str], by: str, at: datetime
) -> None:
    audit_repo.append(
        session,
        AuditEntry(
            # Each call is its own act: no retry path re-issues a token, so a fresh key is right.
            key=f"calendar-feed:{person_id}:{action}:{uuid.uuid4().hex}",
            at=at,
            actor=by,
            action=f"calendar_feed.{action}",
            item_kind="calendar_feed",
            item_id=person_id,
            data={"scopes": scopes},
        ),
    )


def issue(
    session: Session,
    person_id: str,
    scope: str,
    by: str,
    at: datetime,
    *,
    replace: bool = True,
) -> IssuedFeed:
    """A new token for the person's feed of `scope`; the old one (if any) stops at once.

    `replace=False` refuses when a live token exists (the CLI's `issue`, so nobody resets a
    colleague's subscription by mistake).
    """
    scope = parse_scope(scope)
    who = subscriber(session, person_id)
    if who is None:
        raise NotFound("person", person_id)
    check_entitled(who, scope)
    group_id = scope_group(scope)
    if group_id is not None and group_repo.get_group(session, group_id) is None:
        raise NotFound("group", group_id)
    live = {g.scope for g in feed_token_repo.live_grants_of(session, person_id)}
    if scope in live and not replace:
        raise Conflict(
            say(
                "%(person)s already has a calendar feed token for %(scope)s",
                person=person_id,
                scope=scope,
            ),
            [Problem("person", say("use reset to replace it (the old URL stops working)"))],
        )
    action: Action = "reset" if scope in live else "issue"
    token = feed_token_repo.issue(session, person_id, scope, at)
    _audit(session, action, person_id, [scope], by, at)
    return IssuedFeed(person_id, scope, token, action)


def revoke(
    session: Session, person_id: str, by: str, at: datetime, scope: str | None = None
) -> list[str]:
    """Revoke the person's feed tokens (one scope, or all); returns the scopes revoked."""
    if scope is not None:
        scope = parse_scope(scope)
    if subscriber(session, person_id) is None:
        raise NotFound("person", person_id)
    scopes = feed_token_repo.revoke(session, person_id, at, scope)
    _audit(session, "revoke", person_id, scopes, by, at)
    return scopes
