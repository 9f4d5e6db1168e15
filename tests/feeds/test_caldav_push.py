"""Pushing a person's feed to a real Radicale CalDAV server: only changes move, nothing leaks."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from icalendar import Calendar, Component

from governance.kernel.calendar import EventStatus, person_audience
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from govsched.config import CalDAVTarget, Settings
from govsched.http.app import housekeeping, push_caldav
from govsched.http.state import AppState, TemporalGateway
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import calendar_preferences as calendar_preference_repo
from govsched.persistence.tables import PersonRoleRow
from govsched.services.feeds.caldav_push import PushOutcome, push_person
from tests.feeds.feed_data import DOMAIN, FOCAL_POINT, OUTSIDER, item, seeded
from tests.feeds.radicale_server import USER, radicale

AT = datetime(2027, 1, 5, 9, tzinfo=UTC)
BASE = "https://vpi.example"
FOREIGN = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//someone//else//EN
BEGIN:VEVENT
UID:dentist@example.org
DTSTAMP:20270101T000000Z
DTSTART:20270110T090000Z
SUMMARY:Dentist
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def target(tmp_path: Path) -> Iterator[CalDAVTarget]:
    """A fresh calendar on a real Radicale, holding one event that is not ours."""
    with radicale(tmp_path / "radicale") as base:
        url = f"{base}/{USER[0]}/work/"
        with httpx.Client(auth=USER, timeout=30) as client:
            assert client.request("MKCALENDAR", url).status_code == 201
            put = client.put(url + "dentist.ics", content=FOREIGN)
            assert put.status_code == 201
        yield CalDAVTarget(url=url, username=USER[0], password=USER[1])


def held(target: CalDAVTarget) -> dict[str, Component]:
    with httpx.Client(auth=USER, timeout=30) as client:
        response = client.get(target.url)
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return {str(event["UID"]): event for event in events}


def push(db: Database, target: CalDAVTarget, now: datetime = AT) -> PushOutcome:
    return push_person(db, Rulebook(), FOCAL_POINT, target, now, BASE)


def test_a_push_holds_the_persons_feed_and_a_second_push_changes_nothing(
    sqlite_db: Database, target: CalDAVTarget
) -> None:
    seeded(sqlite_db)
    first = push(sqlite_db, target)
    stored = held(target)
    sc_call = f"sc-call-2027-03@{DOMAIN}"
    assert sc_call in first.put
    assert set(first.put) | {"dentist@example.org"} == set(stored)
    assert first.deleted == []
    again = push(sqlite_db, target)
    assert (again.put, again.deleted, again.unchanged) == ([], [], len(first.put))


def test_moves_cancellations_alarms_and_lost_roles_reach_the_calendar(
    sqlite_db: Database, target: CalDAVTarget
) -> None:
    seeded(sqlite_db)
    visit = item(
        "aurum-visit",
        kind="meeting",
        start_date=date(2027, 2, 1),
        audiences=frozenset({person_audience(FOCAL_POINT)}),
    )
    with sqlite_db.writing() as session:
        calendar_repo.upsert(session, visit, AT)
    push(sqlite_db, target)
    uid = f"aurum-visit@{DOMAIN}"
    with sqlite_db.writing() as session:
        moved = visit.model_copy(update={"start_date": date(2027, 2, 3)})
        calendar_repo.upsert(session, moved, AT + timedelta(minutes=1))
    assert push(sqlite_db, target).put == [uid]
    event = held(target)[uid]
    assert event.decoded("DTSTART") == date(2027, 2, 3)
    assert str(event["SEQUENCE"]) == "1"
    with sqlite_db.writing() as session:
        cancelled = moved.model_copy(update={"status": EventStatus.CANCELLED})
        calendar_repo.upsert(session, cancelled, AT + timedelta(minutes=2))
    assert push(sqlite_db, target).put == [uid]
    assert str(held(target)[uid]["STATUS"]) == "CANCELLED"
    # Past the retention period the feed drops the cancelled event, and so does the calendar.
    assert uid in push(sqlite_db, target, AT + timedelta(days=40)).deleted
    assert uid not in held(target)
    with sqlite_db.writing() as session:
        calendar_preference_repo.set_alarm(session, FOCAL_POINT, 15, AT)
    realarmed = push(sqlite_db, target)
    assert realarmed.put  # every event's alarm changed
    assert b"TRIGGER:-PT15M" in held(target)[f"plenary-2027@{DOMAIN}"].to_ical()
    with sqlite_db.writing() as session:
        row = session.get(PersonRoleRow, (FOCAL_POINT, Role.STEERING_COMMITTEE.value))
        assert row is not None
        session.delete(row)
    left = push(sqlite_db, target)
    assert f"sc-call-2027-03@{DOMAIN}" in left.deleted
    assert f"application-ngo-x-review@{DOMAIN}" in left.deleted
    remaining = held(target)
    assert f"sc-call-2027-03@{DOMAIN}" not in remaining
    assert "dentist@example.org" in remaining  # not ours: never touched


def test_the_command_pushes_every_configured_calendar_and_names_each_failure(
    sqlite_url: str, sqlite_db: Database, target: CalDAVTarget
) -> None:
    seeded(sqlite_db)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nobody_listens = f"http://127.0.0.1:{closed.getsockname()[1]}/cal/"
    configured = {
        FOCAL_POINT: {"url": target.url, "username": USER[0], "password": USER[1]},
        OUTSIDER: {"url": nobody_listens, "username": "x", "password": "secret-pw-123"},
        "nobody-here": {"url": target.url},
    }
    env = {
        **os.environ,
        "GOVSCHED_DATABASE_URL": sqlite_url,
        "GOVSCHED_CALDAV_PUSH": json.dumps(configured),
    }
    done = subprocess.run(
        [sys.executable, "-c", "import govsched.cli.main as cli; cli.main()", "feeds", "push"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    # Everything stored but the foreign event came from this push (the feed as of today).
    pushed = len(held(target)) - 1
    assert f"{FOCAL_POINT}: {pushed} put, 0 deleted, 0 unchanged" in done.stdout
    assert f"{OUTSIDER}: the CalDAV server failed" in done.stderr
    assert "nobody-here: no such person" in done.stderr
    assert "secret-pw-123" not in done.stdout + done.stderr
    assert f"sc-call-2027-03@{DOMAIN}" in held(target)
    unknown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import govsched.cli.main as cli; cli.main()",
            "feeds",
            "push",
            "someone-else",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert unknown.returncode == 2
    assert "no CalDAV calendar is configured for someone-else" in unknown.stderr


def test_the_api_housekeeping_job_pushes_and_logs_failures(
    sqlite_db: Database, target: CalDAVTarget, caplog: pytest.LogCaptureFixture
) -> None:
    seeded(sqlite_db)
    settings = Settings(caldav_push={FOCAL_POINT: target, "nobody-here": target})
    state = AppState(
        settings=settings,
        db=sqlite_db,
        rulebook=Rulebook(),
        temporal=TemporalGateway(settings),
    )
    assert "push-caldav" in {job.id for job in housekeeping(state).get_jobs()}
    caplog.set_level(logging.WARNING, logger="govsched.api")
    push_caldav(state)
    assert f"sc-call-2027-03@{DOMAIN}" in held(target)
    assert "CalDAV push for nobody-here: no such person" in caplog.text
    assert "push-caldav" not in {
        job.id
        for job in housekeeping(
            AppState(
                settings=Settings(),
                db=sqlite_db,
                rulebook=Rulebook(),
                temporal=TemporalGateway(Settings()),
            )
        ).get_jobs()
    }
