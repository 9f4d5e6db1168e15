"""Dates and periods in the plain words members read in notices and calendar entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from governance.kernel.timekeeping import zone

# A notice or audit reason names at most this many members, then says how many more there are:
# a 20,000-member initiative's lists would not fit a message (or be read).
LISTED = 40


def day_text(day: date) -> str:
    """`18 May 2027`."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def moment_text(moment: datetime, timezone: str) -> str:
    """`4 May 2027, 10:00 GMT`: the instant on the clocks of its event's time zone, named by
    its abbreviation, or by its offset where the zone has none (`UTC-05` in Lima)."""
    local = moment.astimezone(zone(timezone))
    name = local.tzname() or ""
    offset = "UTC" if name.startswith(("+", "-")) else ""
    return f"{day_text(local.date())}, {local:%H:%M} {offset}{name}"


def date_range_text(starts: date, ends: date) -> str:
    """`on 18 May 2027`, `from 18 to 21 May 2027`, `from 30 April to 3 May 2027`..."""
    if starts == ends:
        return f"on {day_text(starts)}"
    if (starts.year, starts.month) == (ends.year, ends.month):
        return f"from {starts.day} to {day_text(ends)}"
    if starts.year == ends.year:
        return f"from {starts.day} {starts.strftime('%B')} to {day_text(ends)}"
    return f"from {day_text(starts)} to {day_text(ends)}"


def listing(names: Sequence[str], shown: int = LISTED) -> str:
    """`a, b, c and 12 more`."""
    rest = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {rest} more" if rest > 0 else "")


def with_article(word: str) -> str:
    """`a full`, `an engaged`."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
