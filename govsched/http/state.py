"""What the API process holds: settings, database, rulebook, Temporal client and feed cache."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from temporalio.client import Client

from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.feeds.cache import FeedCache
from govsched.http.errors import ServiceUnavailable
from govsched.persistence.db import Database
from govsched.temporal.client import connect


class TemporalGateway:
    """Connects on first use, so the API serves reads even while Temporal is down."""

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
                    self._client = await connect(self._settings)
                except Exception as exc:  # any connection failure means the same to the caller
                    raise ServiceUnavailable("the workflow service cannot be reached") from exc
        return self._client


@dataclass
class AppState:
    settings: Settings
    db: Database
    rulebook: Rulebook
    temporal: TemporalGateway
    feeds: FeedCache = field(default_factory=FeedCache)
