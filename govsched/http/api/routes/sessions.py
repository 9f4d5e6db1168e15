"""The Secretariat ends a person's web sessions (issue 17): signed out of every browser at once.

Revoking a person's API tokens (`govsched tokens revoke`) ends them too; see
govsched.services.sessions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from governance.kernel.messages import say
from governance.kernel.model import Person, Role
from govsched.http.api.routes.registry import ERRORS
from govsched.http.deps import State, requires
from govsched.services.sessions import end_sessions

router = APIRouter(tags=["people"])


class SessionsEnded(BaseModel):
    person: str
    ended: int


@router.delete("/people/{person_id}/web-sessions", responses=ERRORS)
def end_web_sessions(
    state: State,
    person_id: str,
    by: Annotated[Person, Depends(requires(Role.SECRETARIAT, say("ending a person's sessions")))],
) -> SessionsEnded:
    """End every web session of the person; their API tokens keep working."""
    with state.db.writing() as session:
        ended = end_sessions(session, person_id, by.id, datetime.now(UTC))
    return SessionsEnded(person=person_id, ended=ended)
