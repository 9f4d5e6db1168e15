"""Every feed the suite exports parses in icalendar and vobject, and Radicale accepts it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import vobject  # type: ignore[import-untyped]
from icalendar import Calendar

from governance.rulebook.model import Rulebook
from govsched.persistence.db import Database
from govsched.services.feeds import tokens as feed_tokens
from govsched.services.feeds.export import write_feeds
from tests.feeds.feed_data import OPEN_ITEMS, OUTSIDER, seeded
from tests.feeds.radicale_server import radicale, stored_uids, upload

NOW = datetime(2027, 1, 10, tzinfo=UTC)


def exported(db: Database, out: Path) -> dict[str, bytes]:
    seeded(db)
    with db.writing() as session:
        feed_tokens.issue(session, OUTSIDER, "person", OUTSIDER, NOW)
    with db.reading() as session:
        paths = write_feeds(session, Rulebook(), NOW, out, "https://vpi.example")
    return {p.name: p.read_bytes() for p in paths}


def check_in_both_parsers(name: str, body: bytes) -> None:
    calendar = Calendar.from_ical(body)
    parsed = vobject.readOne(body.decode("utf-8"))
    assert parsed.name == "VCALENDAR", name
    ours = sorted(str(e["UID"]) for e in calendar.walk("VEVENT"))
    theirs = sorted(e.uid.value for e in getattr(parsed, "vevent_list", []))
    assert ours == theirs, name
    # Every TZID a property uses is described by a VTIMEZONE in the same feed.
    used = set(re.findall(r";TZID=([^:;]+)", body.decode("utf-8").replace("\r\n ", "")))
    described = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert used <= described, name
    ours_at = {str(e["UID"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    for event in getattr(parsed, "vevent_list", []):
        # vobject resolves the zone from the VTIMEZONE, not from its own database: the same
        # instant as icalendar's (from the zone's name) means the VTIMEZONE says the truth.
        start = event.dtstart.value
        assert not isinstance(start, datetime) or start.tzinfo is not None, name
        if isinstance(start, datetime):
            assert start.astimezone(UTC) == ours_at[event.uid.value].astimezone(UTC), name


def test_every_exported_feed_parses_in_icalendar_and_vobject(db: Database, tmp_path: Path) -> None:
    feeds = exported(db, tmp_path)
    assert len(feeds) > 80
    assert any(b"BEGIN:VTIMEZONE" in body for body in feeds.values())
    assert any(b"BEGIN:VALARM" in body for body in feeds.values())
    for name, body in feeds.items():
        check_in_both_parsers(name, body)


def test_radicale_accepts_every_event_of_the_feeds(sqlite_db: Database, tmp_path: Path) -> None:
    feeds = exported(sqlite_db, tmp_path / "feeds")
    chosen = {
        "public.ics",
        f"person-{OUTSIDER}.ics",
        "person-fp-gov-norland.ics",
        "person-sec-amina-okafor.ics",
        "role-steering_committee.ics",
        "pillar-government.ics",
    }
    with radicale(tmp_path / "radicale") as base:
        for index, name in enumerate(sorted(chosen)):
            statuses = upload(base, f"feed-{index}", feeds[name])
            assert statuses, name
            assert set(statuses) == {201}, (name, statuses)
            expected = {str(e["UID"]) for e in Calendar.from_ical(feeds[name]).walk("VEVENT")}
            assert stored_uids(base, f"feed-{index}") == expected
    timed = next(i for i in OPEN_ITEMS if i.kind == "meeting" and not i.all_day)
    assert timed.uid.encode() in feeds["role-steering_committee.ics"]


def test_an_export_into_a_used_directory_leaves_no_feed_of_an_earlier_registry(
    db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "feeds"
    out.mkdir()
    # a person of another registry (or since removed), and a file that is not a feed
    (out / "person-fp-gone.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (out / "group-elsewhere.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (out / "notes.txt").write_text("kept", encoding="utf-8")
    written = exported(db, out)
    assert {p.name for p in out.iterdir()} == {*written, "notes.txt"}
    assert "person-fp-gone.ics" not in written
