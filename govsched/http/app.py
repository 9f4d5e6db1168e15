"""The FastAPI application: routes, error handling, and the housekeeping scheduler."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import Depends, FastAPI
from temporalio.client import Client

from govsched.config import Settings
from govsched.http import errors, log_redaction
from govsched.http.api.routes import (
    applications,
    calendar_tokens,
    calendars,
    concerns,
    docs,
    health,
    indicators,
    notification_preferences,
    plenaries,
    plenary_agenda,
    registry,
    reports,
    sessions,
    slack,
)
from govsched.http.api.routes import group_plans as icig_plans
from govsched.http.api.routes import groups as icig_groups
from govsched.http.api.routes import handover as handovers
from govsched.http.api.routes import roster as rosters
from govsched.http.body_limit import BodyLimit
from govsched.http.parameters import checked_parameters
from govsched.http.state import AppState, TemporalGateway
from govsched.http.web.mount import install as install_web
from govsched.persistence.db import Database
from govsched.services.digest import digest_scheduler
from govsched.services.feeds import warming as feed_warming
from govsched.services.rulebooks import load_rulebook_spec

log = logging.getLogger("govsched.api")

# How often the scheduler re-renders subscribed feeds whose data changed.
FEED_WARM_MINUTES = 5


def warm_feeds(state: AppState) -> None:
    """Render every subscribed feed whose data changed, so no subscriber waits for a render."""
    feed_warming.warm(
        state.feeds, state.db, state.rulebook, state.settings.now(), state.settings.base_url
    )


def push_caldav(state: AppState) -> None:
    """Push configured people's feeds to their CalDAV calendars (issue 7); failures are logged."""
    # here: the CalDAV client and its HTTP stack are a large part of the API's start-up, and
    # only a deployment that sets `caldav_push` ever runs this job
    from govsched.services.feeds import caldav_push

    results = caldav_push.push_all(
        state.db,
        state.rulebook,
        state.settings.caldav_push,
        state.settings.now(),
        state.settings.base_url,
    )
    for person, result in results.items():
        if isinstance(result, str):
            log.warning("CalDAV push for %s: %s", person, result)


def housekeeping(state: AppState) -> AsyncIOScheduler:
    """APScheduler jobs: non-durable chores only (anything that must happen is a workflow)."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        warm_feeds,
        "interval",
        args=[state],
        minutes=FEED_WARM_MINUTES,
        next_run_time=datetime.now(UTC),
        id="warm-feeds",
        coalesce=True,
        max_instances=1,
    )
    if state.settings.caldav_push:
        scheduler.add_job(
            push_caldav,
            "interval",
            args=[state],
            minutes=FEED_WARM_MINUTES,
            next_run_time=datetime.now(UTC),
            id="push-caldav",
            coalesce=True,
            max_instances=1,
        )
    return scheduler


def create_app(
    settings: Settings,
    *,
    db: Database | None = None,
    temporal: Client | None = None,
    run_scheduler: bool = True,
) -> FastAPI:
    rulebook = load_rulebook_spec(settings.rulebook)
    owns_db = db is None
    state = AppState(
        settings=settings,
        db=db or Database.from_url(settings.database_url),
        rulebook=rulebook,
        temporal=TemporalGateway(settings, temporal),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Again here: uvicorn configures its loggers between create_app and start-up.
        log_redaction.install()
        scheduler = housekeeping(state) if run_scheduler else None
        if scheduler is not None:
            scheduler.start()
        # The weekly Slack digest: one leased scheduler among all API processes (issue 8).
        digest = digest_scheduler(settings, state.db, rulebook) if run_scheduler else None
        if digest is not None:
            digest.start()
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            if digest is not None:
                digest.stop()
            if owns_db:
                state.db.dispose()

    app = FastAPI(
        title=f"govsched: {rulebook.initiative.name}",
        version="0.1.0",
        description="Governance and verification scheduling. Every endpoint except the public "
        "calendar feed and /health needs `Authorization: Bearer <token>`.",
        lifespan=lifespan,
        # /docs is served from packaged assets below (FastAPI's own loads them from a CDN)
        docs_url=None,
        redoc_url=None,
        # every route's path and query parameters are valid text (bodies: their models)
        dependencies=[Depends(checked_parameters)],
    )
    app.state.govsched = state
    errors.install(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    docs.install(app)
    app.include_router(health.router)
    app.include_router(registry.router)
    app.include_router(applications.router)
    app.include_router(rosters.router)
    app.include_router(plenaries.router)
    app.include_router(plenary_agenda.router)  # issue 19
    app.include_router(handovers.router)
    app.include_router(reports.router)
    app.include_router(indicators.router)  # issue 22
    app.include_router(concerns.router)
    calendars.install(app)
    app.include_router(calendar_tokens.router)
    app.include_router(notification_preferences.router)
    app.include_router(sessions.router)
    app.include_router(slack.router)
    app.include_router(icig_groups.router)  # issue 23
    app.include_router(icig_plans.router)  # issue 23: plans and funding requests
    # The web workspace (issue 10): server-rendered pages under /web on the same app.
    install_web(app)
    log_redaction.install()
    return app
