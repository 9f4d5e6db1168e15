"""Calendar dates in the initiative's time zone, and the UTC instants they start and end at.

Deadlines are calendar days where the Secretariat sits: "due on 15 February" means due before
the next local midnight, whatever the time zone of whoever reads it. Workflows only see UTC
instants computed here, so a tzdata difference between workers can never change a replay.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=32)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def start_of_day(day: date, tz: str) -> datetime:
    """The UTC instant at which local `day` begins."""
    return datetime.combine(day, time(0), tzinfo=zone(tz)).astimezone(UTC)


def end_of_day(day: date, tz: str) -> datetime:
    """The UTC instant at which local `day` ends (the next local midnight): a deadline's instant."""
    return start_of_day(day + timedelta(days=1), tz)


def local_date(instant: datetime, tz: str) -> date:
    """The local calendar date of an instant."""
    return instant.astimezone(zone(tz)).date()


def day_ending_at(instant: datetime, tz: str) -> date:
    """The local day a deadline instant closes (a deadline is the next local midnight)."""
    return local_date(instant - timedelta(microseconds=1), tz)


def as_utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("instants must carry a time zone")
    return instant.astimezone(UTC)


def instant_or_day_start(value: date | datetime, tz: str) -> datetime:
    """A datetime as UTC, or the start of a bare date in the initiative's zone."""
    if isinstance(value, datetime):
        return as_utc(value)
    return start_of_day(value, tz)


def iso_instant(instant: datetime) -> str:
    """The one textual form of an instant in every output: UTC, seconds, `Z`."""
    return as_utc(instant).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
