"""Published events as an iCalendar (RFC 5545) document.

The same events always give the same bytes: DTSTAMP is the event's own last change (never the
time of the request), events are ordered by UID, and VTIMEZONE spans only the years used. So a
feed can be cached, compared and tested byte for byte.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Component, Event, vDDDLists, vDuration, vText

from governance.kernel.calendar import EventStatus, PublishedEvent
from governance.kernel.text import shown as readable
from governance.kernel.timekeeping import zone
from govsched.feeds.reading import ENGLISH, FeedReader

PRODID = "-//govsched//governance calendar//EN"
_BUSY_ALL_DAY = frozenset({"plenary"})

# RFC 5545 forbids control characters in TEXT except tab and line breaks (which are escaped).
_CONTROL = dict.fromkeys((*range(0, 9), 11, 12, *range(14, 32), 127))


class _Text(vText):
    """A TEXT value escaped exactly as RFC 5545 section 3.3.11 says, and nothing more.

    icalendar's own escaping first turns a literal backslash-N into a line break, so a title
    like "C:\\New folder" would change meaning in members' calendars.
    """

    def to_ical(self) -> bytes:
        text = readable(str(self)).translate(_CONTROL)
        text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
        return text.encode("utf-8")


def item_url(base_url: str, uid: str) -> str:
    """Where a person reads the item an event stands for: the workspace's page, which a
    calendar program opens in a browser (the API's `GET /calendar-items/ID` answers JSON)."""
    return f"{base_url.rstrip('/')}/web/calendar-items/{uid.partition('@')[0]}"


def _alarm(summary: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    # DISPLAY alarms must carry a DESCRIPTION (RFC 5545 3.6.6); the event's title says what.
    alarm.add("description", _Text(summary))
    alarm.add("trigger", -before)
    return alarm


def _vevent(
    published: PublishedEvent,
    tz: str,
    base_url: str | None,
    alarm: timedelta | None,
    reader: FeedReader,
) -> Event:
    item = published.item
    title = reader.text(item.title, item.title_message)
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", published.last_modified)
    event.add("created", published.created)
    event.add("last-modified", published.last_modified)
    event.add("sequence", published.sequence)
    event.add("summary", _Text(title))
    if item.description:
        event.add("description", _Text(reader.text(item.description, item.description_message)))
    if item.location:
        event.add("location", _Text(item.location))
    if item.url:
        event.add("url", item.url)
    elif base_url is not None:
        event.add("url", item_url(base_url, item.uid))
    event.add("status", "CANCELLED" if item.status is EventStatus.CANCELLED else "CONFIRMED")
    event.add("categories", [item.kind])
    if item.start_date is not None:
        last_day = item.end_date or item.start_date
        event.add("dtstart", item.start_date)
        # DTEND of an all-day event is exclusive: the day after the last day.
        event.add("dtend", last_day + timedelta(days=1))
        # A deadline leaves the day free; the plenary's days are taken (people travel to it).
        event.add("transp", "OPAQUE" if item.kind in _BUSY_ALL_DAY else "TRANSPARENT")
    elif item.starts is not None:
        event.add("dtstart", item.starts.astimezone(zone(tz)))
        if item.ends is not None:
            event.add("dtend", item.ends.astimezone(zone(tz)))
        # Timed events are meetings people attend: busy in free/busy, where deadlines are not.
        event.add("transp", "OPAQUE")
    # A cancelled event must not ring; calendars drop it as soon as they read the status.
    if alarm is not None and item.status is not EventStatus.CANCELLED:
        event.add_component(_alarm(title, alarm))
    return event


def _still_shown(published: PublishedEvent, now: datetime, retention: timedelta) -> bool:
    """Cancelled events stay for a while, so calendars that saw them learn they are cancelled."""
    if published.item.status is not EventStatus.CANCELLED:
        return True
    return now - published.last_modified <= retention


def _years(events: list[PublishedEvent]) -> tuple[date, date] | None:
    starts = [e.item.starts for e in events if e.item.starts is not None]
    if not starts:
        return None
    first, last = min(starts), max(e.item.ends or e.item.starts for e in events if e.item.starts)
    return date(first.year - 1, 1, 1), date(last.year + 2, 1, 1)


def _one_observance_per_onset(calendar: Calendar) -> None:
    """Rewrite each VTIMEZONE observance listing its later onsets in RDATE as one observance
    per onset. Both forms are RFC 5545, but vobject (and with it Radicale's time-range queries)
    reads only the first RDATE onset, so every event after it came out an hour off; the plainer
    form asks the least of any reader. icalendar still computes the onsets."""
    for timezone in calendar.walk("VTIMEZONE"):
        observances: list[tuple[datetime, Component]] = []
        for observance in timezone.subcomponents:
            rdates = observance.pop("RDATE", [])
            lists = rdates if isinstance(rdates, list) else [rdates]
            onsets = [observance.decoded("DTSTART")]
            onsets += [d.dt for value in lists if isinstance(value, vDDDLists) for d in value.dts]
            for onset in onsets:
                single = observance.copy()
                single.subcomponents = []
                single.pop("DTSTART")
                single.add("dtstart", onset)
                observances.append((onset, single))
        timezone.subcomponents = [o for _, o in sorted(observances, key=lambda pair: pair[0])]


def render_calendar(
    events: list[PublishedEvent],
    *,
    name: str,
    tz: str,
    refresh: timedelta,
    now: datetime,
    retention: timedelta,
    base_url: str | None = None,
    alarm: timedelta | None = None,
    reader: FeedReader = ENGLISH,
) -> bytes:
    """The feed for `events` as seen at `now` (which decides only which cancellations expired).

    `base_url` adds a URL back to each item that has none of its own; `alarm` adds a display
    alarm that long before each event that still takes place (a person's preference).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _Text(name))
    calendar.add("x-wr-timezone", tz)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    # An X- property has no declared type, so the duration is written out as text (PT6H).
    ttl: bytes = vDuration(refresh).to_ical()  # type: ignore[no-untyped-call]
    calendar.add("x-published-ttl", ttl.decode("ascii"))
    shown = sorted((e for e in events if _still_shown(e, now, retention)), key=lambda e: e.item.uid)
    for published in shown:
        calendar.add_component(_vevent(published, tz, base_url, alarm, reader))
    span = _years(shown)
    if span is not None:
        calendar.add_missing_timezones(first_date=span[0], last_date=span[1])
        _one_observance_per_onset(calendar)
    body: bytes = calendar.to_ical()
    return body
