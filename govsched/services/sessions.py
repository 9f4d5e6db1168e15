"""Ending a person's web sessions and revoking their API tokens, each audited.

Decision (issue 17): a web session started with an API token lives only while that token does
(`web_session_repo.person_for` checks it at every request). Revoking a person's tokens (all of
them: `govsched tokens revoke` is the only way to revoke one) cuts the person off, so it also
ends the sessions they started from one-time links. The Secretariat can end every session of a
person without touching their tokens (API, web, CLI), for a lost laptop or a shared screen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from governance.kernel.audit import SYSTEM_ACTOR, AuditEntry
from governance.kernel.errors import NotFound
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import web_sessions as web_session_repo


@dataclass(frozen=True, slots=True)
class Revoked:
    tokens: int
    sessions: int


def _audit(
    session: Session, action: str, person_id: str, by: str, at: datetime, **data: int
) -> None:
    audit_repo.append(
        session,
        AuditEntry(
            # each call is its own act, never retried as the same one: a fresh key is right
            key=f"{action}:{person_id}:{uuid.uuid4().hex}",
            at=at,
            actor=by,
            action=action,
            item_kind="person",
            item_id=person_id,
            data=data,
        ),
    )


def _require_person(session: Session, person_id: str) -> None:
    if not registry_repo.person_exists(session, person_id):
        raise NotFound("person", person_id)


def require_actor(session: Session, by: str) -> None:
    """Who acts is a person of the registry, or the system: written to the audit log as given,
    an invented name (or control characters) would be a record of someone who never acted."""
    if by != SYSTEM_ACTOR and not registry_repo.person_exists(session, by):
        raise NotFound("person", by)


def end_sessions(session: Session, person_id: str, by: str, at: datetime) -> int:
    """End every live web session of the person; returns how many."""
    _require_person(session, person_id)
    require_actor(session, by)
    ended = web_session_repo.end_all(session, person_id, at)
    _audit(session, "web_sessions.ended", person_id, by, at, sessions=ended)
    return ended


def revoke_tokens(session: Session, person_id: str, by: str, at: datetime) -> Revoked:
    """Revoke every API token of the person and end all their web sessions."""
    _require_person(session, person_id)
    require_actor(session, by)
    tokens = token_repo.revoke_all(session, person_id, at)
    sessions = web_session_repo.end_all(session, person_id, at)
    _audit(session, "api_tokens.revoked", person_id, by, at, tokens=tokens, sessions=sessions)
    return Revoked(tokens, sessions)
