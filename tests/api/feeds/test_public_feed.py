"""The public calendar feed: served from the cache, with validators, never leaking."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from governance.kernel.calendar import CalendarItem, role_audience
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.feeds.cache import FeedCache, RenderedFeed
from govsched.http.app import warm_feeds
from govsched.http.state import AppState, TemporalGateway
from govsched.persistence.repos import calendar as calendar_repo
from govsched.services.feeds.calendars import public_request
from tests.api.conftest import Api

AT = datetime(2026, 11, 2, tzinfo=UTC)


async def test_the_public_feed_lists_the_plenaries_as_all_day_events(api: Api) -> None:
    async with api.client() as client:
        response = await client.get("/calendars/public.ics")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert {"plenary-2026@vpi.govsched", "plenary-2027@vpi.govsched"} <= uids


async def test_only_a_matching_etag_gets_304(api: Api) -> None:
    async with api.client() as client:
        first = await client.get("/calendars/public.ics")
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        same_tag = await client.get("/calendars/public.ics", headers={"If-None-Match": etag})
        other_tag = await client.get("/calendars/public.ics", headers={"If-None-Match": '"x"'})
        since = await client.get("/calendars/public.ics", headers={"If-Modified-Since": modified})
        malformed = await client.get(
            "/calendars/public.ics", headers={"If-Modified-Since": "last Tuesday"}
        )
    assert same_tag.status_code == 304
    assert same_tag.content == b""
    assert other_tag.status_code == 200
    assert (since.status_code, since.content) == (200, first.content)
    assert malformed.status_code == 200
    assert malformed.content == first.content


async def test_a_confidential_event_never_reaches_the_public_feed(api: Api) -> None:
    secret = CalendarItem(
        uid="application-ngo-secret@vpi.govsched",
        kind="application_deadline",
        title="Review of a confidential application",
        start_date=AT.date(),
        audiences=frozenset({role_audience(Role.SECRETARIAT)}),
        confidential=True,
    )
    with api.db.writing() as session:
        calendar_repo.upsert(session, secret, AT)
    async with api.client() as client:
        feed = (await client.get("/calendars/public.ics")).text
    assert "confidential application" not in feed
    assert "application-ngo-secret" not in feed


def test_the_warm_up_job_renders_the_feed_into_the_cache(api: Api) -> None:
    state = AppState(
        settings=Settings(),
        db=api.db,
        rulebook=Rulebook(),
        temporal=TemporalGateway(Settings()),
        feeds=FeedCache(),
    )
    warm_feeds(state)
    with api.db.reading() as session:
        wanted = public_request(session, state.rulebook, datetime.now(UTC), Settings().base_url)

    def must_not_render() -> RenderedFeed:
        raise AssertionError("the warmed feed should have been served from the cache")

    cached = state.feeds.get(wanted.name, wanted.version, must_not_render)
    assert b"BEGIN:VCALENDAR" in cached.body


async def test_the_public_feed_is_offered_in_each_language_and_refuses_an_unknown_one(
    api: Api,
) -> None:
    async with api.client() as client:
        default = await client.get("/calendars/public.ics")
        french = await client.get("/calendars/public.ics", params={"lang": "fr"})
        chinese = await client.get("/calendars/public.ics", params={"lang": "zh-Hans"})
        unknown = await client.get("/calendars/public.ics", params={"lang": "klingon"})
    assert str(Calendar.from_ical(default.content)["X-WR-CALNAME"]) == "VPI public calendar"
    assert str(Calendar.from_ical(french.content)["X-WR-CALNAME"]) == "Calendrier public de VPI"
    assert str(Calendar.from_ical(chinese.content)["X-WR-CALNAME"]) == "VPI公开日历"
    assert french.headers["ETag"] != default.headers["ETag"]
    assert unknown.status_code == 422
    assert unknown.json()["problems"] == [
        {"field": "lang", "reason": "'klingon' is not one of en, fr, es, zh-Hans"}
    ]
