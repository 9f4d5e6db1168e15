"""Keeping rendered feeds warm, so no subscriber waits for a render (after a restart too)."""

from __future__ import annotations

from datetime import datetime

from governance.rulebook.model import Rulebook
from govsched.feeds.cache import FeedCache
from govsched.persistence.db import Database
from govsched.persistence.repos import feed_tokens as feed_token_repo
from govsched.services.feeds.calendars import grant_request, public_request


def warm(
    cache: FeedCache, db: Database, rulebook: Rulebook, now: datetime, base_url: str | None
) -> int:
    """Render every feed with a live subscription whose data changed; returns how many exist.

    Rendering happens only when a feed's version moved, so a warm cache costs one version
    check per feed.
    """
    with db.reading() as session:
        public_request(session, rulebook, now, base_url).serve(cache)
        count = 1
        for grant in feed_token_repo.live_grants(session):
            wanted = grant_request(session, rulebook, grant, now, base_url)
            if wanted is None:
                cache.discard(f"{grant.person_id}/{grant.scope}")
                continue
            wanted.serve(cache)
            count += 1
    return count
