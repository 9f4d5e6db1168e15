"""A group's meetings: timed events on the wall clock of the group's own time zone.

A meeting is set as people in the group agree it ("Tuesdays at 10:00 in Bogotá"), so its times
are kept as local wall-clock times and its zone is the group's. Three shapes, one model:

- a one-off meeting or workshop: `starts` and `ends` on the same day;
- a visit of several days (a delegation visit, a field visit): `ends` days after `starts`;
- a regular series: `rule`, an RFC 5545 RRULE, repeats the first meeting; one occurrence can be
  moved (`moved`, iCalendar's RECURRENCE-ID) or cancelled (`cancelled`, iCalendar's EXDATE), each
  named by the local start the rule gave it.

Local times become instants as RFC 5545 says: a wall time that a daylight-saving change skips is
read with the offset before the gap (so it happens an hour later by the new clock), and one that
happens twice is the first of the two. Python's `fold=0` does exactly that. A time the group
sets itself (a meeting's start and end, a moved occurrence's) is refused when its clock skips it
(`check_times`); only the rule's later occurrences are read through a gap. The rule itself is
expanded by dateutil, the implementation icalendar and recurring-ical-events also rest on.
"""

from __future__ import annotations

import re
from calendar import isleap
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Annotated

from dateutil.rrule import rrule, rrulestr
from pydantic import (
    AfterValidator,
    Field,
    NaiveDatetime,
    ValidationInfo,
    field_validator,
    model_validator,
)

from governance.kernel.calendar import EventStatus
from governance.kernel.errors import Conflict, InvalidInput, Problem, ValueRefused
from governance.kernel.messages import Message, say
from governance.kernel.model import Frozen, OneLine, Paragraphs, Slug
from governance.kernel.timekeeping import zone

# How far after its first meeting a series is followed. A bound, not a rule of the initiative:
# it keeps checking "is this an occurrence?" finite for a rule without COUNT or UNTIL.
SERIES_HORIZON = timedelta(days=366 * 10)
_RULE_TEXT = re.compile(r"[A-Z0-9=;,+-]{1,300}")
_LOCAL_UNTIL = re.compile(r"[0-9]{8}T[0-9]{6}")
_RULE_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}
)
# Groups meet daily at most: a rule repeating by the hour or minute is refused.
_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
# Wall times are taken within these years: wide enough for any plan or record, and every wall
# time in them is an instant in every zone (31 December 9999 in Lima is past what a datetime
# holds, so feeds and lists would fail on it).
FIRST_YEAR, LAST_YEAR = 1990, 2200
# The most COUNT (as the web form offers it) and INTERVAL may say: a series of a billion
# meetings would be expanded by every calendar that reads the feed, and INTERVAL=0 repeats
# nothing (dateutil fails on it).
_MOST = 1000
# Years as text: a year is no count, and "2 200" (a number in French) is no year.
_YEARS_WRITTEN = {"first": str(FIRST_YEAR), "last": str(LAST_YEAR)}


def _whole_seconds(value: datetime) -> datetime:
    if value.microsecond:
        raise ValueRefused(say("give a time to the second at most (calendars carry no fractions)"))
    return value


def _within_years(value: datetime) -> datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueRefused(
            say("give a time between the years %(first)s and %(last)s", **_YEARS_WRITTEN)
        )
    return value


LocalTime = Annotated[NaiveDatetime, AfterValidator(_whole_seconds), AfterValidator(_within_years)]


def _parts(rule: str) -> dict[str, str]:
    return dict(part.partition("=")[::2] for part in rule.split(";"))


def _rule_text(value: str) -> str:
    if not _RULE_TEXT.fullmatch(value):
        raise ValueRefused(
            say(
                "write an RRULE value such as 'FREQ=WEEKLY;BYDAY=TU;COUNT=10' "
                "(capital letters, digits, '=', ';', ',', '+' and '-')"
            )
        )
    names = {part.partition("=")[0] for part in value.split(";")}
    unknown = sorted(names - _RULE_PARTS)
    if unknown:
        raise ValueRefused(
            say(
                "%(unknown)s not accepted; use %(known)s",
                unknown=", ".join(unknown),
                known=", ".join(sorted(_RULE_PARTS)),
            )
        )
    parts = _parts(value)
    until = parts.get("UNTIL")
    if until is not None and not _LOCAL_UNTIL.fullmatch(until):
        # Kept on the group's wall clock like the meeting; feeds write it in UTC as RFC 5545 asks.
        raise ValueRefused(
            say("give UNTIL as the group's local date and time, like 20271231T235959")
        )
    if until is not None and not FIRST_YEAR <= int(until[:4]) <= LAST_YEAR:
        raise ValueRefused(
            say("give UNTIL between the years %(first)s and %(last)s", **_YEARS_WRITTEN)
        )
    for name in ("COUNT", "INTERVAL"):
        number = parts.get(name, "")
        # other text is left to the rule's reader, whose refusal says what it could not read
        if number.lstrip("+-").isdigit() and not 1 <= int(number) <= _MOST:
            raise ValueRefused(
                say("give %(part)s as a whole number from 1 to %(most)s", part=name, most=_MOST)
            )
    return value


RuleText = Annotated[str, AfterValidator(_rule_text)]


def _count_or_until(value: str) -> str:
    """RFC 5545 (3.3.10): COUNT and UNTIL MUST NOT both be in one rule. Refused in new rules
    only (`NewRuleText`): a meeting stored before keeps loading, and its feed keeps the rule."""
    if {"COUNT", "UNTIL"} <= _parts(value).keys():
        raise ValueRefused(say("give COUNT or UNTIL, not both: the series ends by one of them"))
    return value


NewRuleText = Annotated[RuleText, AfterValidator(_count_or_until)]


class MeetingKind(StrEnum):
    MEETING = "meeting"
    WORKSHOP = "workshop"
    TRAINING = "training"
    FIELD_VISIT = "field_visit"
    DELEGATION_VISIT = "delegation_visit"


def _after_starts(ends: datetime, info: ValidationInfo, refusal: Message) -> datetime:
    """`ends`, refused with `refusal` unless after the `starts` validated before it."""
    starts = info.data.get("starts")
    if starts is not None and ends <= starts:
        raise ValueRefused(refusal)
    return ends


class MovedOccurrence(Frozen):
    """One occurrence of a series at another time (and perhaps place) than the rule gives."""

    recurrence_id: LocalTime
    starts: LocalTime
    ends: LocalTime
    location: Annotated[OneLine, Field(max_length=300)] | None = None
    # Its revision in feeds (iCalendar's SEQUENCE): the series' revision when it was last moved,
    # set by `move_occurrence`, never by the person moving it.
    sequence: Annotated[int, Field(ge=0)] = 0

    # A field's own validator, so the refusal names `ends` (a form shows it beside the field).
    @field_validator("ends")
    @classmethod
    def _ordered(cls, ends: datetime, info: ValidationInfo) -> datetime:
        return _after_starts(ends, info, say("a moved occurrence must end after it starts"))


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One time a meeting takes place, as instants (UTC) and as the group's wall clock."""

    meeting_id: str
    # The local start the rule gave it (a series), or None (a one-off meeting or visit).
    recurrence_id: datetime | None
    starts: datetime
    ends: datetime
    local_starts: datetime
    local_ends: datetime
    location: str | None
    moved: bool


class Meeting(Frozen):
    id: Slug
    group_id: Slug
    title: Annotated[OneLine, Field(min_length=1, max_length=300)]
    kind: MeetingKind = MeetingKind.MEETING
    description: Annotated[Paragraphs, Field(max_length=4000)] = ""
    location: Annotated[OneLine, Field(max_length=300)] | None = None
    starts: LocalTime
    ends: LocalTime
    rule: RuleText | None = None
    moved: tuple[MovedOccurrence, ...] = ()
    cancelled: frozenset[LocalTime] = frozenset()
    # The whole meeting (or series) called off; single occurrences go in `cancelled`.
    status: EventStatus = EventStatus.CONFIRMED
    # How many times it changed since it was planned (iCalendar's SEQUENCE): calendar clients
    # replace a copy they hold only by one with a higher SEQUENCE. Documents stored before it
    # was kept read as 0, which is what they were published with.
    sequence: Annotated[int, Field(ge=0)] = 0

    # The times and the rule are checked by their own fields' validators, so a refusal names
    # `ends` or `rule`; `starts` and `ends` come first, so both are known (when valid) here.
    @field_validator("ends")
    @classmethod
    def _after_start(cls, ends: datetime, info: ValidationInfo) -> datetime:
        return _after_starts(ends, info, say("a meeting must end after it starts"))

    @field_validator("rule")
    @classmethod
    def _repeats(cls, rule: str | None, info: ValidationInfo) -> str | None:
        starts, ends = info.data.get("starts"), info.data.get("ends")
        if rule is None or starts is None or ends is None:
            return rule  # a time's own refusal says what is wrong first
        if ends - starts > timedelta(days=1):
            raise ValueRefused(say("a regular series meets for at most a day each time"))
        problem = _rule_problem(rule, starts)
        if problem is not None:
            raise ValueRefused(problem)
        return rule

    @model_validator(mode="after")
    def _consistent(self) -> Meeting:
        if self.rule is None:
            if self.moved or self.cancelled:
                raise ValueRefused(say("only a regular series has occurrences to move or cancel"))
            return self
        moved_ids = [m.recurrence_id for m in self.moved]
        if len(moved_ids) != len(set(moved_ids)):
            raise ValueRefused(say("an occurrence is moved twice; keep one move per occurrence"))
        if set(moved_ids) & self.cancelled:
            raise ValueRefused(say("an occurrence is both moved and cancelled"))
        strays = [t for t in [*moved_ids, *self.cancelled] if not _is_generated(self, t)]
        if strays:
            raise ValueRefused(
                say(
                    "%(moment)s is not an occurrence of the series",
                    moment=min(strays).isoformat(),
                )
            )
        return self

    @property
    def duration(self) -> timedelta:
        return self.ends - self.starts


def _rule_problem(rule: str, starts: datetime) -> Message | None:
    """Why the rule cannot repeat a meeting first held at `starts`, or None."""
    try:
        parsed = rrulestr(f"RRULE:{rule}", dtstart=starts)
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        return say("the rule cannot be read: %(error)s", error=str(error))
    if not isinstance(parsed, rrule):
        return say("give one RRULE")
    if _parts(rule).get("FREQ") not in _FREQUENCIES:
        return say("a group meets daily at most: use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY")
    until = _parts(rule).get("UNTIL")
    if until is not None and datetime.strptime(until, "%Y%m%dT%H%M%S") < starts:  # noqa: DTZ007 -- a wall time
        return say("the first meeting (starts) must be an occurrence the rule gives")
    try:
        first_is_starts = _first_is(parsed, starts)
    except (ValueError, OverflowError) as error:
        return say("the rule cannot be expanded: %(error)s", error=str(error))
    if not first_is_starts:
        # RFC 5545 leaves a series whose first meeting the rule does not give undefined.
        return say("the first meeting (starts) must be an occurrence the rule gives")
    return None


@cache
def _same_calendar(year: int) -> int:
    """The latest year before 9999 whose calendar is `year`'s (leap or not, 1 January on the same
    weekday): the Gregorian calendar repeats every 400 years, so one is always found."""
    kind = (isleap(year), date(year, 1, 1).weekday())
    return next(
        y for y in range(9998, 9998 - 400, -1) if (isleap(y), date(y, 1, 1).weekday()) == kind
    )


def _first_is(parsed: rrule, starts: datetime) -> bool:
    """Whether the rule's first occurrence is `starts`.

    Only the rule's first period (the day, week, month or year holding `starts`) decides, and
    it reads the same in any year with the same calendar. dateutil follows a rule that never
    occurs (30 February, a set position past every period's days) to the year 9999 before it
    gives up: up to half a minute of CPU for one request. Asked in the latest year with the
    same calendar, it gives up within a few decades. COUNT and UNTIL cannot move the first
    occurrence (UNTIL before `starts` is refused before)."""
    probe = starts.replace(year=_same_calendar(starts.year))
    shifted = parsed.replace(dtstart=probe, until=None, count=None)
    return next(iter(shifted), None) == probe


def _local_rule(meeting: Meeting) -> rrule:
    """The series' rule over naive local wall times: the rule's arithmetic is on the wall clock."""
    parsed = rrulestr(f"RRULE:{meeting.rule}", dtstart=meeting.starts)
    assert isinstance(parsed, rrule)  # checked when the meeting was made
    return parsed


def _is_generated(meeting: Meeting, local_start: datetime) -> bool:
    if local_start > meeting.starts + SERIES_HORIZON or local_start < meeting.starts:
        return False
    return bool(_local_rule(meeting).between(local_start, local_start, inc=True))


def instant(local: datetime, tz: str) -> datetime:
    """The UTC instant of a wall-clock time in `tz`, read as RFC 5545 reads it (fold 0)."""
    return local.replace(tzinfo=zone(tz), fold=0).astimezone(UTC)


def _skipped(local: datetime, tz: str) -> bool:
    """Whether the clocks of `tz` jump over this wall time (a daylight-saving gap): read as an
    instant and back, it comes out as another wall time."""
    return instant(local, tz).astimezone(zone(tz)).replace(tzinfo=None) != local


def check_times(starts: datetime, ends: datetime, tz: str) -> None:
    """Refuse wall times the group's clock never shows, and an end that is no later instant
    than the start.

    Read the RFC 5545 way, a start in a gap moves an hour on while an end after the gap stays:
    01:30-02:30 on the night London's clocks go forward would be a meeting of no length. People
    who set a time the clock skips meant some other time, so they are asked which.
    """
    problems = [
        Problem(
            field,
            say(
                "%(moment)s does not exist in %(zone)s: clocks go forward at this time",
                moment=local.isoformat(),
                zone=tz,
            ),
        )
        for field, local in (("starts", starts), ("ends", ends))
        if _skipped(local, tz)
    ]
    if instant(ends, tz) <= instant(starts, tz):
        problems.append(Problem("ends", say("in %(zone)s this is not after the start", zone=tz)))
    if problems:
        raise InvalidInput(say("the times do not fit the group's time zone"), problems)


def _occurrence(
    meeting: Meeting,
    tz: str,
    recurrence_id: datetime | None,
    local_starts: datetime,
    local_ends: datetime,
    location: str | None,
    moved: bool,
) -> Occurrence:
    return Occurrence(
        meeting_id=meeting.id,
        recurrence_id=recurrence_id,
        starts=instant(local_starts, tz),
        ends=instant(local_ends, tz),
        local_starts=local_starts,
        local_ends=local_ends,
        location=location,
        moved=moved,
    )


def occurrences(
    meeting: Meeting, tz: str, window_from: datetime, window_to: datetime
) -> list[Occurrence]:
    """The times the meeting takes place that overlap [window_from, window_to), by start.

    A called-off meeting takes place no more; a cancelled occurrence is left out and a moved
    one is where it was moved to.
    """
    if meeting.status is EventStatus.CANCELLED:
        return []
    found: list[Occurrence] = []
    if meeting.rule is None:
        found.append(
            _occurrence(meeting, tz, None, meeting.starts, meeting.ends, meeting.location, False)
        )
    else:
        moves = {m.recurrence_id: m for m in meeting.moved}
        # Wall times run ahead of instants by at most a day's offset; a day's slack is enough.
        last_local = window_to.astimezone(zone(tz)).replace(tzinfo=None) + timedelta(days=1)
        last_local = min(last_local, meeting.starts + SERIES_HORIZON)
        for local in _local_rule(meeting).between(meeting.starts, last_local, inc=True):
            if local in meeting.cancelled or local in moves:
                continue
            found.append(
                _occurrence(
                    meeting, tz, local, local, local + meeting.duration, meeting.location, False
                )
            )
        for move in meeting.moved:
            location = move.location if move.location is not None else meeting.location
            found.append(
                _occurrence(meeting, tz, move.recurrence_id, move.starts, move.ends, location, True)
            )
    return sorted(
        (o for o in found if o.starts < window_to and o.ends > window_from),
        key=lambda o: (o.starts, o.recurrence_id or o.local_starts),
    )


def _series(meeting: Meeting) -> None:
    if meeting.rule is None:
        raise InvalidInput(
            say("only a regular series has occurrences to move or cancel"),
            [Problem("recurrence_id", say("meeting %(meeting)r has no rule", meeting=meeting.id))],
        )


def _an_occurrence(meeting: Meeting, recurrence_id: datetime) -> None:
    if not _is_generated(meeting, recurrence_id):
        raise InvalidInput(
            say("no such occurrence"),
            [
                Problem(
                    "recurrence_id",
                    say(
                        "%(recurrence_id)s is not given by the rule",
                        recurrence_id=recurrence_id.isoformat(),
                    ),
                )
            ],
        )
    if recurrence_id in meeting.cancelled:
        raise Conflict(
            say("that occurrence is cancelled"),
            [
                Problem(
                    "recurrence_id",
                    say("%(recurrence_id)s was cancelled", recurrence_id=recurrence_id.isoformat()),
                )
            ],
        )


def move_occurrence(meeting: Meeting, move: MovedOccurrence) -> Meeting:
    """The series with one occurrence at another time; moving it again replaces the move. It
    may not overlap another occurrence of the series (one the rule gives, not cancelled, or one
    moved already): two meetings of one series at once is a slip, and the one it would overlap
    can be moved or cancelled first."""
    _series(meeting)
    _an_occurrence(meeting, move.recurrence_id)
    clash = _overlapped(meeting, move)
    if clash is not None:
        raise Conflict(
            say("the moved occurrence would overlap another occurrence of the series"),
            [
                Problem(
                    "starts",
                    say(
                        "the occurrence of %(moment)s takes place then; move or cancel it first",
                        moment=clash.isoformat(),
                    ),
                )
            ],
        )
    revision = meeting.sequence + 1
    others = tuple(m for m in meeting.moved if m.recurrence_id != move.recurrence_id)
    moved = move.model_copy(update={"sequence": revision})
    return meeting.model_copy(update={"moved": (*others, moved), "sequence": revision})


def _overlapped(meeting: Meeting, move: MovedOccurrence) -> datetime | None:
    """The recurrence id of the first other occurrence that `move` would overlap, or None. On
    the wall clock, as the series' own times are: the group's clock is the same for both."""
    elsewhere = {m.recurrence_id for m in meeting.moved} | meeting.cancelled
    last = meeting.starts + SERIES_HORIZON
    clashes = [
        local
        for local in (
            # strictly inside: one that ends as the move starts, or starts as it ends, is apart
            _local_rule(meeting).between(move.starts - meeting.duration, move.ends)
            if move.starts - meeting.duration < last
            else []
        )
        if local <= last and local != move.recurrence_id and local not in elsewhere
    ]
    clashes += [
        m.recurrence_id
        for m in meeting.moved
        if m.recurrence_id != move.recurrence_id and m.starts < move.ends and m.ends > move.starts
    ]
    return min(clashes, default=None)


def cancel_occurrence(meeting: Meeting, recurrence_id: datetime) -> Meeting:
    """The series without one occurrence (moved or not)."""
    _series(meeting)
    _an_occurrence(meeting, recurrence_id)
    return meeting.model_copy(
        update={
            "moved": tuple(m for m in meeting.moved if m.recurrence_id != recurrence_id),
            "cancelled": meeting.cancelled | {recurrence_id},
            "sequence": meeting.sequence + 1,
        }
    )


def find_occurrence(meeting: Meeting, tz: str, recurrence_id: datetime | None) -> Occurrence:
    """The one occurrence named (None for a one-off meeting), wherever it was moved to."""
    if meeting.status is EventStatus.CANCELLED:
        raise Conflict(say("the meeting was called off"), [Problem("meeting", meeting.id)])
    if meeting.rule is None:
        if recurrence_id is not None:
            raise InvalidInput(
                say("a one-off meeting has a single occurrence"),
                [Problem("recurrence_id", say("leave it out for a one-off meeting or visit"))],
            )
        return _occurrence(meeting, tz, None, meeting.starts, meeting.ends, meeting.location, False)
    if recurrence_id is None:
        raise InvalidInput(
            say("name the occurrence of the series"),
            [
                Problem(
                    "recurrence_id", say("missing: the local start the rule gave the occurrence")
                )
            ],
        )
    _an_occurrence(meeting, recurrence_id)
    move = next((m for m in meeting.moved if m.recurrence_id == recurrence_id), None)
    if move is not None:
        location = move.location if move.location is not None else meeting.location
        return _occurrence(meeting, tz, recurrence_id, move.starts, move.ends, location, True)
    return _occurrence(
        meeting,
        tz,
        recurrence_id,
        recurrence_id,
        recurrence_id + meeting.duration,
        meeting.location,
        False,
    )
