"""Request dependencies: the app state, the signed-in person, and role checks.

They are coroutines: FastAPI hands a plain function to a worker thread, and the hand-off back
waits for its turn on the event loop, behind every request the loop is serving (with feed
clients polling, several of those per action: docs/benchmarks.md, the embedded stack under
concurrent use). Only the signed-in person's lookup reads the database, and it leaves the loop
where a read is a network round trip (PostgreSQL), as the feed lookup does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import uuid4

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from governance.kernel.contracts import IdempotencyKey
from governance.kernel.errors import Forbidden, InvalidInput, Problem
from governance.kernel.messages import Message, say
from governance.kernel.model import Person, Role
from govsched.http.errors import Unauthenticated
from govsched.http.state import AppState
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import registry as registry_repo

_bearer = HTTPBearer(auto_error=False, description="A token from `govsched tokens issue PERSON`")


async def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.govsched
    return state


State = Annotated[AppState, Depends(app_state)]


async def current_person(
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Person:
    if credentials is None:
        raise Unauthenticated("send an Authorization: Bearer <token> header")
    token = credentials.credentials

    def lookup() -> Person | None:
        with state.db.reading() as session:
            person_id = token_repo.person_for(session, token)
            return registry_repo.get_person(session, person_id) if person_id else None

    # SQLite: an indexed read of a local file, quicker than the hand-off to a worker thread
    on_loop = state.db.engine.dialect.name == "sqlite"
    person = lookup() if on_loop else await run_in_threadpool(lookup)
    if person is None:
        raise Unauthenticated("the token is unknown or has been revoked")
    return person


CurrentPerson = Annotated[Person, Depends(current_person)]


def requires(role: Role, action: Message) -> Callable[[Person], Awaitable[Person]]:
    """A dependency that lets through only people holding `role` (403 naming it otherwise)."""

    async def check(person: CurrentPerson) -> Person:
        if role not in person.roles:
            raise Forbidden(role.value, action)
        return person

    return check


_KEY: TypeAdapter[str] = TypeAdapter(IdempotencyKey)


def checked_key(raw: str | None) -> str:
    """The request's Idempotency-Key, or a new one when it sent none."""
    if raw is None:
        return f"api-{uuid4().hex}"
    try:
        return _KEY.validate_python(raw)
    except ValidationError:
        raise InvalidInput(
            say("the Idempotency-Key header is invalid"),
            [Problem("header.Idempotency-Key", say("1-120 letters, digits, '.', '_', ':' or '-'"))],
        ) from None


async def request_key(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="repeat a request safely: the same key applies the change once; a "
            "503 answer names the key it ran under when none was sent",
        ),
    ] = None,
) -> str:
    """The key a change runs under (sent, or made up); kept on the request for the 503."""
    key = checked_key(idempotency_key)
    request.state.idempotency_key = key
    return key


RequestKey = Annotated[str, Depends(request_key)]
