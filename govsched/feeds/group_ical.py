"""A group's meetings as an iCalendar (RFC 5545) feed in the group's own time zone.

Times are written as the group agreed them: DTSTART and DTEND with the group's TZID, and the
VTIMEZONE that defines it, so every calendar shows 10:00 in Bogotá as 10:00 in Bogotá, whatever
its reader's zone. A regular series is one VEVENT with its RRULE; a cancelled occurrence is an
EXDATE on it; a moved one is a VEVENT of its own with the same UID and a RECURRENCE-ID naming
the local start the rule gave it. SEQUENCE is the meeting's revision on the series and the
revision at its last move on a moved occurrence, so a client holding an older copy of either
replaces it. Readers therefore expand the series themselves, and must get
what `governance.groups.meetings.occurrences` gets (tests/feeds/test_group_feed.py checks two).

The same inputs always give the same bytes: DTSTAMP is the instant given by the caller, events
are ordered by UID and then by RECURRENCE-ID.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from governance.groups.meetings import SERIES_HORIZON, Meeting, instant
from governance.groups.model import Group
from governance.kernel.calendar import EventStatus, item_uid

# The feed text escaping and VTIMEZONE layout of every other feed: one way for all of them.
from govsched.feeds.ical import PRODID
from govsched.feeds.ical import _one_observance_per_onset as one_observance_per_onset
from govsched.feeds.ical import _Text as Text


def meeting_uid(meeting_id: str, domain: str) -> str:
    return item_uid(f"group-meeting-{meeting_id}", domain)


def _at(event: Event, name: str, wall: datetime | list[datetime], tz: str) -> None:
    """A wall time with the group's TZID. Written from the naive wall time, because icalendar
    would write an aware time in a zone that is always UTC+0 (Accra) as UTC, without the TZID
    and VTIMEZONE every feed carries."""
    event.add(name, wall, parameters={"TZID": tz})


def rule_for_feed(rule: str, tz: str) -> vRecur:
    """The RRULE as RFC 5545 wants it beside a DTSTART with TZID: UNTIL in UTC."""
    parts = []
    for part in rule.split(";"):
        name, _, value = part.partition("=")
        if name == "UNTIL":
            local = datetime.strptime(value, "%Y%m%dT%H%M%S")  # noqa: DTZ007 -- a wall time
            value = instant(local, tz).strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{name}={value}")
    recur: vRecur = vRecur.from_ical(";".join(parts))
    return recur


def _alarm(title: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", Text(title))
    alarm.add("trigger", -before)
    return alarm


def _base(
    meeting: Meeting, group: Group, domain: str, stamp: datetime, alarm: timedelta | None
) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting.id, domain))
    event.add("dtstamp", stamp)
    event.add("summary", Text(f"{group.name}: {meeting.title}"))
    if meeting.description:
        event.add("description", Text(meeting.description))
    event.add("categories", [meeting.kind.value])
    event.add("transp", "OPAQUE")
    called_off = meeting.status is EventStatus.CANCELLED
    event.add("status", "CANCELLED" if called_off else "CONFIRMED")
    if alarm is not None and not called_off:
        event.add_component(_alarm(f"{group.name}: {meeting.title}", alarm))
    return event


def _events(
    meeting: Meeting, group: Group, domain: str, stamp: datetime, alarm: timedelta | None
) -> list[Event]:
    tz = group.timezone
    master = _base(meeting, group, domain, stamp, alarm)
    master.add("sequence", meeting.sequence)
    _at(master, "dtstart", meeting.starts, tz)
    _at(master, "dtend", meeting.ends, tz)
    if meeting.location:
        master.add("location", Text(meeting.location))
    if meeting.rule is None:
        return [master]
    master.add("rrule", rule_for_feed(meeting.rule, tz))
    if meeting.cancelled:
        _at(master, "exdate", sorted(meeting.cancelled), tz)
    events = [master]
    for move in sorted(meeting.moved, key=lambda m: m.recurrence_id):
        moved = _base(meeting, group, domain, stamp, alarm)
        moved.add("sequence", move.sequence)
        _at(moved, "recurrence-id", move.recurrence_id, tz)
        _at(moved, "dtstart", move.starts, tz)
        _at(moved, "dtend", move.ends, tz)
        location = move.location if move.location is not None else meeting.location
        if location:
            moved.add("location", Text(location))
        events.append(moved)
    return events


def _span(meetings: list[Meeting]) -> tuple[date, date]:
    """The years the zone must be defined for: from the first meeting to the last one a series
    can reach (a series without an end is followed for SERIES_HORIZON)."""
    first = min(m.starts for m in meetings)
    last = max(
        [m.ends for m in meetings]
        + [t.ends for m in meetings for t in m.moved]
        + [m.starts + SERIES_HORIZON for m in meetings if m.rule is not None]
    )
    return date(first.year - 1, 1, 1), date(last.year + 2, 1, 1)


def render_group_calendar(
    group: Group,
    meetings: list[Meeting],
    *,
    domain: str,
    stamp: datetime,
    refresh: timedelta,
    alarm: timedelta | None = None,
) -> bytes:
    """The group feed: every meeting of the group, with a display alarm `alarm` before each
    meeting that still takes place (none when `alarm` is None)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", Text(group.name))
    calendar.add("x-wr-timezone", group.timezone)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    for meeting in sorted(meetings, key=lambda m: m.id):
        for event in _events(meeting, group, domain, stamp.astimezone(UTC), alarm):
            calendar.add_component(event)
    if meetings:
        first, last = _span(meetings)
        calendar.add_missing_timezones(first_date=first, last_date=last)
        one_observance_per_onset(calendar)
    body: bytes = calendar.to_ical()
    return body
