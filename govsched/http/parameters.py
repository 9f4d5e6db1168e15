"""Path and query parameters hold valid text, for every route (the API's and the web's).

Bodies are checked by their models (`governance.kernel.text`); parameters are decoded by the server
before any model sees them, and it turns bytes that are not UTF-8 into U+FFFD without a word.
So the raw bytes are decoded again here, strictly, and NUL is refused (PostgreSQL cannot compare
a text with one): a 422 naming the parameter, before the route runs. The web workspace's forms
are decoded the same way by the server, so their fields are read again here too (`form_problems`).
"""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import unquote_to_bytes

from fastapi import Request

from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import say

NOT_UTF8 = say("is not valid UTF-8 text")
HAS_NUL = say("must not contain NUL characters (U+0000)")


def _text(raw: bytes, codec: str = "utf-8") -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _strict(raw: bytes) -> str | None:
    return _text(unquote_to_bytes(raw))


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


def form_problems(content_type: str, body: bytes) -> list[Problem]:
    """Each field of a posted form whose bytes are not text, by the name the form gives it.

    The server's form parser reads such bytes as U+FFFD (URL-encoded) or a whole part as Latin-1
    (multipart) without a word. NUL is left to the text rule of the model the form fills, which
    refuses it beside the field like any other refusal.
    """
    kind = content_type.partition(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        pairs = (pair.partition(b"=") for pair in body.split(b"&"))
        fields = [
            (_strict(n.replace(b"+", b" ")), _strict(v.replace(b"+", b" "))) for n, _, v in pairs
        ]
    elif kind == "multipart/form-data":
        fields = _text_parts(content_type, body)
    else:
        return []
    return [
        Problem(name or "", NOT_UTF8) for name, value in fields if name is None or value is None
    ]


def _text_parts(content_type: str, body: bytes) -> list[tuple[str | None, str | None]]:
    """A multipart form's fields other than files, each name and value strictly decoded."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    form = BytesParser(policy=HTTP).parsebytes(head + body)
    codec = form.get_content_charset("utf-8")  # the server's parser reads the charset named too
    fields = []
    for part in form.iter_parts():
        if part.get_filename() is not None:
            continue
        # the email parser reads a name's bytes that are not UTF-8 as U+FFFD
        name = str(part.get_param("name", "", "content-disposition"))
        value = part.get_payload(decode=True)
        text = _text(value, codec) if isinstance(value, bytes) else None
        fields.append((None if "\ufffd" in name else name, text))
    return fields


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
