"""A member's status changed by a recorded decision (the Secretariat records it): Inactive,
back to active, Withdrawn or Expelled, each added to the member's status history.

Admission is not here: Engaged and Full are reached through the application process (its
review, no-objection period and plenary decision), so the directory never turns an Engaged
member Full nor a Full one Engaged. Withdrawn and Expelled are final. How a member becomes
Inactive or is expelled (the 2011 rules' Section XIII, not retrievable) is a decision the
plenary or the Steering Committee takes; the registry records it with its date and wording.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from governance.kernel.errors import Conflict, InvalidInput, NotFound, Problem
from governance.kernel.messages import N_, say
from governance.kernel.model import (
    ACTIVE_STATUSES,
    LEFT_STATUSES,
    Frozen,
    Member,
    MemberStatus,
    OneLine,
    Slug,
    StatusChange,
)
from governance.kernel.timekeeping import local_date, start_of_day

FINAL = LEFT_STATUSES
# what the directory may set; Engaged and Full only as a return from Inactive
RECORDED = frozenset({MemberStatus.INACTIVE, *FINAL})
# Whole sentences, so the article agrees with the status ("a %(current)s member's" once read
# "a expelled member's").
STAYS = {
    MemberStatus.WITHDRAWN: N_("a withdrawn member's status does not change"),
    MemberStatus.EXPELLED: N_("an expelled member's status does not change"),
}


class ChangeMemberStatus(Frozen):
    """Record a decision that changes a member's status, from `since` (today if absent)."""

    action: Literal["change_member_status"] = "change_member_status"
    member: Slug
    status: MemberStatus
    decision: Annotated[OneLine, Field(min_length=1, max_length=300)]
    since: date | None = None


def _status_before_inactive(member: Member) -> MemberStatus | None:
    """The active status an Inactive member held before, which it returns to."""
    for change in reversed(member.status_history):
        if change.status in ACTIVE_STATUSES:
            return change.status
    return None


def status_change(
    cmd: ChangeMemberStatus, at: datetime, member: Member | None, tz: str
) -> StatusChange:
    """The history entry `cmd` adds, or the refusal: the status must be one the directory
    records, reachable from the member's own, and dated neither before its last change nor
    after today."""
    if member is None:
        raise NotFound("member", cmd.member)
    current = member.status
    if current in FINAL:
        raise Conflict(
            say(
                "%(member)s is %(current)s: that status is final",
                member=member.name,
                current=current.value,
            ),
            [Problem("status", say(STAYS[current]))],
        )
    if cmd.status is current:
        raise Conflict(
            say("%(member)s is already %(current)s", member=member.name, current=current.value),
            [Problem("status", say("already %(current)s", current=current.value))],
        )
    if cmd.status not in RECORDED:
        back = _status_before_inactive(member) if current is MemberStatus.INACTIVE else None
        if cmd.status is not back:
            reason = (
                say("an inactive member returns to %(back)s", back=back.value)
                if back is not None
                else say("Engaged and Full come from the application process, not the directory")
            )
            raise InvalidInput(say("this status cannot be set here"), [Problem("status", reason)])
    today = local_date(at, tz)
    day = cmd.since or today
    last = local_date(member.status_history[-1].since, tz) if member.status_history else None
    if day > today:
        raise InvalidInput(
            say("the change is dated after today"), [Problem("since", say("a day in the future"))]
        )
    if last is not None and day < last:
        raise InvalidInput(
            say("the history runs forward"),
            [Problem("since", say("before the last change, on %(last)s", last=last))],
        )
    return StatusChange(status=cmd.status, since=start_of_day(day, tz), decision=cmd.decision)
