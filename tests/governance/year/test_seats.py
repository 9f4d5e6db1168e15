"""Steering Committee seats: the pillar's seat count, overlaps, and expiry reminders (issue 6)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.errors import Conflict, InvalidInput
from governance.kernel.model import MemberStatus, Pillar, SteeringCommitteeSeat
from governance.kernel.timekeeping import start_of_day
from governance.rulebook.model import Rulebook, load_rulebook
from governance.year.seats import RecordSeat, SeatFacts, due_expiries, record_seat

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone


def seat(
    member: str, starts: date, ends: date, pillar: Pillar = Pillar.COMPANY
) -> SteeringCommitteeSeat:
    return SteeringCommitteeSeat(member=member, pillar=pillar, starts=starts, ends=ends)


def facts(*seats: SteeringCommitteeSeat, status: MemberStatus = MemberStatus.FULL) -> SeatFacts:
    return SeatFacts(member_pillar=Pillar.COMPANY, member_status=status, seats=seats)


TERM = (date(2027, 5, 22), date(2029, 5, 22))


def test_a_pillar_holds_no_more_seats_at_once_than_the_rulebook_gives_it() -> None:
    cmd = RecordSeat(member="co-new", starts=TERM[0], ends=TERM[1])
    held = [seat(f"co-{i}", date(2026, 5, 22), date(2028, 5, 22)) for i in range(3)]
    with pytest.raises(Conflict) as full:
        record_seat(cmd, facts(*held), RULEBOOK)
    assert full.value.problems[0].reason == "the Steering Committee has 3 company seats"
    # one of them ends before the new term starts: a seat is free
    held[0] = seat("co-0", date(2025, 5, 22), date(2027, 5, 22))
    assert record_seat(cmd, facts(*held), RULEBOOK).pillar is Pillar.COMPANY
    # staggered: three seats overlap the new term, but never all on one day
    staggered = [
        seat("co-a", date(2026, 1, 1), date(2027, 6, 1)),
        seat("co-b", date(2027, 7, 1), date(2029, 7, 1)),
        seat("co-c", date(2026, 1, 1), date(2030, 1, 1)),
    ]
    assert record_seat(cmd, facts(*staggered), RULEBOOK).member == "co-new"
    staggered.append(seat("co-d", date(2027, 5, 1), date(2027, 6, 15)))
    with pytest.raises(Conflict):
        record_seat(cmd, facts(*staggered), RULEBOOK)


def test_refusals_name_the_field() -> None:
    cmd = RecordSeat(member="co-new", starts=TERM[1], ends=TERM[0])
    with pytest.raises(InvalidInput) as refused:
        record_seat(cmd, facts(status=MemberStatus.ENGAGED), RULEBOOK)
    assert [p.path for p in refused.value.problems] == ["member", "ends"]
    with pytest.raises(InvalidInput) as refused:
        record_seat(cmd, SeatFacts(None, None, ()), RULEBOOK)
    assert refused.value.problems[0].reason == "no member 'co-new'"
    again = RecordSeat(member="co-new", starts=TERM[0], ends=TERM[1])
    with pytest.raises(Conflict) as twice:
        record_seat(again, facts(seat("co-new", date(2028, 1, 1), date(2030, 1, 1))), RULEBOOK)
    assert [p.path for p in twice.value.problems] == ["starts"]
    none = load_rulebook({"steering_committee": {"seats_per_pillar": {"company": 0}}})
    with pytest.raises(Conflict):
        record_seat(again, facts(), none)


@given(
    ends=st.dates(date(2001, 1, 1), date(2150, 1, 1)),
    hours=st.integers(-24 * 80, 24 * 10),
)
def test_the_latest_expiry_reminder_only_and_never_for_a_renewed_seat(
    ends: date, hours: int
) -> None:
    term = seat("co-a", ends - timedelta(days=730), ends)
    now = start_of_day(ends, TZ) + timedelta(hours=hours)
    notices, next_at = due_expiries([term], now, {"co-a": "Aurum"}, RULEBOOK)
    reminder_days = [60, 14]
    passed = [d for d in reminder_days if start_of_day(ends - timedelta(days=d), TZ) <= now]
    if now >= start_of_day(ends, TZ):
        assert (notices, next_at) == ([], None)
    else:
        if passed:
            steps = {":".join(n.key.split(":")[2:4]) for n in notices}
            assert steps == {f"v{ends}:expiry-{min(passed)}"}
            assert {n.channel for n in notices} == {"secretariat", "steering_committee"}
        else:
            assert notices == []
        later = [start_of_day(ends - timedelta(days=d), TZ) for d in reminder_days]
        assert next_at == min((t for t in later if t > now), default=None)
    renewal = seat("co-a", ends, ends + timedelta(days=730))
    # the renewed term is never reminded; the renewal only at its own end, years later
    assert due_expiries([term, renewal], now, {}, RULEBOOK)[0] == []


def test_the_reminder_names_the_member_and_the_day() -> None:
    term = seat("ngo-rights", date(2026, 9, 1), date(2028, 9, 1), Pillar.NGO)
    at = datetime(2028, 7, 3, 4, tzinfo=UTC)
    notices, _ = due_expiries([term], at, {"ngo-rights": "Rights Watch"}, RULEBOOK)
    assert notices[0].text == (
        "The Steering Committee seat of Rights Watch (ngo pillar) ends on 1 September 2028: "
        "renew it or fill it before then."
    )
    assert notices[0].issued_at == at
