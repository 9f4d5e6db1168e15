"""Browser sessions and one-time sign-in links for the web workspace.

Like API tokens, both exist in clear only in the return value that hands them out; the database
keeps SHA-256 digests, so a copy of it opens no session. A session started with an API token
keeps that token's digest and lives only while the token does: revoking the token, by whatever
means, ends it at the next request.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govsched.persistence.repos.api_tokens import TOKEN_BYTES, digest
from govsched.persistence.tables import ApiTokenRow, SignInLinkRow, WebSessionRow


def start(
    session: Session, person_id: str, at: datetime, lasts: timedelta, token: str | None = None
) -> str:
    """A new browser session for the person, started with the API `token` (None: a one-time
    link); returns the secret the cookie carries."""
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        WebSessionRow(
            digest=digest(secret),
            person_id=person_id,
            created_at=at,
            expires_at=at + lasts,
            token_digest=None if token is None else digest(token),
        )
    )
    return secret


def person_for(session: Session, secret: str, now: datetime) -> str | None:
    """The person a live session belongs to (None once it ended or expired, or once the token
    it was started with was revoked)."""
    row = session.get(WebSessionRow, digest(secret))
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    if row.token_digest is not None:
        token = session.get(ApiTokenRow, row.token_digest)
        if token is None or token.revoked_at is not None:
            return None
    return row.person_id


def end(session: Session, secret: str, at: datetime) -> None:
    row = session.get(WebSessionRow, digest(secret))
    if row is not None and row.ended_at is None:
        row.ended_at = at


def end_all(session: Session, person_id: str, at: datetime) -> int:
    """End every live session of the person; returns how many."""
    rows = session.scalars(
        select(WebSessionRow).where(
            WebSessionRow.person_id == person_id,
            WebSessionRow.ended_at.is_(None),
            WebSessionRow.expires_at > at,
        )
    ).all()
    for row in rows:
        row.ended_at = at
    return len(rows)


def issue_link(
    session: Session, person_id: str, issued_by: str, at: datetime, lasts: timedelta
) -> str:
    """A one-time sign-in link secret for the person."""
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        SignInLinkRow(
            digest=digest(secret),
            person_id=person_id,
            issued_by=issued_by,
            created_at=at,
            expires_at=at + lasts,
        )
    )
    return secret


def links_issued_since(session: Session, person_id: str, since: datetime) -> int:
    """How many sign-in links the person was issued from `since` (asking by email is paced)."""
    query = select(func.count()).where(
        SignInLinkRow.person_id == person_id, SignInLinkRow.created_at >= since
    )
    return int(session.scalar(query) or 0)


def redeem_link(session: Session, secret: str, now: datetime) -> str | None:
    """The person the link signs in, marking it used; None if unknown, used or expired.

    Run in a write transaction (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL), so two
    concurrent redemptions cannot both succeed.
    """
    row = session.scalars(
        select(SignInLinkRow).where(SignInLinkRow.digest == digest(secret)).with_for_update()
    ).one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    row.used_at = now
    return row.person_id
