"""Plenary milestones: planned from the plenary's first day, reminded to their owners until done.

A milestone is due on a local calendar day, `offset_days` from the plenary's first day (negative:
before it). Until someone completes it, its owner hears of it on the rulebook's reminder days
before, then weekly, as many times as the rulebook says, once it is overdue. Each of these steps
is named after the due date it belongs to, so moving the plenary gives a moved milestone fresh
reminders while a reminder already sent for the same date is never sent twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from governance.kernel.calendar import PUBLIC, CalendarItem, item_uid, role_audience
from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.model import Frozen, Plenary, PlenaryKind, Role, Slug
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.timekeeping import end_of_day, start_of_day
from governance.kernel.wording import date_range_text, day_text
from governance.rulebook.model import Milestone, NotificationKind, Rulebook

OVERDUE_EVERY = timedelta(days=7)
# Where a role's work is announced; the Chair's tasks go to each person acting as Chair.
ROLE_CHANNELS = {
    Role.SECRETARIAT: "secretariat",
    Role.STEERING_COMMITTEE: "steering_committee",
    Role.FOCAL_POINT: "all_members",
}


class MilestoneStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"


class PlannedMilestone(Frozen):
    plenary_id: Slug
    year: int
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")]
    title: str
    due: date
    owner_role: Role
    public: bool = False
    follow_up: bool = False
    status: MilestoneStatus = MilestoneStatus.OPEN
    completed_at: AwareDatetime | None = None
    completed_by: str | None = None

    @property
    def id(self) -> str:
        return f"milestone-{self.plenary_id}-{self.key.replace('_', '-')}"


def applies_to(milestone: Milestone, plenary: Plenary) -> bool:
    return plenary.kind is PlenaryKind.ANNUAL or milestone.extraordinary


def plan(plenary: Plenary, rulebook: Rulebook) -> tuple[PlannedMilestone, ...]:
    """The plenary's milestones under the rulebook, earliest first (rulebook order for ties)."""
    planned = [
        PlannedMilestone(
            plenary_id=plenary.id,
            year=plenary.year,
            key=m.key,
            title=m.title,
            due=plenary.starts + timedelta(days=m.offset_days),
            owner_role=m.owner_role,
            public=m.public,
            follow_up=m.follow_up,
        )
        for m in rulebook.plenary.milestones
        if applies_to(m, plenary)
    ]
    return tuple(sorted(planned, key=lambda m: m.due))


def replan(
    current: Sequence[PlannedMilestone], moved: Plenary, rulebook: Rulebook
) -> tuple[PlannedMilestone, ...]:
    """The milestones of a moved plenary: new due dates, completed ones kept as they were."""
    done = {m.key: m for m in current if m.status is MilestoneStatus.COMPLETED}
    return tuple(done.get(m.key, m) for m in plan(moved, rulebook))


@dataclass(frozen=True, slots=True)
class Step:
    """A moment the owner hears about a milestone: a reminder before it or a note it is late."""

    at: datetime
    name: str


def deadline_steps(due: date, until: datetime, rulebook: Rulebook) -> list[Step]:
    """The steps of an open deadline at or before `until`, earliest first: the rulebook's
    reminder days before it, then weekly overdue notes up to the rulebook's cap."""
    tz = rulebook.initiative.timezone
    name = due.isoformat()
    steps = [
        Step(start_of_day(due - timedelta(days=d), tz), f"{name}:reminder-{d}")
        for d in sorted(set(rulebook.plenary.milestone_reminder_days_before), reverse=True)
    ]
    late = end_of_day(due, tz)
    for week in range(rulebook.plenary.milestone_overdue_reminders):
        if late + week * OVERDUE_EVERY > until:
            break
        steps.append(Step(late + week * OVERDUE_EVERY, f"{name}:overdue-{week}"))
    return [s for s in steps if s.at <= until]


def next_deadline_step_at(due: date, now: datetime, rulebook: Rulebook) -> datetime | None:
    """When an open deadline's next step after `now` falls (None once all have passed)."""
    tz = rulebook.initiative.timezone
    late = end_of_day(due, tz)
    candidates = [
        start_of_day(due - timedelta(days=d), tz)
        for d in rulebook.plenary.milestone_reminder_days_before
    ]
    candidates += [
        late + week * OVERDUE_EVERY for week in range(rulebook.plenary.milestone_overdue_reminders)
    ]
    later = [c for c in candidates if c > now]
    return min(later) if later else None


def reminded(milestone: PlannedMilestone) -> bool:
    """Whether the milestone's owner is reminded of it. A focal points' milestone (annual
    reports due) is every member's own deadline: the process that owns it (the reporting cycle)
    reminds each member that still owes, and tells those whose date moved; the milestone itself
    stays a date in the calendar, so nobody who already reported hears of it again."""
    return milestone.status is MilestoneStatus.OPEN and milestone.owner_role is not Role.FOCAL_POINT


def steps_until(milestone: PlannedMilestone, until: datetime, rulebook: Rulebook) -> list[Step]:
    """The milestone's steps at or before `until`, earliest first (none once it is completed)."""
    if not reminded(milestone):
        return []
    return deadline_steps(milestone.due, until, rulebook)


def latest_step(milestone: PlannedMilestone, now: datetime, rulebook: Rulebook) -> Step | None:
    """The step to act on now: only the latest, so a worker back from downtime does not send
    every reminder it missed."""
    passed = steps_until(milestone, now, rulebook)
    return passed[-1] if passed else None


def next_step_at(milestone: PlannedMilestone, now: datetime, rulebook: Rulebook) -> datetime | None:
    """When the milestone's next step after `now` falls (None once it is completed)."""
    if not reminded(milestone):
        return None
    return next_deadline_step_at(milestone.due, now, rulebook)


def _plenary_name(milestone: PlannedMilestone, rulebook: Rulebook) -> str:
    initiative = rulebook.initiative
    label = initiative.labels.plenary
    if "-x" in milestone.plenary_id:
        label = "Extraordinary Plenary"
    return f"{initiative.short_name} {milestone.year} {label}"


def calendar_item(milestone: PlannedMilestone, rulebook: Rulebook) -> CalendarItem:
    """The all-day deadline event; its UID comes from the plenary and key, never the date."""
    owner = _owner_label(milestone.owner_role, rulebook)
    audiences = {role_audience(Role.SECRETARIAT), role_audience(milestone.owner_role)}
    if milestone.public:
        audiences.add(PUBLIC)
    return CalendarItem(
        uid=item_uid(milestone.id, rulebook.initiative.uid_domain),
        kind="milestone",
        title=f"{milestone.title} ({_plenary_name(milestone, rulebook)})",
        description=f"Due on {day_text(milestone.due)}; owner: {owner}.",
        start_date=milestone.due,
        audiences=frozenset(audiences),
    )


def _owner_label(role: Role, rulebook: Rulebook) -> str:
    labels = rulebook.initiative.labels
    return {
        Role.SECRETARIAT: labels.secretariat,
        Role.CHAIR: labels.chair,
        Role.STEERING_COMMITTEE: labels.steering_committee,
        Role.FOCAL_POINT: "member focal points",
    }[role]


def owner_notices(
    kind: NotificationKind,
    role: Role,
    item: str,
    version: str,
    text: str,
    at: datetime,
    chairs: Sequence[str],
) -> list[Notification]:
    """A notice to whoever owns work of `role`: its channel, or each person acting as Chair."""
    if role is Role.CHAIR:
        return [direct_notice(kind, p, item, version, text, at) for p in sorted(set(chairs))]
    return [channel_notice(kind, ROLE_CHANNELS[role], item, version, text, at)]


def step_notices(
    milestone: PlannedMilestone,
    step: Step,
    rulebook: Rulebook,
    chairs: Sequence[str],
) -> list[Notification]:
    name = f"{milestone.title} for the {_plenary_name(milestone, rulebook)}"
    when = day_text(milestone.due)
    if "overdue" in step.name:
        kind = NotificationKind.OVERDUE
        text = f"Overdue: {name} was due on {when} and is not marked complete."
    else:
        kind = NotificationKind.DEADLINE_REMINDER
        text = f"Reminder: {name} is due on {when}."
    return owner_notices(kind, milestone.owner_role, milestone.id, step.name, text, step.at, chairs)


def move_notices(
    before: Plenary,
    after: Plenary,
    old: Sequence[PlannedMilestone],
    new: Sequence[PlannedMilestone],
    rulebook: Rulebook,
    at: datetime,
    chairs: Sequence[str],
) -> list[Notification]:
    """Who must hear of a move: every member (the plenary's dates), and each owner whose open
    milestones moved, with the old and new dates of each; nobody else."""
    version = f"moved-{after.starts.isoformat()}-{after.ends.isoformat()}"
    label = rulebook.initiative.labels.plenary if after.kind is PlenaryKind.ANNUAL else "Plenary"
    title = f"{rulebook.initiative.short_name} {after.year} {label}"
    announcement = (
        f"The {title} has moved: it now takes place in {after.location} "
        f"{date_range_text(after.starts, after.ends)} "
        f"(it was {date_range_text(before.starts, before.ends)})."
    )
    notices = [
        channel_notice(
            NotificationKind.CHANGE_NOTICE, "all_members", after.id, version, announcement, at
        )
    ]
    was = {m.key: m for m in old}
    by_owner: dict[Role, list[str]] = {}
    for m in new:
        previous = was.get(m.key)
        if not reminded(m) or previous is None or previous.due == m.due:
            continue
        line = f"{m.title}: {day_text(previous.due)} -> {day_text(m.due)}"
        by_owner.setdefault(m.owner_role, []).append(line)
    for role in sorted(by_owner, key=lambda r: list(Role).index(r)):
        text = f"The {title} has moved; your milestones move with it: " + "; ".join(by_owner[role])
        # the owner's own version, so focal points' notice never collides with the announcement
        notices += owner_notices(
            NotificationKind.CHANGE_NOTICE,
            role,
            after.id,
            f"{version}-{role.value}",
            text,
            at,
            chairs,
        )
    return notices


def complete(
    milestones: Sequence[PlannedMilestone], key: str, by: str, at: datetime, may_complete: bool
) -> PlannedMilestone:
    """The milestone `key` marked complete by `by`, or the reason it cannot be."""
    found = next((m for m in milestones if m.key == key), None)
    if found is None:
        known = ", ".join(m.key for m in milestones) or "none"
        raise InvalidInput(
            "no such milestone", [Problem("key", f"no milestone {key!r} (known: {known})")]
        )
    if not may_complete:
        raise Forbidden(
            f"{found.owner_role.value} or {Role.SECRETARIAT.value}",
            f"completing the milestone {key!r}",
            [Problem("by", f"only the {found.owner_role.value} role or the Secretariat may")],
        )
    if found.status is MilestoneStatus.COMPLETED:
        raise Conflict(
            "the milestone is already complete",
            [Problem("key", f"completed by {found.completed_by}")],
        )
    return found.model_copy(
        update={"status": MilestoneStatus.COMPLETED, "completed_at": at, "completed_by": by}
    )
