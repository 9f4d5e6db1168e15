"""A token feed is answered once per interval: a faster subscriber waits its turn, one that
queues too far ahead is refused with 429 and Retry-After, and nobody else waits for it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from govsched.config import Settings
from govsched.http.app import create_app
from govsched.http.feed_pacing import QUEUE, REMEMBERED, FeedPacing
from govsched.persistence.db import Database
from tests.api.conftest import serving
from tests.api.feeds.test_feed_route import issue
from tests.feeds.feed_data import FOCAL_POINT, OUTSIDER, seeded

INTERVAL = 0.25


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_each_address_is_answered_once_per_interval_and_queues_a_few_turns() -> None:
    clock = Clock()
    pacing = FeedPacing(2.0, clock)

    waits = [pacing.turn("a") for _ in range(QUEUE)]
    assert waits == [2.0 * k for k in range(QUEUE)]
    assert pacing.turn("a") is None  # eight waiting: refused, not queued further
    assert pacing.retry_after("a") == 2
    assert pacing.turn("b") == 0.0  # another subscriber is not held up

    clock.now += 2.0 * QUEUE  # every queued turn has passed
    assert pacing.turn("a") == 0.0
    clock.now += 0.5
    assert pacing.turn("a") == 1.5


def test_pacing_off_answers_at_once_and_old_addresses_are_forgotten() -> None:
    assert {FeedPacing(0.0).turn("a") for _ in range(100)} == {0.0}

    clock = Clock()
    pacing = FeedPacing(1.0, clock)
    for k in range(REMEMBERED):
        pacing.turn(f"scan-{k}")
    clock.now += 1.0
    pacing.turn("subscriber")
    assert len(pacing._next) == 1  # a scan of random addresses does not stay in memory


@pytest_asyncio.fixture
async def paced(db: Database) -> AsyncIterator[tuple[httpx.AsyncClient, FeedPacing]]:
    seeded(db)
    settings = Settings(database_url=str(db.engine.url), feed_min_interval_seconds=INTERVAL)
    app = create_app(settings, db=db, run_scheduler=False)
    async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        yield client, app.state.govsched.feed_pacing


async def test_a_subscriber_polling_back_to_back_waits_its_turn_and_gets_the_same_feed(
    db: Database, paced: tuple[httpx.AsyncClient, FeedPacing]
) -> None:
    http, _ = paced
    url, other = issue(db, OUTSIDER), issue(db, FOCAL_POINT)

    started = time.monotonic()
    first = await http.get(url)
    again = await http.get(url, headers={"If-None-Match": first.headers["ETag"]})
    waited = time.monotonic() - started
    elsewhere = await http.get(other)

    assert first.status_code == 200
    assert again.status_code == 304
    # a sleep never ends early: the second answer came no sooner than one interval after the
    # first request
    assert waited >= INTERVAL
    assert elsewhere.status_code == 200


async def test_a_subscriber_queueing_too_far_ahead_is_refused_with_retry_after(
    db: Database, paced: tuple[httpx.AsyncClient, FeedPacing]
) -> None:
    http, pacing = paced
    url = issue(db, OUTSIDER)
    token = url.removeprefix("/calendars/").removesuffix(".ics")
    for _ in range(QUEUE):
        pacing.turn(token)

    refused = await http.get(url, headers={"Accept-Language": "fr"})

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    body = refused.json()
    assert body["error"] == "rate_limited"
    assert "trop souvent" in body["message"]
    assert token not in refused.text
