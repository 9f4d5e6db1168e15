"""The request path of a token feed: one database query, then the cached bytes.

Nothing about a token, its person or the calendar store is remembered between requests: a reset,
a revocation, a role change, an alarm preference or a new event written by any process is seen
by the very next request. What is remembered is the rendered feed, under a version built from
those facts (govsched/services/feeds/calendars.py: `subscription_request`), so an unchanged feed
costs one query and a dictionary lookup.
"""

from __future__ import annotations

from datetime import datetime

from governance.feeds.scopes import Subscriber
from governance.kernel.languages import Language
from governance.kernel.model import MemberStatus, Pillar, Role, votes
from governance.rulebook.model import Rulebook
from govsched.feeds.cache import FeedCache, RenderedFeed
from govsched.persistence.db import Database
from govsched.persistence.repos.feed_lookup import PersonFacts, token_facts
from govsched.services.feeds.calendars import FeedRequest, alarm_from, subscription_request


def _subscriber(person: PersonFacts) -> Subscriber:
    return Subscriber(
        person_id=person.person_id,
        name=person.name,
        roles=frozenset(Role(role) for role in person.roles),
        member_id=person.member_id,
        pillar=None if person.pillar is None else Pillar(person.pillar),
        voting_member=_voting(person),
    )


def _voting(person: PersonFacts) -> bool:
    if person.pillar is None or person.member_status is None:
        return False
    return votes(Pillar(person.pillar), MemberStatus(person.member_status))


def token_feed(
    db: Database, rulebook: Rulebook, token: str, now: datetime, base_url: str | None
) -> FeedRequest | None:
    """The feed behind `token` now (to serve or render), or None for an unknown, revoked or no
    longer entitled one. One query; no render."""
    facts = token_facts(db.engine, token)
    if facts is None:
        return None
    return subscription_request(
        rulebook,
        facts.grant,
        _subscriber(facts.person),
        alarm_from(rulebook, facts.alarm),
        facts.store_version,
        now,
        base_url,
        db.reading,
        language=None if facts.person.language is None else Language(facts.person.language),
    )


def serve_token(
    db: Database,
    rulebook: Rulebook,
    cache: FeedCache,
    token: str,
    now: datetime,
    base_url: str | None,
) -> RenderedFeed | None:
    """The bytes behind `token` now, rendered only if their version is not cached."""
    wanted = token_feed(db, rulebook, token, now, base_url)
    return None if wanted is None else wanted.serve(cache)
