"""Calendar days in a time zone, and the UTC instants they start and end at."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.timekeeping import (
    as_utc,
    end_of_day,
    instant_or_day_start,
    iso_instant,
    local_date,
    start_of_day,
)

TORONTO = "America/Toronto"


def test_a_winter_day_in_ottawa_starts_at_five_utc() -> None:
    assert start_of_day(date(2027, 1, 15), TORONTO) == datetime(2027, 1, 15, 5, 0, tzinfo=UTC)


def test_a_summer_day_in_ottawa_starts_at_four_utc() -> None:
    assert start_of_day(date(2027, 7, 15), TORONTO) == datetime(2027, 7, 15, 4, 0, tzinfo=UTC)


def test_the_day_clocks_go_forward_is_23_hours_long() -> None:
    day = date(2027, 3, 14)
    assert start_of_day(day, TORONTO) == datetime(2027, 3, 14, 5, 0, tzinfo=UTC)
    assert end_of_day(day, TORONTO) == datetime(2027, 3, 15, 4, 0, tzinfo=UTC)
    assert end_of_day(day, TORONTO) - start_of_day(day, TORONTO) == timedelta(hours=23)


def test_the_day_clocks_go_back_is_25_hours_long() -> None:
    day = date(2027, 11, 7)
    assert start_of_day(day, TORONTO) == datetime(2027, 11, 7, 4, 0, tzinfo=UTC)
    assert end_of_day(day, TORONTO) == datetime(2027, 11, 8, 5, 0, tzinfo=UTC)
    assert end_of_day(day, TORONTO) - start_of_day(day, TORONTO) == timedelta(hours=25)


def test_the_days_around_a_change_are_24_hours_long() -> None:
    for day in (date(2027, 3, 13), date(2027, 3, 15), date(2027, 11, 6), date(2027, 11, 8)):
        assert end_of_day(day, TORONTO) - start_of_day(day, TORONTO) == timedelta(hours=24)


def test_instants_are_returned_in_utc() -> None:
    assert start_of_day(date(2027, 3, 14), TORONTO).tzinfo is UTC
    assert end_of_day(date(2027, 3, 14), TORONTO).tzinfo is UTC


def test_a_deadline_instant_is_still_the_deadline_day_in_ottawa_a_moment_before() -> None:
    deadline = end_of_day(date(2027, 2, 15), TORONTO)
    assert local_date(deadline - timedelta(microseconds=1), TORONTO) == date(2027, 2, 15)
    assert local_date(deadline, TORONTO) == date(2027, 2, 16)


def test_the_local_date_of_an_evening_in_ottawa_is_the_day_before_in_utc() -> None:
    evening = datetime(2027, 1, 5, 3, 30, tzinfo=UTC)  # 22:30 on 4 January in Ottawa
    assert local_date(evening, TORONTO) == date(2027, 1, 4)
    assert local_date(evening, "UTC") == date(2027, 1, 5)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="must carry a time zone"):
        as_utc(datetime(2027, 1, 4, 9, 0))  # noqa: DTZ001 -- the point of the test


def test_an_aware_datetime_is_converted_to_utc() -> None:
    paris = timezone(timedelta(hours=1))
    converted = as_utc(datetime(2027, 1, 4, 9, 0, tzinfo=paris))
    assert converted == datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
    assert converted.tzinfo is UTC


def test_a_bare_date_is_the_start_of_that_local_day() -> None:
    assert instant_or_day_start(date(2027, 3, 14), TORONTO) == datetime(
        2027, 3, 14, 5, 0, tzinfo=UTC
    )


def test_a_datetime_is_kept_as_its_instant() -> None:
    instant = datetime(2027, 3, 14, 12, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert instant_or_day_start(instant, TORONTO) == datetime(2027, 3, 14, 16, 0, tzinfo=UTC)


def test_a_naive_datetime_is_not_mistaken_for_a_date() -> None:
    with pytest.raises(ValueError, match="must carry a time zone"):
        instant_or_day_start(datetime(2027, 3, 14, 12, 0), TORONTO)  # noqa: DTZ001


def test_iso_instant_is_utc_to_the_second_with_a_z() -> None:
    instant = datetime(2027, 3, 14, 1, 2, 3, 999_999, tzinfo=timezone(timedelta(hours=-5)))
    assert iso_instant(instant) == "2027-03-14T06:02:03Z"


def test_iso_instant_of_a_utc_midnight() -> None:
    assert iso_instant(datetime(2027, 1, 1, tzinfo=UTC)) == "2027-01-01T00:00:00Z"


def test_iso_instant_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="must carry a time zone"):
        iso_instant(datetime(2027, 3, 14, 1, 2, 3))  # noqa: DTZ001


ZONES = ["America/Toronto", "Europe/London", "Asia/Kolkata", "Pacific/Auckland", "UTC"]
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=500, deadline=None, database=None)
@given(day=days, tz=st.sampled_from(ZONES))
def test_a_day_starts_on_itself_and_ends_where_the_next_one_starts(day: date, tz: str) -> None:
    starts = start_of_day(day, tz)
    assert local_date(starts, tz) == day
    assert local_date(starts - timedelta(microseconds=1), tz) == day - timedelta(days=1)
    assert end_of_day(day, tz) == start_of_day(day + timedelta(days=1), tz)
    assert timedelta(hours=23) <= end_of_day(day, tz) - starts <= timedelta(hours=25)
