"""RFC 5545 rules the personal feeds add: alarms, URLs, dates, categories; hostile text in two
parsers; and a stored item keeps its UID and bumps SEQUENCE through moves and cancellations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import vobject  # type: ignore[import-untyped]
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from pydantic import ValidationError

from governance.kernel.calendar import PUBLIC, CalendarItem, EventStatus, PublishedEvent
from govsched.feeds.ical import render_calendar
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo

TZ = "America/Toronto"
AT = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
NOW = datetime(2027, 1, 10, tzinfo=UTC)
BASE = "https://vpi.example"


def item(**changes: Any) -> CalendarItem:
    fields: dict[str, Any] = {
        "uid": "application-ngo-x-review@vpi.govsched",
        "kind": "application_deadline",
        "title": "Recommendations due on NGO X",
        "start_date": date(2027, 3, 1),
        "audiences": frozenset({PUBLIC}),
    }
    fields.update(changes)
    return CalendarItem.model_validate(fields)


def render(events: list[PublishedEvent], alarm: timedelta | None = timedelta(days=1)) -> bytes:
    return render_calendar(
        events,
        name="VPI: Amina Okafor",
        tz=TZ,
        refresh=timedelta(hours=6),
        now=NOW,
        retention=timedelta(days=30),
        base_url=BASE,
        alarm=alarm,
    )


def published(calendar_item: CalendarItem, sequence: int = 0) -> PublishedEvent:
    return PublishedEvent(item=calendar_item, sequence=sequence, created=AT, last_modified=AT)


def unfolded(body: bytes) -> list[str]:
    return body.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_a_deadline_is_an_all_day_date_and_a_meeting_is_timed_in_the_zone() -> None:
    meeting = item(
        uid="sc-call@vpi.govsched",
        kind="meeting",
        start_date=None,
        starts=datetime(2027, 7, 1, 14, tzinfo=UTC),
        ends=datetime(2027, 7, 1, 15, tzinfo=UTC),
    )
    lines = unfolded(render([published(item()), published(meeting)]))
    assert "DTSTART;VALUE=DATE:20270301" in lines
    assert "DTEND;VALUE=DATE:20270302" in lines
    assert "DTSTART;TZID=America/Toronto:20270701T100000" in lines


def test_each_event_links_back_to_its_item_and_is_categorised_by_kind() -> None:
    lines = unfolded(render([published(item())]))
    assert f"URL:{BASE}/web/calendar-items/application-ngo-x-review" in lines
    assert "CATEGORIES:application_deadline" in lines


def test_the_alarm_comes_from_the_preference_and_cancelled_events_never_ring() -> None:
    body = render([published(item())], alarm=timedelta(minutes=45))
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-45)
    assert str(alarm["DESCRIPTION"]) == "Recommendations due on NGO X"
    cancelled = render([published(item(status=EventStatus.CANCELLED))])
    assert b"BEGIN:VALARM" not in cancelled
    assert b"BEGIN:VALARM" not in render([published(item())], alarm=None)


def test_a_stored_item_keeps_its_uid_and_bumps_its_sequence_through_moves_and_cancelling(
    sqlite_db: Database,
) -> None:
    steps = [
        item(),
        item(start_date=date(2027, 3, 8)),  # moved
        item(start_date=date(2027, 3, 8), description="same date, new words"),
        item(start_date=date(2027, 3, 8), description="same date, new words", status="cancelled"),
    ]
    bodies = []
    for index, step in enumerate(steps):
        with sqlite_db.writing() as session:
            stored = calendar_repo.upsert(session, step, AT + timedelta(days=index))
        bodies.append(render([stored]))
    events = [Calendar.from_ical(b).walk("VEVENT")[0] for b in bodies]
    assert {str(e["UID"]) for e in events} == {"application-ngo-x-review@vpi.govsched"}
    assert [e.decoded("SEQUENCE") for e in events] == [0, 1, 2, 3]
    assert [e.decoded("LAST-MODIFIED") for e in events] == [
        AT + timedelta(days=i) for i in range(4)
    ]
    assert str(events[-1]["STATUS"]) == "CANCELLED"
    # Regenerating from the same stored data gives the same bytes (DTSTAMP is the last change).
    with sqlite_db.reading() as session:
        again = calendar_repo.get(session, "application-ngo-x-review@vpi.govsched")
    assert again is not None
    assert render([again]) == bodies[-1]


# Printable text with the characters RFC 5545 gives meaning to, and attempts at a new line.
_PRINTABLE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=8
)
_SPECIAL = [",", ";", ":", "\\", "\\n", "\\N", '"', "X-EVIL:1", "BEGIN:VEVENT"]
ONE_LINE = (
    st.lists(_PRINTABLE | st.sampled_from(_SPECIAL), min_size=1, max_size=20)
    .map("".join)
    .filter(bool)
)
HOSTILE = (
    st.lists(
        _PRINTABLE | st.sampled_from([*_SPECIAL, "\r", "\n", "\r\n", "\r\nX-EVIL:1"]),
        min_size=1,
        max_size=20,
    )
    .map("".join)
    .filter(bool)
)


@settings(max_examples=200, deadline=None, database=None)
@given(title=ONE_LINE, location=ONE_LINE, description=HOSTILE)
def test_hostile_text_round_trips_through_vobject_without_new_properties(
    title: str, location: str, description: str
) -> None:
    try:
        hostile = item(title=title, location=location, description=description)
    except ValidationError:
        hostile = None
    assume(hostile is not None)  # the model refuses some text outright (blank titles)
    assert hostile is not None
    body = render([published(hostile)])
    (event,) = vobject.readOne(body.decode("utf-8")).vevent_list
    assert event.summary.value == title
    assert event.location.value == location
    # The model keeps line breaks as "\n" whichever way they were typed; that is what must come
    # back, with every comma, semicolon and backslash as typed.
    assert event.description.value == hostile.description
    assert hostile.description == description.replace("\r\n", "\n").replace("\r", "\n")
    names = {child.name for child in event.getChildren()}
    assert names == {
        "UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "SUMMARY", "DESCRIPTION",
        "LOCATION", "URL", "STATUS", "CATEGORIES", "DTSTART", "DTEND", "TRANSP", "VALARM",
    }  # fmt: skip
    # Lines are folded at 75 octets (RFC 5545 3.1), whatever the text.
    assert all(len(line.encode()) <= 75 for line in body.decode("utf-8").split("\r\n"))
