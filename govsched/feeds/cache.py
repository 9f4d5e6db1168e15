"""Rendered feeds, kept until their data changes: a request never re-renders unchanged data."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class RenderedFeed:
    body: bytes
    etag: str
    last_modified: datetime


def rendered(body: bytes, last_modified: datetime) -> RenderedFeed:
    # A strong ETag: equal tags mean byte-identical bodies.
    return RenderedFeed(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', last_modified)


class FeedCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[Hashable, RenderedFeed]] = {}
        self._lock = threading.Lock()

    def get(self, name: str, version: Hashable, render: Callable[[], RenderedFeed]) -> RenderedFeed:
        """The feed `name` at `version`, rendering it only if that version is not cached."""
        with self._lock:
            cached = self._entries.get(name)
        if cached is not None and cached[0] == version:
            return cached[1]
        feed = render()
        if cached is not None:
            feed = _later_than(cached[1], feed)
        with self._lock:
            self._entries[name] = (version, feed)
        return feed

    def peek(self, name: str, version: Hashable) -> RenderedFeed | None:
        """The feed `name` if cached at `version`; never renders (safe on the event loop)."""
        with self._lock:
            cached = self._entries.get(name)
        return cached[1] if cached is not None and cached[0] == version else None

    def discard(self, name: str) -> None:
        with self._lock:
            self._entries.pop(name, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _later_than(previous: RenderedFeed, feed: RenderedFeed) -> RenderedFeed:
    """Keep Last-Modified moving forward whenever the bytes change, within this process.

    A feed can change with no newer event (the person left a role, an event left the feed's
    audiences): its newest event is then no later than before. One second past the previous
    value keeps the date a reader sees honest here; another process, or this one after a
    restart, cannot know it, which is why If-Modified-Since is never answered with 304
    (govsched/http/api/routes/calendars.py: `_not_modified`).
    """
    if feed.body == previous.body:
        return previous
    if feed.last_modified > previous.last_modified:
        return feed
    return RenderedFeed(feed.body, feed.etag, previous.last_modified + timedelta(seconds=1))
