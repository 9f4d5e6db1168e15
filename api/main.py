"""The FastAPI application: routes, error handling, and the housekeeping scheduler."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import FastAPI
from temporalio.client import Client

from api import errors
from api.routes import applications, calendars, health, plenaries, registry, rosters
from api.state import AppState, TemporalGateway
from config import Settings
from persistence.db import Database
from service.calendars import feed_version, public_feed
from service.rulebooks import load_rulebook_spec

log = logging.getLogger("govsched.api")

# How often the scheduler re-renders the public feed if its data changed.
FEED_WARM_MINUTES = 5


def warm_feeds(state: AppState) -> None:
    """Render the public feed if its data changed, so no subscriber waits for a render."""
    now = datetime.now(UTC)
    with state.db.reading() as session:
        version = feed_version(session, now)
        state.feeds.get("public", version, lambda: public_feed(session, state.rulebook, now))


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
        scheduler = housekeeping(state) if run_scheduler else None
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            if owns_db:
                state.db.dispose()

    app = FastAPI(
        title=f"govsched: {rulebook.initiative.name}",
        version="0.1.0",
        description="Governance and verification scheduling. Every endpoint except the public "
        "calendar feed and /health needs `Authorization: Bearer <token>`.",
        lifespan=lifespan,
    )
    app.state.govsched = state
    errors.install(app)
    app.include_router(health.router)
    app.include_router(registry.router)
    app.include_router(applications.router)
    app.include_router(rosters.router)
    app.include_router(plenaries.router)
    app.include_router(calendars.router)
    return app
