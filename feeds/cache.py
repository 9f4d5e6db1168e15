"""Rendered feeds, kept until their data changes: a request never re-renders unchanged data."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime


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
        with self._lock:
            self._entries[name] = (version, feed)
        return feed

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
