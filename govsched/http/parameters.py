"""Path and query parameters hold valid text, for every route (the API's and the web's).

Bodies are checked by their models (`governance.kernel.text`); parameters are decoded by the server
before any model sees them, and it turns bytes that are not UTF-8 into U+FFFD without a word.
So the raw bytes are decoded again here, strictly, and NUL is refused (PostgreSQL cannot compare
a text with one): a 422 naming the parameter, before the route runs.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from fastapi import Request

from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import say

NOT_UTF8 = say("is not valid UTF-8 text")
HAS_NUL = say("must not contain NUL characters (U+0000)")


def _strict(raw: bytes) -> str | None:
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _query_problems(query_string: bytes) -> list[Problem]:
    problems = []
    for pair in query_string.split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        name = _strict(raw_name.replace(b"+", b" "))
        value = _strict(raw_value.replace(b"+", b" "))
        shown_name = name if name is not None else raw_name.decode("latin-1")
        if name is None or value is None:
            problems.append(Problem(f"query.{shown_name}", NOT_UTF8))
        elif "\x00" in name + value:
            problems.append(Problem(f"query.{name}", HAS_NUL))
    return problems


def _path_problems(request: Request) -> list[Problem]:
    raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
    valid = _strict(raw_path) is not None
    problems = []
    for name, value in request.path_params.items():
        if not isinstance(value, str):
            continue
        if not valid and "\ufffd" in value:
            problems.append(Problem(f"path.{name}", NOT_UTF8))
        elif "\x00" in value:
            problems.append(Problem(f"path.{name}", HAS_NUL))
    if not valid and not problems:
        problems.append(Problem("path", NOT_UTF8))
    return problems


async def checked_parameters(request: Request) -> None:
    """`valid_parameters` as the app's dependency: on the event loop, since it reads nothing
    (FastAPI hands a plain function to a worker thread, and under load the hand-off back waits
    its turn on the loop: docs/benchmarks.md, the embedded stack under concurrent use)."""
    valid_parameters(request)


def valid_parameters(request: Request) -> None:
    """Refuses parameters that are not valid text (every route: see `checked_parameters`)."""
    problems = _path_problems(request) + _query_problems(request.scope.get("query_string", b""))
    if problems:
        raise InvalidInput(say("the request is invalid"), problems)
