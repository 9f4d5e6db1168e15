"""The iCalendar feed: byte-for-byte stable, parseable, and safe whatever text members type."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from governance.kernel.calendar import PUBLIC, CalendarItem, EventStatus, PublishedEvent
from governance.kernel.text import shown
from govsched.feeds.ical import render_calendar

TZ = "America/Toronto"
CREATED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MODIFIED = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
RETENTION = timedelta(days=30)


def published(modified: datetime = MODIFIED, sequence: int = 2, **changes: Any) -> PublishedEvent:
    fields: dict[str, Any] = {
        "uid": "plenary-2027@vpi.govsched",
        "kind": "plenary",
        "title": "VPI 2027 Annual Plenary",
        "location": "Norland Harbour",
        "start_date": date(2027, 5, 18),
        "end_date": date(2027, 5, 21),
        "audiences": frozenset({PUBLIC}),
    }
    fields.update(changes)
    item = CalendarItem.model_validate(fields)
    return PublishedEvent(item=item, sequence=sequence, created=CREATED, last_modified=modified)


def call(**changes: Any) -> PublishedEvent:
    fields: dict[str, Any] = {
        "uid": "sc-call-2027-03@vpi.govsched",
        "kind": "meeting",
        "title": "Steering Committee call",
        "location": None,
        "start_date": None,
        "end_date": None,
        "starts": datetime(2027, 3, 1, 15, 0, tzinfo=UTC),
        "ends": datetime(2027, 3, 1, 16, 30, tzinfo=UTC),
    }
    fields.update(changes)
    return published(**fields)


def render(events: list[PublishedEvent], now: datetime = NOW) -> bytes:
    return render_calendar(
        events,
        name="VPI",
        tz=TZ,
        refresh=timedelta(hours=6),
        now=now,
        retention=RETENTION,
    )


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def vevents(body: bytes) -> list[icalendar.Event]:
    return [e for e in parse(body).walk("VEVENT") if isinstance(e, icalendar.Event)]


def lines(body: bytes) -> list[str]:
    return body.decode("utf-8").split("\r\n")


def valid_or_none(**changes: Any) -> PublishedEvent | None:
    try:
        return published(**changes)
    except ValidationError:
        return None


def test_the_same_events_give_the_same_bytes() -> None:
    events = [published(), call()]
    assert render(events) == render(events)


def test_the_order_of_the_events_given_does_not_change_the_bytes() -> None:
    assert render([published(), call()]) == render([call(), published()])


def test_the_render_time_does_not_change_the_bytes() -> None:
    events = [published(), call()]
    assert render(events, now=NOW) == render(events, now=NOW + timedelta(days=3, hours=5))


def test_the_feed_parses_back_with_its_events() -> None:
    calendar = parse(render([published(), call()]))
    assert str(calendar["X-WR-CALNAME"]) == "VPI"
    assert str(calendar["VERSION"]) == "2.0"
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert uids == ["plenary-2027@vpi.govsched", "sc-call-2027-03@vpi.govsched"]


def test_an_all_day_event_ends_the_day_after_its_last_day() -> None:
    (event,) = vevents(render([published()]))
    assert event.decoded("DTSTART") == date(2027, 5, 18)
    assert event.decoded("DTEND") == date(2027, 5, 22)
    assert "DTSTART;VALUE=DATE:20270518" in lines(render([published()]))
    assert "DTEND;VALUE=DATE:20270522" in lines(render([published()]))


def test_a_one_day_event_without_an_end_date_ends_the_next_day() -> None:
    (event,) = vevents(render([published(end_date=None)]))
    assert event.decoded("DTEND") == date(2027, 5, 19)


def test_a_timed_event_carries_its_zone_and_the_zone_is_described() -> None:
    body = render([call()])
    assert "DTSTART;TZID=America/Toronto:20270301T100000" in lines(body)
    assert "DTEND;TZID=America/Toronto:20270301T113000" in lines(body)
    timezones = list(parse(body).walk("VTIMEZONE"))
    assert [str(tz["TZID"]) for tz in timezones] == [TZ]
    (event,) = vevents(body)
    assert event.decoded("DTSTART") == datetime(2027, 3, 1, 15, 0, tzinfo=UTC)


def test_a_feed_of_all_day_events_needs_no_zone_description() -> None:
    assert list(parse(render([published()])).walk("VTIMEZONE")) == []


def test_the_feed_asks_to_be_refreshed_every_six_hours() -> None:
    body = lines(render([published()]))
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in body
    assert "X-PUBLISHED-TTL:PT6H" in body


def test_dtstamp_is_the_last_change_of_the_event() -> None:
    body = render([published()], now=NOW)
    (event,) = vevents(body)
    assert event.decoded("DTSTAMP") == MODIFIED
    assert event.decoded("LAST-MODIFIED") == MODIFIED
    assert event.decoded("CREATED") == CREATED
    assert "DTSTAMP:20270102T030405Z" in lines(body)
    later = render([published()], now=NOW + timedelta(days=7))
    assert "DTSTAMP:20270102T030405Z" in lines(later)


def test_the_sequence_and_status_are_published() -> None:
    (event,) = vevents(render([published(sequence=7)]))
    assert event.decoded("SEQUENCE") == 7
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_cancelled_event_is_kept_as_cancelled_within_the_retention() -> None:
    cancelled = published(status=EventStatus.CANCELLED)
    for now in (MODIFIED, MODIFIED + RETENTION):
        (event,) = vevents(render([cancelled], now=now))
        assert str(event["STATUS"]) == "CANCELLED"


def test_a_cancelled_event_is_dropped_after_the_retention() -> None:
    cancelled = published(status=EventStatus.CANCELLED)
    body = render([cancelled, call()], now=MODIFIED + RETENTION + timedelta(seconds=1))
    assert [str(e["UID"]) for e in vevents(body)] == ["sc-call-2027-03@vpi.govsched"]


def test_an_old_confirmed_event_is_never_dropped() -> None:
    body = render([published()], now=MODIFIED + timedelta(days=3650))
    assert len(vevents(body)) == 1


def test_commas_semicolons_backslashes_and_newlines_are_escaped() -> None:
    event = published(
        title="Plenary, day 1; \\ agenda",
        location="Hall A, Level 2; East",
        description="Agenda:\n1. Welcome, coffee; \\ notes",
    )
    body = lines(render([event]))
    assert "SUMMARY:Plenary\\, day 1\\; \\\\ agenda" in body
    assert "LOCATION:Hall A\\, Level 2\\; East" in body
    assert "DESCRIPTION:Agenda:\\n1. Welcome\\, coffee\\; \\\\ notes" in body
    (parsed,) = vevents(render([event]))
    assert str(parsed["SUMMARY"]) == "Plenary, day 1; \\ agenda"
    assert str(parsed["LOCATION"]) == "Hall A, Level 2; East"
    assert str(parsed["DESCRIPTION"]) == "Agenda:\n1. Welcome, coffee; \\ notes"


def test_a_backslash_before_a_capital_n_is_kept_as_typed() -> None:
    event = published(title="Share \\New", location="Room \\N2", description="C:\\New folder")
    (parsed,) = vevents(render([event]))
    assert str(parsed["SUMMARY"]) == "Share \\New"
    assert str(parsed["LOCATION"]) == "Room \\N2"
    assert str(parsed["DESCRIPTION"]) == "C:\\New folder"


def test_a_description_cannot_inject_a_property() -> None:
    event = published(description="Bring papers\r\nATTENDEE:mailto:evil@example.org\nX-EVIL:1")
    (parsed,) = vevents(render([event]))
    assert "ATTENDEE" not in parsed
    assert "X-EVIL" not in parsed


def test_the_feed_holds_no_control_characters_but_its_line_breaks() -> None:
    # RFC 5545 (3.3.11) allows no control character in TEXT but HTAB; members paste anything.
    # Refusing such text when the item is built would do as well as dropping it from the feed.
    event = valid_or_none(description="Agenda\x0bitem\x00 two\x1b[31m", title="Plenary\x7f")
    assert event is None or control_characters(render([event])) == []


def control_characters(body: bytes) -> list[str]:
    text = body.decode("utf-8").replace("\r\n", "")
    return [ch for ch in text if (ord(ch) < 32 and ch != "\t") or ord(ch) == 127]


EXPECTED_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "CREATED",
    "LAST-MODIFIED",
    "SEQUENCE",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "STATUS",
    "CATEGORIES",
    "DTSTART",
    "DTEND",
    "TRANSP",
}


@settings(max_examples=300, deadline=None, database=None)
@example(description="C:\\New folder", title="Plenary", location="Hall \\N")
@example(
    description="Bring\u2028the \u202eexe.live\u202c", title="Plen\u2029ary", location="Hall\u0085B"
)
@given(
    description=st.text(
        alphabet=st.characters(codec="utf-8") | st.sampled_from(["\r", "\n", ",", ";", "\\"]),
        min_size=1,
        max_size=200,
    ),
    title=st.text(min_size=1, max_size=100),
    location=st.text(min_size=1, max_size=100),
)
def test_no_text_produces_an_extra_property_line(
    description: str, title: str, location: str
) -> None:
    event = valid_or_none(title=title, location=location, description=description)
    assume(event is not None)  # titles and locations are single lines by model validation
    assert event is not None
    body = render([event])
    (parsed,) = vevents(body)
    assert set(parsed) == EXPECTED_PROPERTIES
    # Text is made safe to show (governance.kernel.text.shown): U+2028, U+2029 and NEL as spaces,
    # no bidirectional controls.
    assert str(parsed["SUMMARY"]) == shown(title)
    assert str(parsed["LOCATION"]) == shown(location)
    # Line breaks are written as \n whatever form they were typed in.
    expected = shown(description.replace("\r\n", "\n").replace("\r", "\n"))
    assert str(parsed["DESCRIPTION"]) == expected
    # Every physical line is a property, a folded continuation or a component boundary.
    physical = body.decode("utf-8").split("\r\n")
    assert physical[-1] == ""
    assert not [line for line in physical if "\r" in line or "\n" in line]
