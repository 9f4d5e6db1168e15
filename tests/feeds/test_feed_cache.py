"""The feed cache renders once per version and keeps Last-Modified moving with the bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from govsched.feeds.cache import FeedCache, rendered

T = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_one_render_per_version() -> None:
    cache, renders = FeedCache(), []

    def render() -> object:
        renders.append(1)
        return rendered(b"BEGIN:VCALENDAR", T)

    for _ in range(5):
        cache.get("p", ("v", 1), render)  # type: ignore[arg-type]
    cache.get("p", ("v", 2), render)  # type: ignore[arg-type]
    assert len(renders) == 2


def test_changed_bytes_without_a_newer_event_still_move_last_modified() -> None:
    cache = FeedCache()
    first = cache.get("p", 1, lambda: rendered(b"with the SC call", T))
    # The person left the Steering Committee: an event went, none is newer.
    second = cache.get("p", 2, lambda: rendered(b"without it", T - timedelta(days=3)))
    assert second.last_modified > first.last_modified
    assert second.etag != first.etag
    same = cache.get("p", 3, lambda: rendered(b"without it", T - timedelta(days=3)))
    # Same bytes, same validators: a client holding them keeps getting 304.
    assert same == second
