"""Feeds built from the demo registry: timed meetings with their zone, the Chair's calendar,
what each pillar is asked to do, and a closed review's tombstone. Parsed with icalendar and
vobject.

Writing and parsing every feed is most of this file's CPU: the tests that only read the demo's
feeds share one export of them (`demo_feeds`), and a feed whose bytes were parsed already in
this file is not parsed again (the parsers are deterministic: the same bytes, the same verdict).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import vobject  # type: ignore[import-untyped]
from icalendar import Calendar, Component

from governance.applications import rules as application_rules
from governance.applications.effects import calendar_changes
from governance.kernel.model import Pillar
from governance.roster.effects import presentation_item
from governance.roster.rule import Slot
from governance.rulebook.model import Recommendation, Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.services.feeds.export import write_feeds
from tests.conftest import migrated
from tests.feeds.feed_data import seeded
from tests.feeds.test_feed_parsers import check_in_both_parsers
from tests.governance.applications.application_cast import (
    REVIEW_STARTS,
    RULES,
    full_request,
    under_review,
)
from tests.governance.roster.test_roster_effects import PLAN

NOW = datetime(2027, 1, 10, tzinfo=UTC)
RULEBOOK = Rulebook()
_PARSED: set[bytes] = set()  # digests of the feeds both parsers took already


def feeds(db: Database, out: Path, now: datetime = NOW) -> dict[str, bytes]:
    with db.reading() as session:
        paths = write_feeds(session, RULEBOOK, now, out, "https://vpi.example")
    written = {p.name: p.read_bytes() for p in paths}
    for name, body in written.items():
        digest = hashlib.sha256(body).digest()
        if digest not in _PARSED:
            check_in_both_parsers(name, body)
            _PARSED.add(digest)
    return written


@pytest.fixture(scope="module")
def demo_feeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The feeds of the seeded demo at NOW, for the tests that only read them."""
    folder = tmp_path_factory.mktemp("demo-feeds")
    url = f"sqlite:///{folder / 'govsched.db'}"
    migrated(url)
    db = Database.from_url(url)
    try:
        seeded(db)
        return feeds(db, folder / "out")
    finally:
        db.dispose()


def events(body: bytes) -> dict[str, Component]:
    return {str(e["UID"]).partition("@")[0]: e for e in Calendar.from_ical(body).walk("VEVENT")}


def unfolded(body: bytes) -> str:
    return body.decode("utf-8").replace("\r\n ", "")


def test_plenary_sessions_are_busy_timed_events_in_the_initiatives_zone(
    demo_feeds: dict[str, bytes],
) -> None:
    public = demo_feeds["public.ics"]
    text = unfolded(public)
    calendar = Calendar.from_ical(public)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Toronto"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    # the demo's 2027 plenary sits 16-19 March in Norland Harbour, 09:00-17:30 local
    for day in (16, 17, 18, 19):
        assert f"DTSTART;TZID=America/Toronto:202703{day}T090000" in text
        assert f"DTEND;TZID=America/Toronto:202703{day}T173000" in text
    found = events(public)
    first = found["plenary-2027-day-1"]
    assert str(first["TRANSP"]) == "OPAQUE"
    assert first["DTSTART"].params["TZID"] == "America/Toronto"
    assert first.decoded("DTSTART").utcoffset() == timedelta(hours=-4)
    assert str(found["plenary-2027"]["TRANSP"]) == "OPAQUE"
    parsed = vobject.readOne(public.decode("utf-8"))
    by_uid = {e.uid.value: e for e in parsed.vevent_list}
    start = by_uid["plenary-2027-day-1@vpi.govsched"].dtstart.value
    assert start.astimezone(UTC) == datetime(2027, 3, 16, 13, 0, tzinfo=UTC)
    assert by_uid["plenary-2027-day-1@vpi.govsched"].transp.value == "OPAQUE"
    # deadlines stay free time; the committee's meeting is not public
    assert all(
        str(e["TRANSP"]) == "TRANSPARENT"
        for e in found.values()
        if e["CATEGORIES"].to_ical() == b"milestone"
    )
    assert not any("committee" in uid for uid in found)


def test_the_committee_meeting_is_in_the_committee_chair_and_secretariat_feeds(
    demo_feeds: dict[str, bytes],
) -> None:
    written = demo_feeds
    uid = "plenary-2027-committee-pre-plenary"
    holding = {name for name, body in written.items() if f"{uid}@".encode() in body}
    assert {"role-steering_committee.ics", "role-chair.ics", "role-secretariat.ics"} <= holding
    assert not holding & {"public.ics", "role-focal_point.ics", "pillar-company.ics"}
    meeting = events(written["role-steering_committee.ics"])[uid]
    assert str(meeting["TRANSP"]) == "OPAQUE"
    assert meeting.decoded("DTSTART") == datetime(2027, 3, 15, 18, 0, tzinfo=UTC)
    assert "DTSTART;TZID=America/Toronto:20270315T140000" in unfolded(
        written["role-steering_committee.ics"]
    )


def test_the_chairs_feed_carries_the_handover_and_its_checklist(
    demo_feeds: dict[str, bytes],
) -> None:
    chair = events(demo_feeds["role-chair.ics"])
    keys = {i.key.replace("_", "-") for i in RULEBOOK.chair.handover_items}
    expected = {"handover-2027", "handover-2027-designation"} | {f"handover-2027-{k}" for k in keys}
    assert expected <= set(chair)
    handover = chair["handover-2027"]
    assert str(handover["SUMMARY"]) == "Government Chair handover (2027)"
    assert handover.decoded("DTSTART") == date(2027, 3, 19)
    assert "Outgoing: Government of Norland" in str(handover["DESCRIPTION"])
    briefing = chair["handover-2027-briefing-pack"]
    assert str(briefing["SUMMARY"]) == "Handover 2027: Briefing pack for the incoming Chair"
    assert briefing.decoded("DTSTART") == date(2027, 2, 14)
    assert str(briefing["TRANSP"]) == "TRANSPARENT"


def test_each_pillar_feed_carries_what_its_members_are_asked_to_do(
    sqlite_db: Database, tmp_path: Path
) -> None:
    seeded(sqlite_db)
    slot = Slot(member="co-aurum-mining", pillar=Pillar.COMPANY, reason="longest since", rank=1)
    with sqlite_db.writing() as session:
        calendar_repo.upsert(
            session, presentation_item(PLAN, slot, "Aurum Mining", "vpi.govsched"), NOW
        )
    written = feeds(sqlite_db, tmp_path)
    for pillar in ("government", "company", "ngo"):
        found = events(written[f"pillar-{pillar}.ics"])
        assert "milestone-plenary-2027-annual-reports-due" in found, pillar
    company = events(written["pillar-company.ics"])
    assert str(company["roster-2027-co-aurum-mining"]["SUMMARY"]) == (
        "Verification presentation: Aurum Mining"
    )
    assert "roster-2027-co-aurum-mining" not in events(written["pillar-government.ics"])
    assert "milestone-plenary-2027-annual-reports-due" not in events(written["pillar-observer.ics"])


def test_a_closed_review_leaves_a_cancelled_tombstone_then_goes(
    sqlite_db: Database, tmp_path: Path
) -> None:
    seeded(sqlite_db)
    ready = full_request()
    before = under_review(ready)
    assert before.deadline is not None
    # the review closes an hour after its due instant: late, yet nothing is owed any more
    closed_at = before.deadline.due + timedelta(hours=1)
    after = application_rules.close_review(before, closed_at, None, Recommendation.ABSTAIN).record
    with sqlite_db.writing() as session:
        for item in calendar_changes(ready, before, REVIEW_STARTS, RULES):
            calendar_repo.upsert(session, item, REVIEW_STARTS)
    uid = "full-gov-yssel-review"
    shown = events(feeds(sqlite_db, tmp_path / "open", closed_at)["role-steering_committee.ics"])
    assert str(shown[uid]["STATUS"]) == "CONFIRMED"
    with sqlite_db.writing() as session:
        for item in calendar_changes(before, after, closed_at, RULES):
            calendar_repo.upsert(session, item, closed_at)
    written = feeds(sqlite_db, tmp_path / "closed", closed_at + timedelta(days=1))
    for name in ("role-steering_committee.ics", "role-secretariat.ics"):
        tombstone = events(written[name])[uid]
        assert str(tombstone["STATUS"]) == "CANCELLED", name
        assert int(tombstone.decoded("SEQUENCE")) == int(shown[uid].decoded("SEQUENCE")) + 1
        assert "BEGIN:VALARM" not in tombstone.to_ical().decode()
    assert uid.encode() not in written["public.ics"]
    retention = timedelta(days=RULEBOOK.calendars.cancelled_retention_days)
    later = feeds(sqlite_db, tmp_path / "later", closed_at + retention + timedelta(days=1))
    assert uid not in events(later["role-steering_committee.ics"])
