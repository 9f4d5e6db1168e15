"""Wall-clock times of a group's meetings: naive on purpose, read in the group's zone."""

from datetime import datetime


def wall(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute)  # noqa: DTZ001 -- a wall time, no zone yet
