"""What the API process holds: settings, database, rulebook, Temporal client and feed cache."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from temporalio.client import Client

from governance.kernel.messages import say
from governance.kernel.notices import Notification
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.feeds.cache import FeedCache
from govsched.http.errors import ServiceUnavailable
from govsched.http.feed_pacing import FeedPacing
from govsched.persistence.db import Database
from govsched.services.applications import ApplicationService
from govsched.services.concerns import ConcernService
from govsched.services.ids import IdMaker, ServerCaseIds, server_secret
from govsched.services.indicators import IndicatorService
from govsched.services.published_agenda import delivery_for
from govsched.temporal.client import connect, reachable

_NOT_CHANGED = say("the workflow service cannot be reached; nothing was changed")


class TemporalGateway:
    """Connects on first use, so the API serves reads even while Temporal is down; calls give
    up after `temporal_unavailable_seconds` of an unreachable server (a 503,
    govsched.http.errors)."""

    def __init__(self, settings: Settings, client: Client | None = None) -> None:
        self._settings = settings
        self._client = client
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        if self._client is not None:
            return self._client
        async with self._lock:
            if self._client is None:
                try:
                    self._client = await connect(self._settings, bounded=True)
                except Exception as exc:  # any connection failure means the same to the caller
                    raise ServiceUnavailable(_NOT_CHANGED) from exc
        return self._client

    async def ready_client(self) -> Client:
        """The client, once the server answered just now: for a change that writes to the
        database before it tells a workflow, so that an unreachable server refuses it before
        anything is written (a server lost between the two is covered by the request's key)."""
        client = await self.client()
        wait = timedelta(seconds=self._settings.temporal_unavailable_seconds)
        if not await reachable(client, wait):
            raise ServiceUnavailable(_NOT_CHANGED)
        return client


@dataclass
class AppState:
    settings: Settings
    db: Database
    rulebook: Rulebook
    temporal: TemporalGateway
    feeds: FeedCache = field(default_factory=FeedCache)

    @cached_property
    def feed_pacing(self) -> FeedPacing:
        """One answer per token feed per `feed_min_interval_seconds` (http/feed_pacing.py)."""
        return FeedPacing(self.settings.feed_min_interval_seconds)

    @cached_property
    def ids(self) -> IdMaker:
        """Makes the ids of confidential items (read from settings or var_dir on first use)."""
        return IdMaker(server_secret(self.settings))

    # The API, the web and Slack build their services here, so that every one of them carries
    # the same task queue, injected clock and id maker (a copy that forgot the clock offset once
    # made the web's workflows run on the machine's today).
    def applications(self, client: Client) -> ApplicationService:
        return ApplicationService(
            client,
            self.db,
            self.rulebook,
            self.settings.task_queue,
            self.settings.clock_offset,
            ids=self.ids,
        )

    def concerns(self, client: Client) -> ConcernService:
        return ConcernService(
            client,
            self.db,
            self.rulebook,
            self.settings.task_queue,
            self.settings.clock_offset,
            case_ids=ServerCaseIds(self.ids),
        )

    def indicators(self) -> IndicatorService:
        """Impact indicators (issue 22); an amendment's notices go out through the ledger."""
        return IndicatorService(self.db, self.rulebook, self.indicator_delivery)

    def indicator_delivery(self, notice: Notification) -> object:
        return delivery_for(self.settings, self.db, self.rulebook).deliver(notice)
