"""A seat at the annual plenary for each In-country Implementation Group (Strategy 3c).

For each annual plenary the Secretariat calls every active group, at the rulebook's offset
before the plenary, to nominate one member to attend it. A group nominates at most one: a second
nomination is refused, while a replacement (saying whom it replaces) is accepted until the
deadline. The Secretariat confirms the nominee and records whether the initiative supports their
travel; confirmed nominees are the plenary's in-country participants. A group that has not
nominated when the deadline's day ends is reminded once; a nomination after the deadline is
still accepted until the plenary begins (the seat is the group's; the deadline is for planning
travel), but it can no longer be replaced.

The call and the reminder are steps of the governance year (see `notices` and `next_step_at`):
each is one notice per recipient named by the group, the plenary year and the step, so a step
looked at again (a re-run, a restarted worker) finds its notice already sent and sends nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from governance.groups.model import Group, GroupStatus, Text
from governance.kernel.errors import Conflict, InvalidInput, Problem
from governance.kernel.messages import Message, Period, say, term, word
from governance.kernel.model import Frozen, Plenary, PlenaryKind, Slug
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.timekeeping import end_of_day, start_of_day
from governance.rulebook.model import NotificationKind, Rulebook
from governance.year.milestones import plenary_message

# Where a group's notices go when none of its coordinators has a sign-in (local participants
# have none): the Secretariat relays them.
SECRETARIAT_CHANNEL = "secretariat"
CALL = "call"
REMINDER = "reminder"


class NominationStatus(StrEnum):
    NOMINATED = "nominated"
    CONFIRMED = "confirmed"


class Nominee(Frozen):
    """Someone a group may send: one of its local participants or a person of one of its
    member organisations (the service finds which, from the registry)."""

    id: Slug
    name: Text


class Nomination(Frozen):
    group_id: Slug
    year: Annotated[int, Field(ge=1990, le=2200)]
    person: Slug
    name: Text
    nominated_by: Slug
    nominated_at: AwareDatetime
    status: NominationStatus = NominationStatus.NOMINATED
    # Recorded by the Secretariat when it confirms: whether the initiative pays the travel.
    travel_supported: bool | None = None
    confirmed_by: Slug | None = None
    confirmed_at: AwareDatetime | None = None
    # The nominees this one replaced, earliest first (each replacement is audited too).
    replaced: tuple[Slug, ...] = ()


@dataclass(frozen=True, slots=True)
class Window:
    """When a plenary's call goes out and when nominations are due, as local days of the
    initiative's zone, and the instants of the call and of the reminder."""

    call_on: date
    deadline: date
    plenary_starts: date
    call_at: datetime
    reminder_at: datetime
    closes_at: datetime


def window(plenary: Plenary, rulebook: Rulebook) -> Window:
    rules = rulebook.plenary.group_nominations
    tz = rulebook.initiative.timezone
    call_on = plenary.starts - timedelta(days=rules.call_days_before)
    deadline = plenary.starts - timedelta(days=rules.deadline_days_before)
    return Window(
        call_on=call_on,
        deadline=deadline,
        plenary_starts=plenary.starts,
        call_at=start_of_day(call_on, tz),
        reminder_at=end_of_day(deadline, tz),
        closes_at=start_of_day(plenary.starts, tz),
    )


def _annual(plenary: Plenary) -> None:
    if plenary.kind is not PlenaryKind.ANNUAL:
        raise InvalidInput(
            say("groups nominate only for an annual plenary"),
            [
                Problem(
                    "plenary", say("%(plenary)s is an extraordinary plenary", plenary=plenary.id)
                )
            ],
        )


def nominate(
    current: Nomination | None,
    group: Group,
    plenary: Plenary,
    nominee: Nominee | None,
    person_id: str,
    replaces: str | None,
    by: str,
    at: datetime,
    rulebook: Rulebook,
) -> Nomination:
    """The group's nomination of `person_id` (found as `nominee`, None if the group may not
    send them), or why not. `replaces` names the current nominee when replacing them."""
    _annual(plenary)
    if group.status is not GroupStatus.ACTIVE:
        raise Conflict(
            say("only an active group nominates a member to the plenary"),
            [
                Problem(
                    "group",
                    say("%(group)s is %(status)s", group=group.id, status=word(group.status)),
                )
            ],
        )
    times = window(plenary, rulebook)
    if at < times.call_at:
        raise Conflict(
            say("the call for nominations is not open yet"),
            [
                Problem(
                    "plenary",
                    say("nominations open on %(call_on)s", call_on=times.call_on),
                )
            ],
        )
    if at >= times.closes_at:
        raise Conflict(
            say("the plenary has begun: nominations are closed"),
            [
                Problem(
                    "plenary",
                    say(
                        "%(plenary)s began on %(starts)s",
                        plenary=plenary.id,
                        starts=plenary.starts,
                    ),
                )
            ],
        )
    if nominee is None:
        raise InvalidInput(
            say("the group may nominate only one of its own people"),
            [
                Problem(
                    "person",
                    say(
                        "%(person_id)r is neither a local participant of %(group)s nor a person "
                        "of one of its member organisations",
                        person_id=person_id,
                        group=group.id,
                    ),
                )
            ],
        )
    replaced: tuple[str, ...] = ()
    if current is None:
        if replaces is not None:
            raise Conflict(
                say("there is no nominee to replace"),
                [
                    Problem(
                        "replaces",
                        say(
                            "%(group)s has not nominated anyone for %(year)s",
                            group=group.id,
                            year=plenary.year,
                        ),
                    )
                ],
            )
    else:
        if replaces is None:
            raise Conflict(
                say("a group nominates at most one member to each plenary"),
                [
                    Problem(
                        "person",
                        say(
                            "%(group)s has nominated %(person)r already; to replace them before "
                            "%(deadline)s, name them in 'replaces'",
                            group=group.id,
                            person=current.person,
                            deadline=times.deadline,
                        ),
                    )
                ],
            )
        if replaces != current.person:
            raise Conflict(
                say("only the current nominee can be replaced"),
                [
                    Problem(
                        "replaces", say("the current nominee is %(person)r", person=current.person)
                    )
                ],
            )
        if at >= times.reminder_at:
            raise Conflict(
                say(
                    "the deadline for nominations has passed: the nominee can no longer be replaced"
                ),
                [
                    Problem(
                        "replaces",
                        say("the deadline was %(deadline)s", deadline=times.deadline),
                    )
                ],
            )
        if nominee.id == current.person:
            raise Conflict(
                say("that person is the nominee already"),
                [Problem("person", say("%(nominee)r is the current nominee", nominee=nominee.id))],
            )
        replaced = (*current.replaced, current.person)
    return Nomination(
        group_id=group.id,
        year=plenary.year,
        person=nominee.id,
        name=nominee.name,
        nominated_by=by,
        nominated_at=at,
        replaced=replaced,
    )


def confirm(
    current: Nomination | None, group_id: str, travel_supported: bool, by: str, at: datetime
) -> Nomination:
    """The Secretariat's confirmation of the group's nominee, with the travel decision."""
    if current is None:
        raise Conflict(
            say("the group has nominated nobody to confirm"),
            [
                Problem(
                    "group", say("%(group_id)s has no nominee for this plenary", group_id=group_id)
                )
            ],
        )
    if current.status is NominationStatus.CONFIRMED:
        raise Conflict(
            say("the nominee is confirmed already"),
            [
                Problem(
                    "group",
                    say("confirmed by %(confirmed_by)s", confirmed_by=str(current.confirmed_by)),
                )
            ],
        )
    return current.model_copy(
        update={
            "status": NominationStatus.CONFIRMED,
            "travel_supported": travel_supported,
            "confirmed_by": by,
            "confirmed_at": at,
        }
    )


def confirmed(nominations: Sequence[Nomination]) -> list[Nomination]:
    """The plenary's in-country participants: confirmed nominees, by group."""
    found = [n for n in nominations if n.status is NominationStatus.CONFIRMED]
    return sorted(found, key=lambda n: n.group_id)


def item_id(group_id: str, year: int) -> str:
    return f"nominations-{year}-{group_id}"


def _plenary(plenary: Plenary, rulebook: Rulebook) -> Message:
    return plenary_message(False, plenary.year, rulebook)


def _call_text(group: Group, plenary: Plenary, times: Window, rulebook: Rulebook) -> Message:
    return say(
        "Call for nominations: %(group)s may nominate one member to attend the %(plenary)s "
        "(%(location)s, %(dates)s). Nominate by %(deadline)s.",
        group=group.name,
        plenary=term(_plenary(plenary, rulebook)),
        location=plenary.location,
        dates=Period(starts=plenary.starts, ends=plenary.ends),
        deadline=times.deadline,
    )


def _reminder_text(group: Group, plenary: Plenary, times: Window, rulebook: Rulebook) -> Message:
    return say(
        "Reminder: %(group)s has not nominated a member to attend the %(plenary)s; the deadline "
        "was %(deadline)s. A nomination is still accepted until the plenary begins on "
        "%(starts)s.",
        group=group.name,
        plenary=term(_plenary(plenary, rulebook)),
        deadline=times.deadline,
        starts=plenary.starts,
    )


def _to(
    group: Group, year: int, step: str, text: Message, at: datetime, people: Sequence[str]
) -> list[Notification]:
    kind = NotificationKind.DEADLINE_REMINDER
    item = item_id(group.id, year)
    if not people:
        return [channel_notice(kind, SECRETARIAT_CHANNEL, item, step, text, at)]
    return [direct_notice(kind, p, item, step, text, at) for p in sorted(set(people))]


def notices(
    plenary: Plenary | None,
    groups: Sequence[Group],
    nominated: frozenset[str],
    recipients: Mapping[str, Sequence[str]],
    now: datetime,
    rulebook: Rulebook,
) -> list[Notification]:
    """The call and reminder notices due at `now` for the annual `plenary`: the call to every
    active group once the call's day has begun, and the reminder to each active group not in
    `nominated` once the deadline's day has ended, both until the plenary begins. `recipients`
    names each group's coordinators with a sign-in (none: the Secretariat's channel)."""
    if plenary is None or plenary.kind is not PlenaryKind.ANNUAL:
        return []
    times = window(plenary, rulebook)
    if now < times.call_at or now >= times.closes_at:
        return []
    found: list[Notification] = []
    for group in groups:
        if group.status is not GroupStatus.ACTIVE:
            continue
        people = recipients.get(group.id, ())
        if group.id in nominated:
            continue
        # only the latest step: a worker back after the deadline sends the reminder alone
        if now >= times.reminder_at:
            reminder = _reminder_text(group, plenary, times, rulebook)
            found += _to(group, plenary.year, REMINDER, reminder, times.reminder_at, people)
        else:
            call = _call_text(group, plenary, times, rulebook)
            found += _to(group, plenary.year, CALL, call, times.call_at, people)
    return found


def next_step_at(plenary: Plenary | None, now: datetime, rulebook: Rulebook) -> datetime | None:
    """The next instant after `now` at which a call or reminder falls (None: no more)."""
    if plenary is None or plenary.kind is not PlenaryKind.ANNUAL:
        return None
    times = window(plenary, rulebook)
    later = [t for t in (times.call_at, times.reminder_at) if t > now and t < times.closes_at]
    return min(later) if later else None
