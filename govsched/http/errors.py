"""Every error the API returns has one shape, and none carries a stack trace.

    {"error": "<code>", "message": "<sentence>", "problems": [{"field": "...", "reason": "..."}]}

Refusals by the rules map to 4xx here and nowhere else; an unreachable Temporal is a 503 the
client may retry (with Retry-After, and the Idempotency-Key the request ran under: the same
request repeated with it completes the change exactly once); anything unexpected is logged with
its trace and answered with a plain 500.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.client import WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError

from governance.kernel.errors import (
    Conflict,
    Forbidden,
    GovernanceError,
    InvalidInput,
    NotFound,
    Problem,
)
from governance.kernel.messages import Message, say
from govsched.http.error_language import message_for
from govsched.i18n.field_refusals import reason_words
from govsched.temporal.client import ServiceUnavailable, unreachable

log = logging.getLogger("govsched.api")

_STATUS: list[tuple[type[GovernanceError], int, str]] = [
    (InvalidInput, 422, "invalid"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (Forbidden, 403, "forbidden"),
]


__all__ = ["ServiceUnavailable", "Unauthenticated", "error_body", "install"]
RETRY_AFTER_SECONDS = 5


class Unauthenticated(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def error_body(
    code: str, message: str, problems: Sequence[Problem] = (), **extra: Any
) -> dict[str, Any]:
    return {
        "error": code,
        "message": message,
        "problems": [{"field": p.path, "reason": p.reason} for p in problems],
        **extra,
    }


def _answer(
    request: Request,
    code: str,
    message: str,
    status: int,
    problems: Sequence[Problem] = (),
    headers: dict[str, str] | None = None,
    words: Message | None = None,
    **extra: Any,
) -> JSONResponse:
    """The error in the reader's language (govsched/http/error_language.py)."""
    read, language = message_for(request, code, message, words)
    return JSONResponse(
        error_body(code, read, problems, **extra),
        status_code=status,
        headers={**(headers or {}), "Content-Language": language.value},
    )


def _governance(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GovernanceError)
    status, code = 400, "refused"
    for cls, cls_status, cls_code in _STATUS:
        if isinstance(exc, cls):
            status, code = cls_status, cls_code
            break
    extra: dict[str, Any] = {"missing_role": exc.missing_role} if isinstance(exc, Forbidden) else {}
    return _answer(request, code, exc.message, status, exc.problems, words=exc.words, **extra)


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _reason(error: ErrorDetails) -> str:
    # A text whose length is checked after a validator of ours is judged as a collection:
    # pydantic says "Value should have at least 1 item after validation, not 0". Said in
    # characters instead, as the workspace says it (`field_refusals.reason_words`).
    if error["type"] in ("too_short", "too_long") and isinstance(error.get("input"), str):
        return reason_words(error).english()
    # pydantic's "Value error, " before our validators' own words tells a client nothing
    return str(error["msg"]).removeprefix("Value error, ")


def _invalid(problems: Sequence[Problem]) -> str:
    """The sentence of a 422: what is wrong in words, not only that something is."""
    said = "; ".join(str(p) for p in problems)
    return f"the request is invalid: {said}" if said else "the request is invalid"


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [Problem(_field(err["loc"]), _reason(err)) for err in exc.errors()]
    return _answer(request, "invalid", _invalid(problems), 422, problems)


def _command_invalid(request: Request, exc: Exception) -> JSONResponse:
    """A command built in a route from the path and the body broke one of its own rules (an id
    that is no slug, say): the request is at fault, so a 422 naming the field, never a 500. The
    model is logged, since an invalid model built from stored data would land here too."""
    assert isinstance(exc, ValidationError)
    log.warning("%s %s: %s refused the request", request.method, request.url.path, exc.title)
    problems = [Problem(_field(err["loc"]), _reason(err)) for err in exc.errors()]
    return _answer(request, "invalid", _invalid(problems), 422, problems)


# FastAPI's answer to a JSON body its parser gave up on (nested thousands deep, a number of
# thousands of digits): the body is at fault, and the answer names it like any other refusal.
_UNREADABLE_BODY = "There was an error parsing the body"


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == _UNREADABLE_BODY:
        # FastAPI keeps its parser's error as the cause: bytes that are no UTF-8 are told as
        # such (found by a review: they were said to be nested too deeply)
        cause = exc.__cause__
        if isinstance(cause, UnicodeDecodeError):
            reason = say("is not UTF-8 text (byte %(position)s); send UTF-8", position=cause.start)
        else:
            reason = say("cannot be read: JSON nested too deeply or a number too long")
        problems = [Problem("body", reason)]
        return _answer(request, "invalid", _invalid(problems), 422, problems)
    codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    code = codes.get(exc.status_code, "http_error")
    headers = dict(exc.headers) if exc.headers else None
    # a body over the limit is the request's fault as a whole: the problem names the body
    problems = [Problem("body", str(exc.detail))] if exc.status_code == 413 else []
    return _answer(request, code, str(exc.detail), exc.status_code, problems, headers=headers)


def _unauthenticated(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Unauthenticated)
    return _answer(
        request, "unauthenticated", exc.message, 401, headers={"WWW-Authenticate": "Bearer"}
    )


def _unavailable_answer(request: Request, exc: ServiceUnavailable) -> tuple[str, dict[str, str]]:
    """The sentence and headers of a 503: when to retry, and under which key."""
    key = exc.key or getattr(request.state, "idempotency_key", None)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if key is not None:
        headers["Idempotency-Key"] = key
        again = f"; repeat it with Idempotency-Key: {key} to apply it exactly once"
    else:
        again = ""
    return f"{exc}; try again shortly{again}", headers


def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceUnavailable)
    message, headers = _unavailable_answer(request, exc)
    return _answer(request, "unavailable", message, 503, headers=headers)


def _temporal_failed(request: Request, exc: Exception) -> JSONResponse:
    """A call to Temporal failed: unreachable (the server is down or restarting) is a 503 to
    retry; anything else is unexpected."""
    if unreachable(exc):
        cause = ServiceUnavailable(say("the workflow service cannot be reached"))
        return _unavailable(request, cause)
    return _unexpected(request, exc)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return _answer(request, "internal", "an unexpected error occurred; it has been logged", 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(GovernanceError, _governance)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ValidationError, _command_invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Unauthenticated, _unauthenticated)
    app.add_exception_handler(ServiceUnavailable, _unavailable)
    app.add_exception_handler(RPCError, _temporal_failed)
    app.add_exception_handler(WorkflowUpdateRPCTimeoutOrCancelledError, _temporal_failed)
    app.add_exception_handler(Exception, _unexpected)
