"""Token feeds over HTTP: issue, reset, revoke, validators, alarms, and tokens kept out of logs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from icalendar import Calendar

from governance.kernel.calendar import CalendarItem, role_audience
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.feeds.cache import FeedCache, RenderedFeed
from govsched.http.app import warm_feeds
from govsched.http.state import AppState, TemporalGateway
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.services.feeds.calendars import token_request
from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api

AT = datetime(2026, 11, 2, tzinfo=UTC)


async def issue(api: Api, person: str, scope: str = "person") -> dict[str, str]:
    async with api.client(person) as client:
        response = await client.post("/me/calendar-token", json={"scope": scope})
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def path_of(url: str) -> str:
    return url[url.index("/calendars/") :]


async def test_a_person_gets_a_feed_url_and_a_webcal_url_for_their_own_feed(api: Api) -> None:
    body = await issue(api, FOCAL_POINT)
    assert body["url"].startswith("http")
    assert body["url"].endswith(f"/{body['token']}.ics")
    assert body["webcal_url"] == "webcal://" + body["url"].partition("://")[2]
    async with api.client() as anonymous:
        response = await anonymous.get(path_of(body["url"]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "private" in response.headers["cache-control"]
    calendar = Calendar.from_ical(response.content)
    assert "plenary-2027@vpi.govsched" in {str(e["UID"]) for e in calendar.walk("VEVENT")}


async def test_a_reset_makes_the_old_url_answer_404_at_once(api: Api) -> None:
    first = await issue(api, CHAIR)
    second = await issue(api, CHAIR)
    assert second["action"] == "reset"
    async with api.client() as anonymous:
        old = await anonymous.get(path_of(first["url"]))
        new = await anonymous.get(path_of(second["url"]))
    assert old.status_code == 404
    assert first["token"] not in old.text
    assert new.status_code == 200


async def test_only_the_secretariat_revokes_someone_elses_feed_and_it_is_audited(
    api: Api,
) -> None:
    body = await issue(api, FOCAL_POINT, "role:steering_committee")
    async with api.client(CHAIR) as chair:
        refused = await chair.delete(f"/people/{FOCAL_POINT}/calendar-tokens")
    assert refused.status_code == 403
    assert refused.json()["missing_role"] == "secretariat"
    async with api.client(SECRETARIAT) as secretariat:
        revoked = await secretariat.delete(
            f"/people/{FOCAL_POINT}/calendar-tokens", params={"scope": "role:steering_committee"}
        )
        unknown = await secretariat.delete("/people/nobody/calendar-tokens")
    assert revoked.status_code == 200
    assert revoked.json() == {"person": FOCAL_POINT, "revoked": ["role:steering_committee"]}
    assert unknown.status_code == 404
    async with api.client() as anonymous:
        assert (await anonymous.get(path_of(body["url"]))).status_code == 404
    with api.db.reading() as session:
        actions = [e.action for e in audit_repo.entries(session, "calendar_feed", FOCAL_POINT)]
    assert "calendar_feed.revoke" in actions
    assert "calendar_feed.issue" in actions


async def test_a_feed_for_a_role_one_does_not_hold_is_refused_with_the_role_named(
    api: Api,
) -> None:
    async with api.client(SECRETARIAT) as client:
        refused = await client.post("/me/calendar-token", json={"scope": "role:chair"})
        invalid = await client.post("/me/calendar-token", json={"scope": "everything"})
    assert refused.status_code == 403
    assert refused.json()["missing_role"] == "chair"
    assert invalid.status_code == 422
    assert invalid.json()["problems"][0]["field"] == "scope"


async def test_token_feeds_answer_304_to_their_etag_only_and_ignore_malformed_validators(
    api: Api,
) -> None:
    url = path_of((await issue(api, SECRETARIAT))["url"])
    async with api.client() as client:
        first = await client.get(url)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        future = format_datetime(datetime.now(UTC) + timedelta(days=2), usegmt=True)
        answers = {
            "same tag": await client.get(url, headers={"If-None-Match": etag}),
            "tag list": await client.get(url, headers={"If-None-Match": f'"a", {etag}'}),
            "weak tag": await client.get(url, headers={"If-None-Match": f"W/{etag}"}),
            "since": await client.get(url, headers={"If-Modified-Since": modified}),
            "other tag": await client.get(url, headers={"If-None-Match": '"nope"'}),
            "garbage tag": await client.get(url, headers={"If-None-Match": "\x01;;"}),
            "garbage date": await client.get(url, headers={"If-Modified-Since": "yesterday"}),
            "empty date": await client.get(url, headers={"If-Modified-Since": ""}),
            "future date": await client.get(url, headers={"If-Modified-Since": future}),
            "tag wins": await client.get(
                url, headers={"If-None-Match": '"nope"', "If-Modified-Since": modified}
            ),
        }
    assert etag.startswith('"')  # a strong tag: no W/ prefix
    statuses = {name: r.status_code for name, r in answers.items()}
    assert statuses == {
        "same tag": 304,
        "tag list": 304,
        "weak tag": 304,
        "since": 200,  # If-Modified-Since is never trusted (ARCHITECTURE.md, "Validators")
        "other tag": 200,
        "garbage tag": 200,
        "garbage date": 200,
        "empty date": 200,
        "future date": 200,
        "tag wins": 200,
    }
    assert answers["same tag"].content == b""
    assert answers["same tag"].headers["ETag"] == etag
    assert answers["garbage date"].content == first.content


async def test_a_new_event_changes_the_etag_and_shows_in_the_feed(api: Api) -> None:
    url = path_of((await issue(api, SECRETARIAT, "role:secretariat"))["url"])
    async with api.client() as client:
        before = await client.get(url)
        with api.db.writing() as session:
            calendar_repo.upsert(
                session,
                CalendarItem(
                    uid="secretariat-retreat@vpi.govsched",
                    kind="meeting",
                    title="Secretariat retreat",
                    start_date=AT.date() + timedelta(days=40),
                    audiences=frozenset({role_audience(Role.SECRETARIAT)}),
                ),
                datetime.now(UTC),
            )
        after = await client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert b"secretariat-retreat@vpi.govsched" in after.content


async def test_the_alarm_follows_the_persons_preference(api: Api) -> None:
    url = path_of((await issue(api, CHAIR))["url"])
    async with api.client(CHAIR) as client:
        default = (await client.get(url)).content
        assert (
            await client.put("/me/calendar-preferences", json={"alarm_minutes_before": 90})
        ).status_code == 200
        ninety = (await client.get(url)).content
        assert (
            await client.put("/me/calendar-preferences", json={"alarm_minutes_before": None})
        ).status_code == 200
        none = (await client.get(url)).content
        bad = await client.put("/me/calendar-preferences", json={"alarm_minutes_before": -5})
    assert b"TRIGGER:-P1D" in default  # the rulebook's default_alarm_days_before
    assert b"TRIGGER:-PT1H30M" in ninety
    assert b"BEGIN:VALARM" not in none
    assert bad.status_code == 422


async def test_an_events_url_leads_to_the_item_for_those_who_may_see_it(api: Api) -> None:
    async with api.client(FOCAL_POINT) as client:
        plenary = await client.get("/calendar-items/plenary-2027")
        missing = await client.get("/calendar-items/no-such-thing")
    assert plenary.status_code == 200
    assert plenary.json()["uid"] == "plenary-2027@vpi.govsched"
    assert missing.status_code == 404


async def test_feed_tokens_never_reach_the_logs(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    body = await issue(api, SECRETARIAT)
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn.access", "uvicorn.error", "govsched.api"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    async with api.client() as client:
        await client.get(path_of(body["url"]))
        await client.get("/calendars/not-a-real-token-at-all.ics")
    access = [r for r in caplog.records if r.name == "uvicorn.access"]
    assert access, "the access log should have recorded the requests"
    # The server's loggers: the test's own HTTP client logs the URLs it was asked to fetch.
    server = [r for r in caplog.records if r.name.startswith(("uvicorn", "govsched", "fastapi"))]
    text = "\n".join(r.getMessage() for r in server)
    assert body["token"] not in text
    assert "not-a-real-token-at-all" not in text
    assert "/calendars/<redacted>.ics" in text


async def test_after_a_restart_the_warm_up_job_renders_every_subscribed_feed(api: Api) -> None:
    body = await issue(api, FOCAL_POINT, "pillar:company")
    state = AppState(
        settings=Settings(),
        db=api.db,
        rulebook=Rulebook(),
        temporal=TemporalGateway(Settings()),
        feeds=FeedCache(),  # a fresh process: nothing cached yet
    )
    warm_feeds(state)
    with api.db.reading() as session:
        wanted = token_request(
            session, state.rulebook, body["token"], datetime.now(UTC), Settings().base_url
        )
    assert wanted is not None

    def must_not_render() -> RenderedFeed:
        raise AssertionError("the warmed feed should have been served from the cache")

    cached = state.feeds.get(wanted.name, wanted.version, must_not_render)
    assert b"X-WR-CALNAME:VPI: company" in cached.body
