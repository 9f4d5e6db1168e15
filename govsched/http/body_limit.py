"""A request whose body is larger than the service accepts is refused with a 413, before the
body is held in memory.

The body is counted as the application reads it, so both a declared Content-Length over the
limit and a chunked body that grows past it are refused, and a request whose route never reads
its body costs nothing. The refusal is an HTTPException raised where the body is read: the API's
error handlers (govsched/http/errors.py) then answer it in their one shape and in the reader's
language, like any other refusal, and nothing has been recorded.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = 413


def refusal(limit: int) -> HTTPException:
    return HTTPException(
        TOO_LARGE, f"the request body is larger than the {limit:,} bytes this service accepts"
    )


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        limit = self.limit
        received = 0

        async def counted() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise refusal(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise refusal(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
