"""The lean feed route over real HTTP, on both databases: every change shows in the next answer.

SQLite reads on the event loop and PostgreSQL in the thread pool
(govsched/http/api/routes/calendars.py), so both are served here by uvicorn; the writes are made as
another process would make them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest_asyncio

from governance.kernel.calendar import person_audience
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import calendar_preferences as calendar_preference_repo
from govsched.persistence.tables import PersonRoleRow
from govsched.services.feeds import tokens as feed_tokens
from govsched.services.feeds.calendars import person_feed
from tests.api.conftest import serving
from tests.feeds.feed_data import DOMAIN, FOCAL_POINT, OUTSIDER, SECRETARIAT, item, seeded

AT = datetime(2027, 1, 5, 9, tzinfo=UTC)


@pytest_asyncio.fixture
async def http(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    seeded(db)
    settings = Settings(database_url=str(db.engine.url))
    app = create_app(settings, db=db, run_scheduler=False)
    async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        yield client


def issue(db: Database, person: str, scope: str = "person") -> str:
    with db.writing() as session:
        token = feed_tokens.issue(session, person, scope, person, AT).token
    return f"/calendars/{token}.ics"


async def test_the_route_serves_the_persons_own_bytes_with_validators(
    db: Database, http: httpx.AsyncClient
) -> None:
    url = issue(db, OUTSIDER)
    first = await http.get(url)
    again = await http.get(url, headers={"If-None-Match": first.headers["ETag"]})
    since = await http.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert first.status_code == 200
    with db.reading() as session:
        own = person_feed(session, Rulebook(), OUTSIDER, datetime.now(UTC), Settings().base_url)
    assert first.content == own.body
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    assert first.headers["cache-control"] == "private, max-age=300"
    assert first.headers["referrer-policy"] == "no-referrer"
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["ETag"] == first.headers["ETag"]
    assert (since.status_code, since.content) == (200, first.content)  # only the ETag validates
    public = await http.get("/calendars/public.ics")
    assert public.status_code == 200
    assert public.headers["cache-control"] == "public, max-age=300"


async def test_reset_revoke_and_a_lost_role_answer_404_at_once(
    db: Database, http: httpx.AsyncClient
) -> None:
    own = issue(db, FOCAL_POINT)
    role = issue(db, FOCAL_POINT, "role:steering_committee")
    sc_call = f"sc-call-2027-03@{DOMAIN}".encode()
    assert sc_call in (await http.get(own)).content
    assert (await http.get(role)).status_code == 200
    with db.writing() as session:
        row = session.get(PersonRoleRow, (FOCAL_POINT, Role.STEERING_COMMITTEE.value))
        assert row is not None
        session.delete(row)
    lost = await http.get(role)
    assert lost.status_code == 404
    assert lost.json()["error"] == "not_found"
    assert sc_call not in (await http.get(own)).content
    reset = issue(db, FOCAL_POINT)
    assert (await http.get(own)).status_code == 404
    assert (await http.get(reset)).status_code == 200
    with db.writing() as session:
        feed_tokens.revoke(session, FOCAL_POINT, SECRETARIAT, AT)
    assert (await http.get(reset)).status_code == 404


async def test_if_modified_since_never_keeps_a_changed_feed_after_a_restart(
    db: Database, http: httpx.AsyncClient
) -> None:
    """A lost role changes the bytes with no newer event: a fresh process dates the feed earlier
    than the first answer was, so only the ETag may answer 304."""
    own = issue(db, FOCAL_POINT)
    first = await http.get(own)
    assert f"sc-call-2027-03@{DOMAIN}".encode() in first.content
    with db.writing() as session:
        row = session.get(PersonRoleRow, (FOCAL_POINT, Role.STEERING_COMMITTEE.value))
        assert row is not None
        session.delete(row)
    changed = await http.get(own)
    restarted = create_app(Settings(database_url=str(db.engine.url)), db=db, run_scheduler=False)
    async with serving(restarted) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        since = await client.get(own, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        tagged = await client.get(own, headers={"If-None-Match": changed.headers["ETag"]})
    assert (since.status_code, since.content) == (200, changed.content)
    assert (tagged.status_code, tagged.content) == (304, b"")


async def test_a_preference_or_a_new_event_changes_the_next_answer(
    db: Database, http: httpx.AsyncClient
) -> None:
    url = issue(db, OUTSIDER)
    before = await http.get(url)
    with db.writing() as session:
        calendar_preference_repo.set_alarm(session, OUTSIDER, 30, AT)
    alarm = await http.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert alarm.status_code == 200
    assert b"TRIGGER:-PT30M" in alarm.content
    with db.writing() as session:
        calendar_repo.upsert(
            session,
            item(
                "lusmark-visit",
                start_date=date(2027, 4, 1),
                audiences=frozenset({person_audience(OUTSIDER)}),
            ),
            datetime.now(UTC),
        )
    event = await http.get(url, headers={"If-None-Match": alarm.headers["ETag"]})
    assert event.status_code == 200
    assert f"lusmark-visit@{DOMAIN}".encode() in event.content
