"""A group's regular meetings keep their local hour across daylight-saving changes, in zones
without DST (Accra), with a non-hour offset (Yangon, Adelaide) and southern-hemisphere DST
(Santiago, Adelaide); moved and cancelled occurrences are where the series says."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from governance.groups.meetings import (
    Meeting,
    MovedOccurrence,
    cancel_occurrence,
    check_times,
    instant,
    move_occurrence,
    occurrences,
)
from governance.kernel.errors import Conflict, InvalidInput
from tests.governance.groups.walls import wall

ZONES = [
    "Africa/Accra",  # no daylight-saving time, UTC+0
    "Asia/Yangon",  # UTC+06:30, no DST
    "America/Santiago",  # southern hemisphere, DST changes at local midnight
    "Australia/Adelaide",  # southern hemisphere, DST, UTC+09:30/+10:30
    "America/Bogota",
]
EVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def weekly(starts: datetime, count: int, **changes: object) -> Meeting:
    return Meeting(
        id="monthly-dialogue",
        group_id="colombia",
        title="Security and human rights dialogue",
        starts=starts,
        ends=starts + timedelta(hours=2),
        rule=f"FREQ=WEEKLY;COUNT={count}",
        **changes,
    )


def local(o_starts: datetime, tz: str) -> datetime:
    return o_starts.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def test_santiago_meets_at_ten_before_and_after_the_april_change() -> None:
    meeting = weekly(wall(2026, 3, 24, 10, 0), 4)
    found = occurrences(meeting, "America/Santiago", *EVER)
    assert [o.starts for o in found] == [
        datetime(2026, 3, 24, 13, 0, tzinfo=UTC),  # summer time, UTC-3
        datetime(2026, 3, 31, 13, 0, tzinfo=UTC),
        datetime(2026, 4, 7, 14, 0, tzinfo=UTC),  # winter time from 5 April, UTC-4
        datetime(2026, 4, 14, 14, 0, tzinfo=UTC),
    ]
    assert {local(o.starts, "America/Santiago").time() for o in found} == {time(10, 0)}


def test_a_wall_time_the_change_skips_is_read_with_the_offset_before_it() -> None:
    # 6 September 2026: Santiago's clocks go from 00:00 to 01:00, so 00:30 does not exist that
    # day; RFC 5545 reads it with the offset before the gap (UTC-4): 01:30 by the new clock.
    meeting = weekly(wall(2026, 8, 30, 0, 30), 2)
    first, second = occurrences(meeting, "America/Santiago", *EVER)
    assert first.starts == datetime(2026, 8, 30, 4, 30, tzinfo=UTC)
    assert second.starts == datetime(2026, 9, 6, 4, 30, tzinfo=UTC)
    assert local(second.starts, "America/Santiago") == wall(2026, 9, 6, 1, 30)
    assert second.recurrence_id == wall(2026, 9, 6, 0, 30)


def test_a_wall_time_that_happens_twice_is_the_first_of_the_two() -> None:
    # 4 April 2026: Santiago's hour 23:00-24:00 happens twice; the first is summer time (UTC-3).
    meeting = weekly(wall(2026, 4, 4, 23, 30), 1)
    [only] = occurrences(meeting, "America/Santiago", *EVER)
    assert only.starts == datetime(2026, 4, 5, 2, 30, tzinfo=UTC)


def test_adelaide_keeps_its_half_hour_offset_across_the_october_change() -> None:
    meeting = weekly(wall(2026, 9, 29, 9, 0), 2)
    before, after = occurrences(meeting, "Australia/Adelaide", *EVER)
    assert before.starts == datetime(2026, 9, 28, 23, 30, tzinfo=UTC)  # UTC+09:30
    assert after.starts == datetime(2026, 10, 5, 22, 30, tzinfo=UTC)  # UTC+10:30


def test_yangon_and_accra_never_shift() -> None:
    meeting = weekly(wall(2026, 3, 24, 10, 0), 40)
    yangon = occurrences(meeting, "Asia/Yangon", *EVER)
    accra = occurrences(meeting, "Africa/Accra", *EVER)
    assert {o.starts.time() for o in yangon} == {time(3, 30)}
    assert {o.starts.time() for o in accra} == {time(10, 0)}


def test_a_moved_occurrence_keeps_its_recurrence_id_and_a_cancelled_one_is_gone() -> None:
    meeting = weekly(wall(2026, 3, 24, 10, 0), 4)
    meeting = move_occurrence(
        meeting,
        MovedOccurrence(
            recurrence_id=wall(2026, 3, 31, 10, 0),
            starts=wall(2026, 4, 1, 15, 0),
            ends=wall(2026, 4, 1, 17, 0),
            location="Cusco",
        ),
    )
    meeting = cancel_occurrence(meeting, wall(2026, 4, 7, 10, 0))
    found = occurrences(meeting, "America/Lima", *EVER)
    assert [(o.recurrence_id, o.local_starts, o.moved) for o in found] == [
        (wall(2026, 3, 24, 10, 0), wall(2026, 3, 24, 10, 0), False),
        (wall(2026, 3, 31, 10, 0), wall(2026, 4, 1, 15, 0), True),
        (wall(2026, 4, 14, 10, 0), wall(2026, 4, 14, 10, 0), False),
    ]
    assert found[1].location == "Cusco"


def test_cancelling_a_moved_occurrence_drops_the_move() -> None:
    meeting = weekly(wall(2026, 3, 24, 10, 0), 2)
    moved = move_occurrence(
        meeting,
        MovedOccurrence(
            recurrence_id=wall(2026, 3, 31, 10, 0),
            starts=wall(2026, 3, 31, 12, 0),
            ends=wall(2026, 3, 31, 13, 0),
        ),
    )
    cancelled = cancel_occurrence(moved, wall(2026, 3, 31, 10, 0))
    assert cancelled.moved == ()
    assert len(occurrences(cancelled, "Africa/Accra", *EVER)) == 1
    with pytest.raises(Conflict):
        cancel_occurrence(cancelled, wall(2026, 3, 31, 10, 0))


@pytest.mark.parametrize(
    "recurrence_id",
    [wall(2026, 3, 25, 10, 0), wall(2026, 3, 24, 10, 1), wall(2026, 5, 5, 10, 0)],
)
def test_only_an_occurrence_the_rule_gives_can_be_moved_or_cancelled(
    recurrence_id: datetime,
) -> None:
    meeting = weekly(wall(2026, 3, 24, 10, 0), 4)
    with pytest.raises(InvalidInput, match="no such occurrence"):
        cancel_occurrence(meeting, recurrence_id)
    with pytest.raises(InvalidInput, match="no such occurrence"):
        move_occurrence(
            meeting,
            MovedOccurrence(
                recurrence_id=recurrence_id,
                starts=wall(2026, 6, 1, 9, 0),
                ends=wall(2026, 6, 1, 10, 0),
            ),
        )


@st.composite
def series(draw: st.DrawFn) -> tuple[Meeting, str, list[datetime], dict[datetime, datetime]]:
    """A daily or weekly series, some occurrences cancelled and some moved, in a drawn zone."""
    tz = draw(st.sampled_from(ZONES))
    # Local times around the changes on purpose: midnight (Santiago's), 02:00-03:00 (Adelaide's).
    at = draw(st.sampled_from([time(0, 0), time(0, 30), time(2, 30), time(9, 0), time(23, 30)]))
    first = datetime.combine(draw(st.dates(date(2026, 1, 1), date(2027, 12, 31))), at)
    step = draw(st.sampled_from([("DAILY", 1), ("DAILY", 3), ("WEEKLY", 1), ("WEEKLY", 2)]))
    count = draw(st.integers(1, 40))
    every = timedelta(days=step[1] * (7 if step[0] == "WEEKLY" else 1))
    # Expected from date arithmetic alone, independently of the RRULE library.
    walls = [first + every * n for n in range(count)]
    meeting = Meeting(
        id="series",
        group_id="group",
        title="Regular meeting",
        starts=first,
        ends=first + timedelta(minutes=draw(st.integers(15, 600))),
        rule=f"FREQ={step[0]};INTERVAL={step[1]};COUNT={count}",
    )
    cancelled = draw(st.sets(st.sampled_from(walls), max_size=count // 2))
    movable = [w for w in walls if w not in cancelled]
    moves = draw(
        st.dictionaries(
            st.sampled_from(movable),
            st.integers(-72 * 4, 72 * 4).map(lambda q: timedelta(minutes=15 * q)),
            max_size=3,
        )
    )
    kept = {}
    for when, shift in moves.items():
        move = MovedOccurrence(
            recurrence_id=when, starts=when + shift, ends=when + shift + timedelta(hours=1)
        )
        try:
            meeting = move_occurrence(meeting, move)
        except Conflict:  # onto another occurrence: refused (the test below)
            continue
        kept[when] = when + shift
    for when in cancelled:
        meeting = cancel_occurrence(meeting, when)
    return meeting, tz, walls, kept


@settings(max_examples=80)
@given(series(), st.data())
def test_a_move_is_refused_exactly_when_it_would_overlap_another_occurrence(
    drawn: tuple[Meeting, str, list[datetime], dict[datetime, datetime]], data: st.DataObject
) -> None:
    meeting, _, walls, moves = drawn
    # Every occurrence's wall-clock span, from date arithmetic alone: a moved one lasts an hour.
    spans = {
        w: (moves[w], moves[w] + timedelta(hours=1)) if w in moves else (w, w + meeting.duration)
        for w in walls
        if w not in meeting.cancelled
    }
    assume(spans)  # with every occurrence cancelled there is nothing to move
    which = data.draw(st.sampled_from(sorted(spans)))
    starts = which + data.draw(st.integers(-96, 96).map(lambda q: timedelta(minutes=15 * q)))
    ends = starts + data.draw(st.integers(1, 40).map(lambda q: timedelta(minutes=15 * q)))
    overlapped = sorted(w for w, (s, e) in spans.items() if w != which and s < ends and e > starts)
    move = MovedOccurrence(recurrence_id=which, starts=starts, ends=ends)
    if overlapped:
        with pytest.raises(Conflict) as refused:
            move_occurrence(meeting, move)
        assert refused.value.problems[0].path == "starts"
        assert overlapped[0].isoformat() in refused.value.problems[0].reason
    else:
        moved = move_occurrence(meeting, move)
        assert {m.recurrence_id: m.starts for m in moved.moved}[which] == starts


def test_moving_onto_the_next_weeks_slot_is_refused_until_that_one_is_cancelled() -> None:
    meeting = weekly(wall(2026, 3, 24, 10, 0), 3)
    onto_next = MovedOccurrence(
        recurrence_id=wall(2026, 3, 24, 10, 0),
        starts=wall(2026, 3, 31, 11, 0),
        ends=wall(2026, 3, 31, 12, 0),
    )
    with pytest.raises(Conflict, match="overlap another occurrence"):
        move_occurrence(meeting, onto_next)
    # back to back is not an overlap
    after = onto_next.model_copy(
        update={"starts": wall(2026, 3, 31, 12, 0), "ends": wall(2026, 3, 31, 13, 0)}
    )
    assert len(move_occurrence(meeting, after).moved) == 1
    freed = cancel_occurrence(meeting, wall(2026, 3, 31, 10, 0))
    assert len(move_occurrence(freed, onto_next).moved) == 1


@settings(max_examples=60)
@given(series())
def test_the_series_is_the_rule_less_cancellations_with_moves_in_place(
    drawn: tuple[Meeting, str, list[datetime], dict[datetime, datetime]],
) -> None:
    meeting, tz, walls, moves = drawn
    found = occurrences(meeting, tz, *EVER)
    expected = [w for w in walls if w not in meeting.cancelled]
    assert sorted(o.recurrence_id for o in found if o.recurrence_id) == expected
    assert [o.starts for o in found] == sorted(o.starts for o in found)
    for o in found:
        assert o.recurrence_id is not None
        planned = moves.get(o.recurrence_id, o.recurrence_id)
        assert o.moved == (o.recurrence_id in moves)
        assert o.local_starts == planned
        assert o.starts == instant(planned, tz)
        # The local hour is the series' own, except where a change skips it: then it is read
        # with the offset before the gap, so the clock on the wall shows it later by the gap.
        shown = local(o.starts, tz)
        if shown != planned:
            assert timedelta(0) < shown - planned <= timedelta(hours=1)
            assert instant(shown, tz) == o.starts
            assert local(instant(planned, tz), tz) != planned


@settings(max_examples=40)
@given(series(), st.integers(0, 800), st.integers(1, 400))
def test_a_window_shows_exactly_the_occurrences_that_overlap_it(
    drawn: tuple[Meeting, str, list[datetime], dict[datetime, datetime]],
    from_day: int,
    days: int,
) -> None:
    meeting, tz, _, _ = drawn
    everything = occurrences(meeting, tz, *EVER)
    window_from = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=from_day)
    window_to = window_from + timedelta(days=days)
    assert occurrences(meeting, tz, window_from, window_to) == [
        o for o in everything if o.starts < window_to and o.ends > window_from
    ]


def test_times_the_clocks_skip_are_refused_and_an_end_must_be_a_later_instant() -> None:
    """Europe/London goes from 01:00 to 02:00 on 28 March 2027: 01:30 is on no clock there,
    and read as RFC 5545 reads it, 01:30-02:30 would last no time at all."""
    with pytest.raises(InvalidInput) as refused:
        check_times(wall(2027, 3, 28, 1, 30), wall(2027, 3, 28, 2, 30), "Europe/London")
    reasons = {p.path: p.reason for p in refused.value.problems}
    assert reasons == {
        "starts": "2027-03-28T01:30:00 does not exist in Europe/London: "
        "clocks go forward at this time",
        "ends": "in Europe/London this is not after the start",
    }
    # the hour that happens twice in October is on the clock; the first of the two is meant
    check_times(wall(2027, 10, 31, 1, 30), wall(2027, 10, 31, 1, 45), "Europe/London")
    check_times(wall(2027, 3, 28, 0, 30), wall(2027, 3, 28, 2, 30), "Europe/London")
    check_times(wall(2027, 3, 28, 1, 30), wall(2027, 3, 28, 2, 30), "Africa/Accra")
