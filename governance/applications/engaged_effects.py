"""What the Engaged period publishes: its deadline, checkpoint reminders and escalations."""

from __future__ import annotations

import re
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
from governance.kernel.messages import NP_, Label, Term, say, say_in, say_n, term
from governance.kernel.model import Role
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.rulebook.model import EvidenceKind, NotificationKind


def deadline_item(record: EngagedRecord, uid_domain: str) -> CalendarItem:
    """The member's Full-membership deadline, in its own and the Secretariat's calendars."""
    done = record.state is not PeriodState.ENGAGED
    title = say("%(member)s: Full membership due", member=record.name)
    description = (
        say_n(
            "The end of the Engaged period set by the rulebook, extended %(count)s time.",
            "The end of the Engaged period set by the rulebook, extended %(count)s times.",
            len(record.extensions),
        )
        if record.extensions
        else say("The end of the Engaged period set by the rulebook.")
    )
    return CalendarItem(
        uid=item_uid(f"engaged-{record.member}-deadline", uid_domain),
        kind="membership_deadline",
        title=title.english(),
        description=description.english(),
        title_message=title,
        description_message=description,
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
    item, due = f"engaged-{record.member}", record.due_date
    if event.overdue:
        text = say(
            "%(member)s's Engaged period ended on %(due)s without Full membership: the "
            "%(committee)s is asked to extend it or decide.",
            member=record.name,
            due=due,
            committee=Label(key="initiative.labels.steering_committee", text=steering_committee),
        )
        return [
            channel_notice(NotificationKind.OVERDUE, channel, item, event.key, text, event.at)
            for channel in ("steering_committee", "secretariat")
        ]
    if record.evidence:
        evidence = term(say("recorded"))
    elif record.required_evidence:
        kind = say_in("evidence", _EVIDENCE[record.required_evidence])
        evidence = term(say("not yet recorded (%(kind)s)", kind=term(kind)))
    else:
        evidence = term(say("not required"))
    text = say(
        "%(member)s has until %(due)s to become a Full member (%(checkpoint)s); evidence: "
        "%(evidence)s.",
        member=record.name,
        due=due,
        checkpoint=checkpoint_term(event.label),
        evidence=evidence,
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


_EVIDENCE = {
    EvidenceKind.NATIONAL_ACTION_PLAN: NP_("evidence", "national_action_plan"),
    EvidenceKind.IMPLEMENTATION_EVIDENCE: NP_("evidence", "implementation_evidence"),
}
_YEARS = re.compile(r"(\d+) year\(s\) since admission")
_DAYS = re.compile(r"(\d+) days before the deadline")


def checkpoint_term(label: str) -> Term:
    """A checkpoint's label (kept in the period's record as first written) as a message."""
    if years := _YEARS.fullmatch(label):
        count = int(years.group(1))
        return term(
            say_n("%(count)s year since admission", "%(count)s years since admission", count)
        )
    if days := _DAYS.fullmatch(label):
        count = int(days.group(1))
        return term(
            say_n("%(count)s day before the deadline", "%(count)s days before the deadline", count)
        )
    return term(say("%(label)s", label=label))
