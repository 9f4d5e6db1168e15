"""API bearer tokens: issued once in clear, stored as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from govsched.persistence.tables import ApiTokenRow

# 32 random bytes: 256 bits, far beyond guessing; url-safe so it fits an Authorization header.
TOKEN_BYTES = 32


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(session: Session, person_id: str, at: datetime, label: str = "") -> str:
    """A new token for the person; the clear token exists only in the return value."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(ApiTokenRow(digest=digest(token), person_id=person_id, label=label, created_at=at))
    return token


def person_for(session: Session, token: str) -> str | None:
    """The person a live token belongs to.

    The lookup is by digest, so how long it takes says nothing about how close a guess was.
    """
    row = session.get(ApiTokenRow, digest(token))
    if row is None or row.revoked_at is not None:
        return None
    return row.person_id


def revoke_all(session: Session, person_id: str, at: datetime) -> int:
    rows = session.scalars(
        select(ApiTokenRow).where(
            ApiTokenRow.person_id == person_id, ApiTokenRow.revoked_at.is_(None)
        )
    ).all()
    for row in rows:
        row.revoked_at = at
    return len(rows)
