"""Steering Committee seats: recording one within the rulebook's seats per pillar, and reminding
the Secretariat and the Committee before a seat's term ends, so renewals are staggered and never
forgotten.

A seat runs from its first day to the day it ends (the start of `ends`, normally a plenary's last
day plus one). A seat followed by another term of the same member is renewed and not reminded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from governance.kernel.errors import Conflict, InvalidInput, Problem
from governance.kernel.messages import Label, say
from governance.kernel.model import Frozen, MemberStatus, Pillar, Slug, SteeringCommitteeSeat, votes
from governance.kernel.notices import Notification, channel_notice, not_before
from governance.kernel.terms import pillar_term
from governance.kernel.timekeeping import start_of_day
from governance.rulebook.model import NotificationKind, Rulebook
from governance.year.milestones import Step


class RecordSeat(Frozen):
    """Record a member's Steering Committee seat for a term."""

    action: Literal["record_seat"] = "record_seat"
    member: Slug
    starts: date
    ends: date


@dataclass(frozen=True, slots=True)
class SeatFacts:
    member_pillar: Pillar | None
    member_status: MemberStatus | None
    seats: tuple[SteeringCommitteeSeat, ...]


def _overlaps(a: SteeringCommitteeSeat, b: SteeringCommitteeSeat) -> bool:
    return a.starts < b.ends and b.starts < a.ends


def record_seat(cmd: RecordSeat, facts: SeatFacts, rulebook: Rulebook) -> SteeringCommitteeSeat:
    """The seat, or why it cannot be recorded (no such member, overlapping, pillar full)."""
    problems = []
    if facts.member_pillar is None:
        problems.append(Problem("member", say("no member %(member)r", member=cmd.member)))
    elif not votes(facts.member_pillar, facts.member_status):
        problems.append(
            Problem("member", say("Steering Committee seats are held by voting (Full) members"))
        )
    if cmd.ends <= cmd.starts:
        problems.append(Problem("ends", say("the term ends before it starts")))
    if problems:
        raise InvalidInput(say("the seat cannot be recorded"), problems)
    assert facts.member_pillar is not None
    seat = SteeringCommitteeSeat(
        member=cmd.member, pillar=facts.member_pillar, starts=cmd.starts, ends=cmd.ends
    )
    if any(s.member == seat.member and _overlaps(s, seat) for s in facts.seats):
        raise Conflict(
            say("the member already holds a seat then"),
            [Problem("starts", say("overlaps the member's other term"))],
        )
    allowed = rulebook.steering_committee.seats_per_pillar.get(seat.pillar, 0)
    # the most seats of the pillar held on any one day of the new term
    same_pillar = [s for s in facts.seats if s.pillar is seat.pillar and _overlaps(s, seat)]
    busiest = max(
        (
            sum(1 for s in same_pillar if s.starts <= day < s.ends)
            for day in {seat.starts, *(s.starts for s in same_pillar if s.starts > seat.starts)}
        ),
        default=0,
    )
    if busiest + 1 > allowed:
        label = Label(
            key="initiative.labels.steering_committee",
            text=rulebook.initiative.labels.steering_committee,
        )
        raise Conflict(
            say("the %(pillar)s pillar's seats are all taken", pillar=pillar_term(seat.pillar)),
            [
                Problem(
                    "member",
                    say(
                        "the %(label)s has %(allowed)s %(pillar)s seats",
                        label=label,
                        allowed=allowed,
                        pillar=pillar_term(seat.pillar),
                    ),
                )
            ],
        )
    return seat


def seat_id(seat: SteeringCommitteeSeat) -> str:
    return f"seat-{seat.member}-{seat.starts.isoformat()}"


def renewed(seat: SteeringCommitteeSeat, seats: Sequence[SteeringCommitteeSeat]) -> bool:
    return any(s.member == seat.member and s.starts == seat.ends for s in seats)


def expiry_steps(seat: SteeringCommitteeSeat, until: datetime, rulebook: Rulebook) -> list[Step]:
    tz = rulebook.initiative.timezone
    days = sorted(set(rulebook.steering_committee.seat_expiry_reminder_days_before), reverse=True)
    steps = [
        Step(start_of_day(seat.ends - timedelta(days=d), tz), f"{seat.ends}:expiry-{d}")
        for d in days
    ]
    return [s for s in steps if s.at <= until]


def next_expiry_step_at(
    seat: SteeringCommitteeSeat, now: datetime, rulebook: Rulebook
) -> datetime | None:
    tz = rulebook.initiative.timezone
    later = [
        start_of_day(seat.ends - timedelta(days=d), tz)
        for d in rulebook.steering_committee.seat_expiry_reminder_days_before
    ]
    return min((t for t in later if t > now), default=None)


def expiry_notices(
    seat: SteeringCommitteeSeat, step: Step, member_name: str, rulebook: Rulebook
) -> list[Notification]:
    label = rulebook.initiative.labels.steering_committee
    pillar = pillar_term(seat.pillar)
    text = say(
        "The %(committee)s seat of %(member)s (%(pillar)s pillar) ends on %(ends)s: renew it or "
        "fill it before then.",
        committee=Label(key="initiative.labels.steering_committee", text=label),
        member=member_name,
        pillar=pillar,
        ends=seat.ends,
    )
    item = seat_id(seat)
    kind = NotificationKind.DEADLINE_REMINDER
    return [
        not_before(channel_notice(kind, channel, item, step.name, text, step.at), seat.recorded_at)
        for channel in ("secretariat", "steering_committee")
    ]


def due_expiries(
    seats: Sequence[SteeringCommitteeSeat],
    now: datetime,
    names: dict[str, str],
    rulebook: Rulebook,
) -> tuple[list[Notification], datetime | None]:
    """The latest expiry reminder of each seat still running and not renewed, and when the
    next one falls."""
    notices: list[Notification] = []
    upcoming: list[datetime] = []
    tz = rulebook.initiative.timezone
    for seat in seats:
        if renewed(seat, seats) or start_of_day(seat.ends, tz) <= now:
            continue
        passed = expiry_steps(seat, now, rulebook)
        if passed:
            notices += expiry_notices(
                seat, passed[-1], names.get(seat.member, seat.member), rulebook
            )
        following = next_expiry_step_at(seat, now, rulebook)
        if following is not None:
            upcoming.append(following)
    return notices, min(upcoming, default=None)
