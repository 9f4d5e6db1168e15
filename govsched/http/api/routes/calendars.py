"""Calendar feeds: the public feed, and the token feeds (a person's, a role's, a pillar's).

Both are served from the cache with validators; a token feed's URL is its only credential, so an
unknown, reset or revoked token gets the same 404 as a token that never existed, and the token
is never echoed in a response or a log line (govsched/http/log_redaction.py).
"""

from __future__ import annotations

import asyncio
from email.utils import format_datetime
from functools import partial
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from governance.kernel.errors import Problem
from governance.kernel.languages import Language
from governance.kernel.messages import say
from govsched.feeds.cache import RenderedFeed
from govsched.http.error_language import message_for
from govsched.http.errors import error_body
from govsched.http.parameters import valid_parameters
from govsched.services.feeds.calendars import public_request
from govsched.services.feeds.serving import token_feed

ICAL = "text/calendar; charset=utf-8"


def _not_modified(request: Request, etag: str) -> bool:
    """RFC 9110 conditional GET on the ETag only; a malformed validator is ignored, never an error.

    If-Modified-Since is ignored (RFC 9110 13.2.1 lets a server ignore it): a feed's bytes change
    with no newer date (a lost role, an event leaving the feed's audiences, a new rulebook), and
    no date this process sends can be kept ahead of the dates other processes, or this one before
    a restart, have sent. A 304 to it could keep a client showing items it may no longer see;
    a 200 costs only the bytes, already rendered (ARCHITECTURE.md, "Validators").
    """
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is None:
        return False
    # If-None-Match compares weakly (RFC 9110 13.1.2).
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


def _serve(request: Request, feed: RenderedFeed, cache_control: str) -> Response:
    headers = {
        "ETag": feed.etag,
        "Last-Modified": format_datetime(feed.last_modified, usegmt=True),
        "Cache-Control": cache_control,
    }
    if _not_modified(request, feed.etag):
        return Response(status_code=304, headers=headers)
    return Response(content=feed.body, media_type=ICAL, headers=headers)


# Plain Starlette endpoints, not FastAPI ones: a feed request has no body or query to validate
# and no dependency to solve, and subscribers poll all day, so every step saved counts (see
# docs/benchmarks.md). They still run inside the app's exception handling and lifespan.


def _feed_language(request: Request) -> Language | Response | None:
    """The public feed's `?lang=` (issue 20): one address per language, the initiative's
    without it; anything else is refused naming the languages offered."""
    wanted = request.query_params.get("lang")
    if wanted is None:
        return None
    for language in Language:
        if language.value == wanted:
            return language
    offered = ", ".join(language.value for language in Language)
    problem = Problem(
        "lang", say("%(wanted)r is not one of %(offered)s", wanted=wanted, offered=offered)
    )
    said = say("unknown feed language")
    message, language = message_for(request, "invalid", said.english(), said)
    return JSONResponse(
        error_body("invalid", message, [problem]),
        status_code=422,
        headers={"Content-Language": language.value},
    )


async def public_calendar(request: Request) -> Response:
    state = request.app.state.govsched
    now = state.settings.now()
    language = _feed_language(request)
    if isinstance(language, Response):
        return language

    def cached() -> RenderedFeed:
        with state.db.reading() as session:
            wanted = public_request(session, state.rulebook, now, state.settings.base_url, language)
            return wanted.serve(state.feeds)

    feed = await run_in_threadpool(cached)
    return _serve(request, feed, "public, max-age=300")


def _too_often(request: Request, retry_after: int) -> Response:
    said = say("this calendar feed was asked for too often; ask again later")
    message, language = message_for(request, "rate_limited", said.english(), said)
    return JSONResponse(
        error_body("rate_limited", message),
        status_code=429,
        headers={"Retry-After": str(retry_after), "Content-Language": language.value},
    )


async def token_calendar(request: Request) -> Response:
    valid_parameters(request)  # no dependency runs on this lean route (see above)
    state = request.app.state.govsched
    token = request.path_params["token"]
    wait = state.feed_pacing.turn(token)  # govsched/http/feed_pacing.py
    if wait is None:
        return _too_often(request, state.feed_pacing.retry_after(token))
    if wait:
        await asyncio.sleep(wait)
    now = state.settings.now()
    find = partial(
        token_feed,
        state.db,
        state.rulebook,
        token,
        now,
        state.settings.base_url,
    )
    # SQLite: one indexed read of a local file, quicker than the hand-off to a worker thread
    # (which cost about a third of the requests per second). PostgreSQL: a network round trip,
    # which must never stall the event loop.
    on_loop = state.db.engine.dialect.name == "sqlite"
    wanted = find() if on_loop else await run_in_threadpool(find)
    feed = None
    if wanted is not None:
        # A render (data changed since the warm-up job ran) always leaves the event loop.
        feed = state.feeds.peek(wanted.name, wanted.version) or await run_in_threadpool(
            wanted.serve, state.feeds
        )
    if feed is None:
        return JSONResponse(
            error_body("not_found", "no calendar feed has this address"), status_code=404
        )
    # Private: shared caches must not keep one person's feed for another.
    response = _serve(request, feed, "private, max-age=300")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def install(app: FastAPI) -> None:
    """Put the feed routes ahead of every other route of the app.

    The router tries routes in order, and trying FastAPI's routes costs more than serving a
    cached feed does (about half the request's time with them last); subscribers poll all day.
    The public route first: "public.ics" also matches the token pattern.
    """
    app.router.routes[:0] = [
        Route("/calendars/public.ics", public_calendar, methods=["GET"]),
        Route("/calendars/{token}.ics", token_calendar, methods=["GET"]),
    ]
    _document(app)


_FEED_RESPONSES: dict[str, Any] = {
    "200": {"description": "the feed", "content": {"text/calendar": {}}},
    "304": {"description": "unchanged: If-None-Match names the current ETag"},
}


def _document(app: FastAPI) -> None:
    """List the two lean routes in the OpenAPI document, which only sees FastAPI's own."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema["paths"]["/calendars/public.ics"] = {
            "get": {
                "summary": "The public calendar feed (no sign-in)",
                "tags": ["calendars"],
                "responses": _FEED_RESPONSES,
            }
        }
        schema["paths"]["/calendars/{token}.ics"] = {
            "get": {
                "summary": "A personal, role or pillar feed, addressed by its secret token",
                "tags": ["calendars"],
                "parameters": [
                    {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {**_FEED_RESPONSES, "404": {"description": "unknown or revoked"}},
            }
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
