"""Receipts for changes that are written to the database first and told to a workflow after.

A concern's step, a report or a review is decided and written in one transaction, then its
workflow is signalled. If Temporal is lost between the two, the change is recorded and its
workflow not yet told. The transaction therefore also keeps a receipt under the request's
Idempotency-Key (in `applied_commands`, beside the registry's outcomes): the same request
repeated finds its own write, skips the rule (which would now refuse it as a duplicate) and only
signals again. The change is applied once however often it is sent.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import say
from govsched.persistence.commands.effects import applied_outcome, record_applied
from govsched.persistence.db import Database


def _receipt_key(operation: str, key: str) -> str:
    return f"receipt:{operation}:{key}"


def request_digest(request: BaseModel) -> str:
    """What the request asked for (who, what): a repeat must ask for the same."""
    return hashlib.sha256(request.model_dump_json().encode()).hexdigest()


def earlier(session: Session, operation: str, key: str, request: BaseModel) -> Any | None:
    """What an earlier request under `key` recorded, or None; a different request under the
    same key is refused (the key names one change)."""
    stored = applied_outcome(session, _receipt_key(operation, key))
    if stored is None:
        return None
    if stored["request"] != request_digest(request):
        raise _another_request()
    return stored["result"]


def keep(
    session: Session, operation: str, key: str, request: BaseModel, at: datetime, result: Any
) -> None:
    """Record, in the change's own transaction, that `key` applied `request` with `result`."""
    outcome = {"request": request_digest(request), "result": result}
    record_applied(session, _receipt_key(operation, key), at, outcome)


def claim(session: Session, operation: str, key: str, request: BaseModel, at: datetime) -> None:
    """Tie `key` to `request` before the request is sent on (to a workflow, which answers a
    repeat by the key alone): the same request again passes, another under the same key is
    refused. For changes a workflow decides and writes, whose outcome the workflow keeps."""
    stored = applied_outcome(session, _receipt_key(operation, key))
    if stored is None:
        record_applied(
            session, _receipt_key(operation, key), at, {"request": request_digest(request)}
        )
    elif stored["request"] != request_digest(request):
        raise _another_request()


def claim_once(db: Database, operation: str, key: str, request: BaseModel, at: datetime) -> None:
    """`claim` in a transaction of its own; two requests under the same key at once: the second
    finds the first's claim when it tries again, and is checked against it."""
    try:
        with db.writing() as session:
            claim(session, operation, key, request, at)
    except IntegrityError:
        with db.writing() as session:
            claim(session, operation, key, request, at)


def _another_request() -> InvalidInput:
    return InvalidInput(
        say("the Idempotency-Key was already used for another request"),
        [Problem("header.Idempotency-Key", say("already used for another request; use a new key"))],
    )
