"""Slack's interactivity endpoint: the Steering Committee's buttons on review messages.

Only requests signed with the app's signing secret within five minutes are accepted, once
each; the answer goes back at once (Slack gives up after 3 seconds) and the decision is
applied right after, through the same workflow update as `POST /applications/{id}/recommend`.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from fastapi import APIRouter, BackgroundTasks, Request, Response
from fastapi.responses import JSONResponse

from govsched.http.deps import State
from govsched.http.errors import error_body
from govsched.services.slack_interactions import (
    Click,
    Decisions,
    Refused,
    ReplayGuard,
    parse_click,
    verify,
)

router = APIRouter(tags=["slack"])
log = logging.getLogger("govsched.api")


def _guard(request: Request) -> ReplayGuard:
    guard: ReplayGuard | None = getattr(request.app.state, "slack_replay_guard", None)
    if guard is None:
        guard = ReplayGuard()
        request.app.state.slack_replay_guard = guard
    return guard


def _decisions(request: Request, state: State) -> Decisions | None:
    decisions: Decisions | None = getattr(request.app.state, "slack_decisions", None)
    if decisions is None and state.settings.slack_token is not None:
        decisions = Decisions.from_settings(
            state.db,
            state.settings.slack_token.get_secret_value(),
            state.settings.slack_base_url,
            state.rulebook,
        )
        request.app.state.slack_decisions = decisions
    return decisions


async def _apply(state: State, decisions: Decisions, click: Click, at: datetime) -> None:
    try:
        client = await state.temporal.client()
        service = state.applications(client)
        await decisions.decide(click, service, at)
    except Exception:  # after the answer was sent nobody is waiting: log it for the operator
        log.exception("the Slack decision %s could not be applied", click)


@router.post("/slack/interactions", include_in_schema=False)
async def interactions(request: Request, state: State, tasks: BackgroundTasks) -> Response:
    secret = state.settings.slack_signing_secret
    decisions = _decisions(request, state)
    if secret is None or decisions is None:
        body = error_body("not_found", "Slack interactivity is not configured")
        return JSONResponse(body, status_code=404)
    raw = await request.body()
    try:
        verify(
            secret.get_secret_value(),
            raw,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
            _guard(request),
            time.time(),
        )
    except Refused as refused:
        code = "unauthenticated" if refused.status == 401 else "forbidden"
        return JSONResponse(error_body(code, refused.message), status_code=refused.status)
    click = parse_click(raw)
    if click is not None:
        tasks.add_task(_apply, state, decisions, click, state.settings.now())
    return Response(status_code=200)
