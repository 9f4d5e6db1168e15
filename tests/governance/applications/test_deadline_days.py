"""A period counts whole local days from the day its step was taken, whoever took it.

A step taken by a deadline's timer happens at the instant that deadline's day ends (the next
local midnight). Counted from the day that instant falls on, a review closed by its deadline
opened a no-objection period one day longer than a review closed by a vote a minute earlier.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from governance.applications.model import DeadlineKind
from governance.applications.timeline import deadline_after
from governance.kernel.timekeeping import end_of_day

ZONES = ("America/Toronto", "Europe/London", "Asia/Kolkata", "Pacific/Auckland", "UTC")


@given(
    day=st.dates(date(2024, 1, 1), date(2032, 12, 31)),
    days=st.integers(1, 60),
    tz=st.sampled_from(ZONES),
)
def test_a_period_opened_by_a_deadline_timer_ends_when_one_opened_by_hand_does(
    day: date, days: int, tz: str
) -> None:
    closed_by_timer = end_of_day(day, tz)
    by_the_last_vote = closed_by_timer - timedelta(minutes=1)
    timed = deadline_after(DeadlineKind.NO_OBJECTION, closed_by_timer, days, tz)
    by_hand = deadline_after(DeadlineKind.NO_OBJECTION, by_the_last_vote, days, tz)
    assert timed.due_date == by_hand.due_date == day + timedelta(days=days)
    assert timed.due == end_of_day(day + timedelta(days=days), tz)


def test_a_review_closed_by_its_deadline_opens_fourteen_days_of_no_objection() -> None:
    review_due = date(2027, 2, 26)
    closed = end_of_day(review_due, "America/Toronto")
    period = deadline_after(DeadlineKind.NO_OBJECTION, closed, 14, "America/Toronto")
    assert period.due_date == date(2027, 3, 12)
    assert period.set_at == closed
