"""Calendar subscription tokens: issued once in clear, stored as SHA-256 digests.

A feed URL is a bearer secret that calendar clients poll for years, so the database must never
hold a usable one: only the digest is stored and the clear token exists in the issuing call's
return value alone.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from govsched.persistence.tables import CalendarFeedTokenRow

# 32 random bytes (256 bits): twice the issue's floor, and url-safe for a path segment.
TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class FeedGrant:
    """What a live token opens."""

    person_id: str
    scope: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(session: Session, person_id: str, scope: str, at: datetime) -> str:
    """A new token for the person's feed of `scope`; any live one for that scope is revoked."""
    revoke(session, person_id, at, scope)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        CalendarFeedTokenRow(digest=digest(token), person_id=person_id, scope=scope, created_at=at)
    )
    session.flush()
    return token


def grant_for(session: Session, token: str) -> FeedGrant | None:
    """The grant of a live token, or None.

    The row is found by the token's digest, so index timing says nothing about the token; the
    final comparison is constant-time as well, so no code path compares secrets byte by byte.
    """
    wanted = digest(token)
    row = session.get(CalendarFeedTokenRow, wanted)
    if row is None or not hmac.compare_digest(row.digest, wanted) or row.revoked_at is not None:
        return None
    return FeedGrant(row.person_id, row.scope)


def revoke(session: Session, person_id: str, at: datetime, scope: str | None = None) -> list[str]:
    """Revoke the person's live tokens (of one scope, or all); returns the scopes revoked."""
    query = select(CalendarFeedTokenRow).where(
        CalendarFeedTokenRow.person_id == person_id, CalendarFeedTokenRow.revoked_at.is_(None)
    )
    if scope is not None:
        query = query.where(CalendarFeedTokenRow.scope == scope)
    rows = session.scalars(query.order_by(CalendarFeedTokenRow.scope)).all()
    for row in rows:
        row.revoked_at = at
    session.flush()
    return [row.scope for row in rows]


def live_grants_of(session: Session, person_id: str) -> list[FeedGrant]:
    query = select(CalendarFeedTokenRow.scope).where(
        CalendarFeedTokenRow.person_id == person_id, CalendarFeedTokenRow.revoked_at.is_(None)
    )
    return [FeedGrant(person_id, scope) for scope in session.scalars(query)]


def live_grants(session: Session) -> list[FeedGrant]:
    """Every live grant, ordered: the feeds worth keeping warm."""
    query = (
        select(CalendarFeedTokenRow.person_id, CalendarFeedTokenRow.scope)
        .where(CalendarFeedTokenRow.revoked_at.is_(None))
        .order_by(CalendarFeedTokenRow.person_id, CalendarFeedTokenRow.scope)
    )
    return [FeedGrant(person, scope) for person, scope in session.execute(query)]
