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

from governance.kernel.calendar import (
    PUBLIC,
    CalendarItem,
    item_uid,
    pillar_audience,
    role_audience,
)
from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.messages import Label, Message, Period, Term, Terms, say, term, word
from governance.kernel.model import Frozen, Pillar, Plenary, PlenaryKind, Role, Slug
from governance.kernel.notices import Notification, channel_notice, direct_notice, not_before
from governance.kernel.timekeeping import end_of_day, start_of_day
from governance.rulebook.model import Milestone, NotificationKind, Rulebook

OVERDUE_EVERY = timedelta(days=7)
# Where a role's work is announced; the Chair's tasks go to each person acting as Chair.
ROLE_CHANNELS = {
    Role.SECRETARIAT: "secretariat",
    Role.STEERING_COMMITTEE: "steering_committee",
    Role.FOCAL_POINT: "all_members",
}


class MilestoneStatus(StrEnum):
    """What is stored: done or not. What readers see is a MilestoneProgress at an instant."""

    OPEN = "open"
    COMPLETED = "completed"


class MilestoneProgress(StrEnum):
    """The one status vocabulary every reader shows (API, CLI, web, state.json): an open
    milestone whose due day has ended is overdue."""

    OPEN = "open"
    OVERDUE = "overdue"
    COMPLETED = "completed"


# How the web names each status (the same status, in words for people).
PROGRESS_LABELS = {
    MilestoneProgress.OPEN: "Open",
    MilestoneProgress.OVERDUE: "Overdue",
    MilestoneProgress.COMPLETED: "Completed",
}


class MilestoneFacts(Frozen):
    """What a milestone is, whoever reads it and whenever."""

    plenary_id: Slug
    year: int
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")]
    title: str
    due: date
    owner_role: Role
    public: bool = False
    follow_up: bool = False
    completed_at: AwareDatetime | None = None
    completed_by: str | None = None

    @property
    def id(self) -> str:
        return f"milestone-{self.plenary_id}-{self.key.replace('_', '-')}"


class PlannedMilestone(MilestoneFacts):
    status: MilestoneStatus = MilestoneStatus.OPEN
    # When its due date was set (the plenary scheduled or moved): no notice about it is stamped
    # earlier. None for milestones planned before it was recorded.
    planned_at: AwareDatetime | None = None


class MilestoneReading(MilestoneFacts):
    """A milestone as readers see it at an instant (the API's and the CLI's answer)."""

    status: MilestoneProgress


def progress(milestone: PlannedMilestone, now: datetime, tz: str) -> MilestoneProgress:
    """Open, overdue (its due day has ended in the initiative's zone) or completed."""
    return deadline_progress(milestone.status is MilestoneStatus.COMPLETED, milestone.due, now, tz)


def deadline_progress(done: bool, due: date, now: datetime, tz: str) -> MilestoneProgress:
    """The status of any dated piece of work (a milestone, a handover checklist item)."""
    if done:
        return MilestoneProgress.COMPLETED
    if now >= end_of_day(due, tz):
        return MilestoneProgress.OVERDUE
    return MilestoneProgress.OPEN


def reading(milestone: PlannedMilestone, now: datetime, tz: str) -> MilestoneReading:
    facts = milestone.model_dump(exclude={"status", "planned_at"})
    return MilestoneReading(**facts, status=progress(milestone, now, tz))


def applies_to(milestone: Milestone, plenary: Plenary) -> bool:
    return plenary.kind is PlenaryKind.ANNUAL or milestone.extraordinary


def plan(
    plenary: Plenary, rulebook: Rulebook, planned_at: datetime | None = None
) -> tuple[PlannedMilestone, ...]:
    """The plenary's milestones under the rulebook, earliest first (rulebook order for ties),
    planned at `planned_at` (the instant the plenary is scheduled)."""
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
            planned_at=planned_at,
        )
        for m in rulebook.plenary.milestones
        if applies_to(m, plenary)
    ]
    return tuple(sorted(planned, key=lambda m: m.due))


def replan(
    current: Sequence[PlannedMilestone],
    moved: Plenary,
    rulebook: Rulebook,
    at: datetime | None = None,
) -> tuple[PlannedMilestone, ...]:
    """The milestones of a moved plenary: new due dates (planned `at`, the move), completed ones
    and those whose date stays kept as they were."""
    was = {m.key: m for m in current}

    def kept(m: PlannedMilestone) -> PlannedMilestone:
        before = was.get(m.key)
        if before is not None and (
            before.status is MilestoneStatus.COMPLETED or before.due == m.due
        ):
            return before
        return m

    return tuple(kept(m) for m in plan(moved, rulebook, at))


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


def every_members_own(milestone: MilestoneFacts) -> bool:
    """A focal points' milestone (annual reports due) stands for every member's own deadline:
    the process that owns it (the reporting cycle) reminds each member that still owes, and no
    single member's focal point can declare it done for all."""
    return milestone.owner_role is Role.FOCAL_POINT


def may_complete_milestone(milestone: MilestoneFacts, roles: frozenset[Role] | set[Role]) -> bool:
    """Who may mark a milestone complete: the Secretariat, or a holder of its owner role unless
    the milestone is every member's own obligation. API, CLI and web all ask this."""
    if Role.SECRETARIAT in roles:
        return True
    return milestone.owner_role in roles and not every_members_own(milestone)


def reminded(milestone: PlannedMilestone) -> bool:
    """Whether the milestone's owner is reminded of it. Every member's own deadline is reminded
    by its own process (see every_members_own); the milestone itself stays a date in the
    calendar, so nobody who already reported hears of it again."""
    return milestone.status is MilestoneStatus.OPEN and not every_members_own(milestone)


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


def plenary_message(extraordinary: bool, year: int, rulebook: Rulebook) -> Message:
    """`VPI 2027 Annual Plenary` in each language (an extraordinary one says so)."""
    initiative = rulebook.initiative
    if extraordinary:
        return say(
            "%(initiative)s %(year)s Extraordinary Plenary",
            initiative=initiative.short_name,
            year=str(year),
        )
    return say(
        "%(initiative)s %(year)s %(plenary)s",
        initiative=initiative.short_name,
        year=str(year),
        plenary=Label(key="initiative.labels.plenary", text=initiative.labels.plenary),
    )


def _moved_plenary(plenary: Plenary, rulebook: Rulebook) -> Message:
    """A moved plenary's name: an extraordinary one is simply a Plenary."""
    initiative = rulebook.initiative
    if plenary.kind is PlenaryKind.ANNUAL:
        return plenary_message(False, plenary.year, rulebook)
    return say(
        "%(initiative)s %(year)s Plenary", initiative=initiative.short_name, year=str(plenary.year)
    )


def calendar_item(milestone: PlannedMilestone, rulebook: Rulebook) -> CalendarItem:
    """The all-day deadline event; its UID comes from the plenary and key, never the date."""
    owner = _owner_label(milestone.owner_role, rulebook)
    audiences = {role_audience(Role.SECRETARIAT), role_audience(milestone.owner_role)}
    if milestone.public:
        audiences.add(PUBLIC)
    if every_members_own(milestone):
        # asked of every member: each pillar's feed carries it (observers' only if they owe it)
        audiences |= {
            pillar_audience(p)
            for p in Pillar
            if p is not Pillar.OBSERVER or rulebook.reporting.observers_report
        }
    title = say(
        "%(milestone)s (%(plenary)s)",
        milestone=Label(key=f"plenary.milestones.{milestone.key}.title", text=milestone.title),
        plenary=term(plenary_message("-x" in milestone.plenary_id, milestone.year, rulebook)),
    )
    description = say("Due on %(day)s; owner: %(owner)s.", day=milestone.due, owner=owner)
    return CalendarItem(
        uid=item_uid(milestone.id, rulebook.initiative.uid_domain),
        kind="milestone",
        title=title.english(),
        description=description.english(),
        title_message=title,
        description_message=description,
        start_date=milestone.due,
        audiences=frozenset(audiences),
    )


def _owner_label(role: Role, rulebook: Rulebook) -> Label | Term:
    labels = rulebook.initiative.labels
    if role is Role.FOCAL_POINT:
        return term(say("member focal points"))
    field = {
        Role.SECRETARIAT: "secretariat",
        Role.CHAIR: "chair",
        Role.STEERING_COMMITTEE: "steering_committee",
    }[role]
    return Label(key=f"initiative.labels.{field}", text=getattr(labels, field))


@dataclass(frozen=True, slots=True)
class ChairHolders:
    """Who acts as Chair now, and since when (the current term's start; None if unknown)."""

    people: tuple[str, ...]
    since: datetime | None = None

    def owe(self, step_at: datetime) -> bool:
        """Whether a Chair's step at `step_at` is this Chair's: one that fell before their
        term began was the outgoing Chair's, and reaches the new one only through the
        inheritance note of the handover, never as a replayed reminder. A step at the handover
        instant itself still belongs to the outgoing term (as in `handover.chair_at`)."""
        return self.since is None or step_at > self.since


def owner_notices(
    kind: NotificationKind,
    role: Role,
    item: str,
    version: str,
    text: str | Message,
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
    chairs: ChairHolders,
) -> list[Notification]:
    """The owner's notices of a step, stamped at the step or, if the milestone was planned
    after it, at the planning; none to a Chair whose term began after the step."""
    if milestone.owner_role is Role.CHAIR and not chairs.owe(step.at):
        return []
    title = Label(key=f"plenary.milestones.{milestone.key}.title", text=milestone.title)
    plenary = term(plenary_message("-x" in milestone.plenary_id, milestone.year, rulebook))
    if "overdue" in step.name:
        kind = NotificationKind.OVERDUE
        text = say(
            "Overdue: %(milestone)s for the %(plenary)s was due on %(due)s and is not marked "
            "complete.",
            milestone=title,
            plenary=plenary,
            due=milestone.due,
        )
    else:
        kind = NotificationKind.DEADLINE_REMINDER
        text = say(
            "Reminder: %(milestone)s for the %(plenary)s is due on %(due)s.",
            milestone=title,
            plenary=plenary,
            due=milestone.due,
        )
    notices = owner_notices(
        kind, milestone.owner_role, milestone.id, step.name, text, step.at, chairs.people
    )
    return [not_before(n, milestone.planned_at) for n in notices]


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
    # keyed on the move's instant too: a plenary moved back to dates it held before is news,
    # while a retry of this move (same instant) finds its notices in the ledger
    version = f"moved-{after.starts.isoformat()}-{after.ends.isoformat()}-{at.isoformat()}"
    title = term(_moved_plenary(after, rulebook))
    announcement = say(
        "The %(plenary)s has moved: it now takes place in %(location)s %(dates)s (it was %(was)s).",
        plenary=title,
        location=after.location,
        dates=Period(starts=after.starts, ends=after.ends),
        was=Period(starts=before.starts, ends=before.ends),
    )
    notices = [
        channel_notice(
            NotificationKind.CHANGE_NOTICE, "all_members", after.id, version, announcement, at
        )
    ]
    was = {m.key: m for m in old}
    by_owner: dict[Role, list[Message]] = {}
    for m in new:
        previous = was.get(m.key)
        if not reminded(m) or previous is None or previous.due == m.due:
            continue
        line = say(
            "%(milestone)s: %(was)s -> %(now)s",
            milestone=Label(key=f"plenary.milestones.{m.key}.title", text=m.title),
            was=previous.due,
            now=m.due,
        )
        by_owner.setdefault(m.owner_role, []).append(line)
    for role in sorted(by_owner, key=lambda r: list(Role).index(r)):
        text = say(
            "The %(plenary)s has moved; your milestones move with it: %(moved)s",
            plenary=title,
            moved=Terms(messages=tuple(by_owner[role]), separator="; "),
        )
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
    milestones: Sequence[PlannedMilestone],
    key: str,
    by: str,
    at: datetime,
    roles: frozenset[Role],
) -> PlannedMilestone:
    """The milestone `key` marked complete by `by` (holding `roles`), or the reason it cannot
    be."""
    found = next((m for m in milestones if m.key == key), None)
    if found is None:
        known = ", ".join(m.key for m in milestones) or "none"
        raise InvalidInput(
            say("no such milestone"),
            [Problem("key", say("no milestone %(key)r (known: %(known)s)", key=key, known=known))],
        )
    if not may_complete_milestone(found, roles):
        if every_members_own(found):
            raise Forbidden(
                Role.SECRETARIAT.value,
                say("completing the milestone %(key)r", key=key),
                [
                    Problem(
                        "by",
                        say(
                            "it stands for every member's own obligation: one member cannot "
                            "complete it for all (each member's report is tracked on its own); "
                            "only "
                            "the Secretariat may close it"
                        ),
                    )
                ],
            )
        if found.owner_role is Role.SECRETARIAT:
            # the Secretariat's own milestone: naming its role twice ("secretariat or
            # secretariat") says nothing more
            missing, reason = Role.SECRETARIAT.value, say("only the Secretariat may")
        else:
            missing = f"{found.owner_role.value} or {Role.SECRETARIAT.value}"
            reason = say(
                "only the %(owner_role)s role or the Secretariat may",
                owner_role=word(found.owner_role.value),
            )
        raise Forbidden(
            missing,
            say("completing the milestone %(key)r", key=key),
            [Problem("by", reason)],
        )
    if found.status is MilestoneStatus.COMPLETED:
        raise Conflict(
            say("the milestone is already complete"),
            [
                Problem(
                    "key",
                    say("completed by %(completed_by)s", completed_by=str(found.completed_by)),
                )
            ],
        )
    return found.model_copy(
        update={"status": MilestoneStatus.COMPLETED, "completed_at": at, "completed_by": by}
    )
