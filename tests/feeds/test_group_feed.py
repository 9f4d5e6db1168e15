"""A group's feed (issue 23) says what the model says: two other implementations expand it to
the same occurrences (recurring-ical-events, and vobject from the feed's own VTIMEZONE), and a
real CalDAV server (Radicale) stores it and expands it to the same instants, across daylight-
saving changes in zones with and without DST and with a non-hour offset."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import recurring_ical_events
import vobject  # type: ignore[import-untyped]
from hypothesis import given, settings
from icalendar import Calendar

from governance.groups.meetings import (
    Meeting,
    MeetingKind,
    MovedOccurrence,
    cancel_occurrence,
    move_occurrence,
    occurrences,
)
from governance.groups.model import Group
from govsched.feeds.group_ical import meeting_uid, render_group_calendar
from tests.feeds.radicale_server import USER, radicale
from tests.governance.groups.test_recurrence import series
from tests.governance.groups.walls import wall

DOMAIN = "vpi.govsched"
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC))
ALARM = timedelta(hours=3)
# A meeting time written in UTC instead of the group's zone (what icalendar does by itself for
# zones that are always UTC+0, like Accra's).
WRITTEN_IN_UTC = re.compile(r"^(DTSTART|DTEND|EXDATE|RECURRENCE-ID)[;:][^\r\n]*Z\r?$", re.M)


def group_in(tz: str) -> Group:
    return Group(id="g", name="Group in its own zone", country="CL", timezone=tz)


def feed(group: Group, meetings: list[Meeting]) -> bytes:
    return render_group_calendar(
        group, meetings, domain=DOMAIN, stamp=STAMP, refresh=timedelta(hours=6), alarm=ALARM
    )


def ours(group: Group, meetings: list[Meeting]) -> list[tuple[datetime, datetime]]:
    return sorted(
        (o.starts, o.ends) for m in meetings for o in occurrences(m, group.timezone, *WINDOW)
    )


def zones_described(body: bytes) -> set[str]:
    return {str(tz["TZID"]) for tz in Calendar.from_ical(body).walk("VTIMEZONE")}


def by_recurring_ical_events(body: bytes) -> list[tuple[datetime, datetime]]:
    expanded = recurring_ical_events.of(Calendar.from_ical(body)).between(*WINDOW)
    return sorted(
        (e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC)) for e in expanded
    )


def by_vobject(body: bytes) -> list[datetime]:
    """vobject reads the zone from the feed's VTIMEZONE (not from a zone database) and expands
    the master's RRULE less its EXDATEs; moved occurrences replace their RECURRENCE-ID."""
    parsed = vobject.readOne(body.decode("utf-8"))
    starts: list[datetime] = []
    generated: list[datetime] = []
    replaced: set[datetime] = set()
    for event in parsed.vevent_list:
        if hasattr(event, "recurrence_id"):
            replaced.add(event.recurrence_id.value.astimezone(UTC))
            starts.append(event.dtstart.value.astimezone(UTC))
        elif hasattr(event, "rrule"):
            generated += [t.astimezone(UTC) for t in event.getrruleset(addRDate=True)]
        else:
            starts.append(event.dtstart.value.astimezone(UTC))
    return sorted(starts + [t for t in generated if t not in replaced])


def test_a_series_with_a_moved_and_a_cancelled_meeting_across_santiagos_change() -> None:
    group = group_in("America/Santiago")
    meeting = Meeting(
        id="weekly",
        group_id="g",
        title="Weekly, at half past midnight",
        starts=wall(2026, 8, 30, 0, 30),
        ends=wall(2026, 8, 30, 2, 0),
        rule="FREQ=WEEKLY;UNTIL=20260927T235959",
        moved=(
            MovedOccurrence(
                recurrence_id=wall(2026, 9, 13, 0, 30),
                starts=wall(2026, 9, 14, 10, 0),
                ends=wall(2026, 9, 14, 11, 0),
            ),
        ),
        cancelled=frozenset({wall(2026, 9, 20, 0, 30)}),
    )
    body = feed(group, [meeting])
    text = body.decode().replace("\r\n ", "")
    assert "DTSTART;TZID=America/Santiago:20260830T003000" in text
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260928T025959Z" in text
    assert "EXDATE;TZID=America/Santiago:20260920T003000" in text
    assert "RECURRENCE-ID;TZID=America/Santiago:20260913T003000" in text
    assert text.count("BEGIN:VALARM") == 2
    assert "TRIGGER:-PT3H" in text
    assert zones_described(body) == {"America/Santiago"}
    expected = ours(group, [meeting])
    assert [start for start, _ in expected] == [
        datetime(2026, 8, 30, 4, 30, tzinfo=UTC),
        datetime(2026, 9, 6, 4, 30, tzinfo=UTC),  # 00:30 does not exist that day: 01:30
        datetime(2026, 9, 14, 13, 0, tzinfo=UTC),
        datetime(2026, 9, 27, 3, 30, tzinfo=UTC),
    ]
    assert by_recurring_ical_events(body) == expected
    assert by_vobject(body) == [start for start, _ in expected]


def sequences_by_icalendar(body: bytes) -> dict[str | None, int]:
    """SEQUENCE of each VEVENT by its RECURRENCE-ID's local text (None: the series)."""
    found: dict[str | None, int] = {}
    for event in Calendar.from_ical(body).walk("VEVENT"):
        rid = event.get("RECURRENCE-ID")
        key = None if rid is None else rid.dt.replace(tzinfo=None).isoformat()
        found[key] = int(event.decoded("SEQUENCE"))
    return found


def sequences_by_vobject(body: bytes) -> dict[str | None, int]:
    found: dict[str | None, int] = {}
    for event in vobject.readOne(body.decode("utf-8")).vevent_list:
        key = None
        if hasattr(event, "recurrence_id"):
            key = event.recurrence_id.value.replace(tzinfo=None).isoformat()
        found[key] = int(event.sequence.value)
    return found


def test_each_change_raises_the_sequence_of_what_it_changed_for_both_parsers() -> None:
    group = group_in("America/Bogota")
    planned = Meeting(
        id="weekly",
        group_id="g",
        title="Mining and Energy Committee",
        starts=wall(2026, 3, 3, 10, 0),
        ends=wall(2026, 3, 3, 12, 0),
        rule="FREQ=WEEKLY;COUNT=6",
    )
    moved_once = move_occurrence(
        planned,
        MovedOccurrence(
            recurrence_id=wall(2026, 3, 10, 10, 0),
            starts=wall(2026, 3, 11, 10, 0),
            ends=wall(2026, 3, 11, 12, 0),
        ),
    )
    moved_twice = move_occurrence(
        moved_once,
        MovedOccurrence(
            recurrence_id=wall(2026, 3, 10, 10, 0),
            starts=wall(2026, 3, 12, 15, 0),
            ends=wall(2026, 3, 12, 17, 0),
        ),
    )
    other_cancelled = cancel_occurrence(moved_twice, wall(2026, 3, 24, 10, 0))
    expected = [
        (planned, {None: 0}),
        (moved_once, {None: 1, "2026-03-10T10:00:00": 1}),
        (moved_twice, {None: 2, "2026-03-10T10:00:00": 2}),
        # the cancellation is an EXDATE on the series: the moved occurrence is unchanged
        (other_cancelled, {None: 3, "2026-03-10T10:00:00": 2}),
    ]
    for meeting, sequences in expected:
        body = feed(group, [meeting])
        assert sequences_by_icalendar(body) == sequences
        assert sequences_by_vobject(body) == sequences


def test_a_meeting_stored_before_sequences_were_kept_is_published_as_sequence_0() -> None:
    stored = {
        "id": "old",
        "group_id": "g",
        "title": "Stored earlier",
        "starts": "2026-03-03T10:00:00",
        "ends": "2026-03-03T12:00:00",
        "rule": "FREQ=WEEKLY;COUNT=3",
        "moved": [
            {
                "recurrence_id": "2026-03-10T10:00:00",
                "starts": "2026-03-10T14:00:00",
                "ends": "2026-03-10T15:00:00",
            }
        ],
    }
    body = feed(group_in("America/Lima"), [Meeting.model_validate(stored)])
    assert sequences_by_icalendar(body) == {None: 0, "2026-03-10T10:00:00": 0}


@settings(max_examples=25, deadline=None)
@given(series())
def test_two_other_implementations_expand_the_feed_to_the_models_occurrences(
    drawn: tuple[Meeting, str, list[datetime], dict[datetime, datetime]],
) -> None:
    meeting, tz, _, _ = drawn
    group = group_in(tz)
    body = feed(group, [meeting])
    assert zones_described(body) == {tz}
    assert not WRITTEN_IN_UTC.search(body.decode().replace("\r\n ", ""))
    expected = ours(group, [meeting])
    assert by_recurring_ical_events(body) == expected
    assert by_vobject(body) == [start for start, _ in expected]


def _grouped_by_uid(body: bytes) -> dict[str, bytes]:
    """The feed as CalDAV stores it: one resource per UID (a series with its moved meetings)."""
    calendar = Calendar.from_ical(body)
    resources: dict[str, Calendar] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        if uid not in resources:
            single = Calendar()
            for name in ("PRODID", "VERSION", "CALSCALE"):
                single.add(name, calendar[name])
            for zone in calendar.walk("VTIMEZONE"):
                single.add_component(zone)
            resources[uid] = single
        resources[uid].add_component(event)
    return {uid: c.to_ical() for uid, c in resources.items()}


EXPAND = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data><C:expand start="{start}" end="{end}"/></C:calendar-data></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{start}" end="{end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""


def _expanded_by_radicale(base: str, collection: str) -> list[datetime]:
    start, end = (t.strftime("%Y%m%dT%H%M%SZ") for t in WINDOW)
    with httpx.Client(base_url=base, auth=USER, timeout=30) as client:
        response = client.request(
            "REPORT",
            f"/{USER[0]}/{collection}/",
            content=EXPAND.format(start=start, end=end),
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        )
    assert response.status_code == 207, response.text
    starts = []
    for data in ET.fromstring(response.content).iter(
        "{urn:ietf:params:xml:ns:caldav}calendar-data"
    ):
        for event in Calendar.from_ical(data.text or "").walk("VEVENT"):
            starts.append(event.decoded("DTSTART").astimezone(UTC))
    return sorted(starts)


def test_radicale_stores_each_groups_feed_and_expands_it_to_the_same_instants(
    tmp_path: Path,
) -> None:
    # One group per kind of zone: southern DST at midnight, non-hour offset with southern DST,
    # a non-hour offset without DST, no DST at all.
    groups = {
        "America/Santiago": wall(2026, 3, 24, 10, 0),
        "Australia/Adelaide": wall(2026, 9, 29, 2, 30),
        "Asia/Yangon": wall(2026, 3, 24, 9, 0),
        "Africa/Accra": wall(2026, 3, 24, 9, 0),
    }
    with radicale(tmp_path / "collections") as base:
        for n, (tz, first) in enumerate(groups.items()):
            group = group_in(tz)
            series_meeting = Meeting(
                id=f"series-{n}",
                group_id="g",
                title="Weekly meeting",
                starts=first,
                ends=first + timedelta(hours=2),
                rule="FREQ=WEEKLY;COUNT=8",
                moved=(
                    MovedOccurrence(
                        recurrence_id=first + timedelta(days=14),
                        starts=first + timedelta(days=15, hours=4),
                        ends=first + timedelta(days=15, hours=5),
                    ),
                ),
                cancelled=frozenset({first + timedelta(days=21)}),
            )
            visit = Meeting(
                id=f"visit-{n}",
                group_id="g",
                title="Field visit",
                kind=MeetingKind.FIELD_VISIT,
                starts=first + timedelta(days=40),
                ends=first + timedelta(days=43, hours=6),
            )
            meetings = [series_meeting, visit]
            body = feed(group, meetings)
            collection = f"group-{n}"
            with httpx.Client(base_url=base, auth=USER, timeout=30) as client:
                assert client.request("MKCALENDAR", f"/{USER[0]}/{collection}/").status_code == 201
                for uid, document in _grouped_by_uid(body).items():
                    name = re.sub(r"[^a-z0-9-]", "-", uid)
                    stored = client.put(
                        f"/{USER[0]}/{collection}/{name}.ics",
                        content=document,
                        headers={"Content-Type": "text/calendar; charset=utf-8"},
                    )
                    assert stored.status_code == 201, stored.text
            assert _expanded_by_radicale(base, collection) == [
                start for start, _ in ours(group, meetings)
            ], tz
            assert meeting_uid(f"series-{n}", DOMAIN) in body.decode()
