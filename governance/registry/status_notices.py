"""What a member's status change tells its focal points and the Secretariat (issue 19).

One whole sentence per status reached rather than a status word slotted into one sentence: each
language then writes its own grammar ("est désormais membre inactif", "se ha retirado"). A
return to Engaged names the day its Engaged period ends, the deadline that matters to it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from governance.kernel.messages import Message, names, say, word
from governance.kernel.model import Member, MemberStatus, StatusChange
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import NotificationKind

SECRETARIAT_CHANNEL = "secretariat"


def status_text(
    name: str, change: StatusChange, tz: str, engaged_until: date | None = None
) -> Message:
    since = local_date(change.since, tz)
    decision = change.decision
    match change.status:
        case MemberStatus.INACTIVE:
            return say(
                "%(member)s is now an inactive member from %(since)s (decision: %(decision)s).",
                member=name,
                since=since,
                decision=decision,
            )
        case MemberStatus.WITHDRAWN:
            return say(
                "%(member)s has withdrawn from the initiative from %(since)s "
                "(decision: %(decision)s).",
                member=name,
                since=since,
                decision=decision,
            )
        case MemberStatus.EXPELLED:
            return say(
                "%(member)s is expelled from the initiative from %(since)s "
                "(decision: %(decision)s).",
                member=name,
                since=since,
                decision=decision,
            )
        case MemberStatus.FULL:
            return say(
                "%(member)s is a Full member again from %(since)s (decision: %(decision)s).",
                member=name,
                since=since,
                decision=decision,
            )
        case MemberStatus.ENGAGED if engaged_until is not None:
            return say(
                "%(member)s is an Engaged member again from %(since)s (decision: %(decision)s); "
                "its Engaged period ends on %(until)s.",
                member=name,
                since=since,
                decision=decision,
                until=engaged_until,
            )
        case _:
            return say(
                "%(member)s is an Engaged member again from %(since)s (decision: %(decision)s).",
                member=name,
                since=since,
                decision=decision,
            )


def status_notices(
    member: Member,
    change: StatusChange,
    focal_points: Sequence[str],
    at: datetime,
    tz: str,
    engaged_until: date | None = None,
) -> tuple[Notification, ...]:
    """The member's focal points, each in their own language, and the Secretariat's channel.
    The version is the history's new length: every change is told once, and only once."""
    text = status_text(member.name, change, tz, engaged_until)
    item = f"member-status-{member.id}"
    version = len(member.status_history) + 1
    kind = NotificationKind.DECISION
    told = [direct_notice(kind, person, item, version, text, at) for person in sorted(focal_points)]
    told.append(channel_notice(kind, SECRETARIAT_CHANNEL, item, version, text, at))
    return tuple(told)


def presenter_left_notice(
    member: Member, change: StatusChange, year: int, at: datetime, tz: str
) -> Notification:
    """A presenter on a published roster stops being Full: its slot stays until the Secretariat
    replaces it, by the deferral's own rule (asked and approved), which draws the replacement."""
    text = say(
        "%(member)s presents at the %(year)s plenary's verification roster and is now no longer "
        "a Full member (%(status)s since %(since)s): while deferrals are open, asking and "
        "approving one for it draws a replacement; otherwise its slot stays and its outcome is "
        "recorded at the plenary.",
        member=member.name,
        year=str(year),
        status=word(change.status),
        since=local_date(change.since, tz),
    )
    item = f"member-status-{member.id}"
    return channel_notice(
        NotificationKind.DECISION, SECRETARIAT_CHANNEL, item, f"roster-{year}", text, at
    )


def reviews_released_notice(
    member: Member, year: int, reports_of: Sequence[str], at: datetime
) -> Notification:
    """A member that left gives up the peer reviews it had not submitted; the Secretariat hears
    which, and that each report gets another reviewer while its cycle is open (the reviewed
    members are not told: who reviews whom is not published)."""
    text = say(
        "%(member)s has left the initiative and no longer reviews: its %(year)s peer reviews "
        "not yet submitted (of %(reports)s) are taken back, and while the cycle is open each of "
        "those reports is given another reviewer, as a late report is.",
        member=member.name,
        year=str(year),
        reports=names(sorted(reports_of)),
    )
    item = f"member-status-{member.id}"
    return channel_notice(
        NotificationKind.DECISION, SECRETARIAT_CHANNEL, item, f"reviews-{year}", text, at
    )
