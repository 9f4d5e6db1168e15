"""What the Engaged period publishes: its deadline, checkpoint reminders and escalations."""

from __future__ import annotations

from datetime import datetime

from governance.applications.engaged_period import EngagedRecord, PeriodEvent, PeriodState
from governance.kernel.audit import AuditEntry
from governance.kernel.calendar import (
    CalendarItem,
    EventStatus,
    item_uid,
    member_audience,
    role_audience,
)
from governance.kernel.model import Role
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.wording import day_text
from governance.rulebook.model import NotificationKind


def deadline_item(record: EngagedRecord, uid_domain: str) -> CalendarItem:
    """The member's Full-membership deadline, in its own and the Secretariat's calendars."""
    done = record.state is not PeriodState.ENGAGED
    return CalendarItem(
        uid=item_uid(f"engaged-{record.member}-deadline", uid_domain),
        kind="membership_deadline",
        title=f"{record.name}: Full membership due",
        description="The end of the Engaged period set by the rulebook"
        + (f", extended {len(record.extensions)} time(s)." if record.extensions else "."),
        start_date=record.due_date,
        status=EventStatus.CANCELLED if done else EventStatus.CONFIRMED,
        audiences=frozenset({member_audience(record.member), role_audience(Role.SECRETARIAT)}),
    )


def audit_entry(
    record: EngagedRecord, action: str, actor: str, at: datetime, reason: str = ""
) -> AuditEntry:
    return AuditEntry(
        key=f"engaged-{record.member}:v{record.version}:{action}",
        at=at,
        actor=actor,
        action=action,
        item_kind="member",
        item_id=record.member,
        reason=reason,
        data={"due_date": record.due_date.isoformat(), "state": record.state.value},
    )


def event_notices(
    record: EngagedRecord, event: PeriodEvent, focal_points: list[str], steering_committee: str
) -> list[Notification]:
    """A checkpoint reminds the member and the Secretariat; an overdue period asks the SC."""
    item, due = f"engaged-{record.member}", day_text(record.due_date)
    if event.overdue:
        text = (
            f"{record.name}'s Engaged period ended on {due} without Full membership: the "
            f"{steering_committee} is asked to extend it or decide."
        )
        return [
            channel_notice(NotificationKind.OVERDUE, channel, item, event.key, text, event.at)
            for channel in ("steering_committee", "secretariat")
        ]
    evidence = (
        "recorded"
        if record.evidence
        else f"not yet recorded ({record.required_evidence.value})"
        if record.required_evidence
        else "not required"
    )
    text = (
        f"{record.name} has until {due} to become a Full member ({event.label}); "
        f"evidence: {evidence}."
    )
    notices = [
        direct_notice(NotificationKind.DEADLINE_REMINDER, person, item, event.key, text, event.at)
        for person in sorted(focal_points)
    ]
    notices.append(
        channel_notice(
            NotificationKind.DEADLINE_REMINDER, "secretariat", item, event.key, text, event.at
        )
    )
    return notices
