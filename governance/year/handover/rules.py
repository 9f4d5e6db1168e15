"""The Government Chair handover: who takes over, the checklist before it, and the instant itself.

A handover belongs to a year's annual plenary and happens when the plenary's last local day ends.
Before it, someone names the incoming Chair (the rulebook asks for it by T-60: if nobody has, the
Steering Committee hears of it), and the rulebook's checklist items fall due before the plenary,
each reminded to its owner until done. At the instant, the Chair role moves to the incoming
government; if nobody was named by then, the outgoing Chair stays until someone is, and the
handover happens at the designation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.messages import N_, Label, Message, Terms, say, sentences
from governance.kernel.model import ChairTerm, Frozen, Plenary, PlenaryKind, Slug
from governance.kernel.notices import Notification, channel_notice, direct_notice, not_before
from governance.kernel.timekeeping import end_of_day, local_date
from governance.rulebook.model import HandoverOwner, NotificationKind, Rulebook
from governance.year.milestones import (
    ChairHolders,
    PlannedMilestone,
    Step,
    deadline_steps,
    next_deadline_step_at,
)


class DesignateIncomingChair(Frozen):
    """Name the government that takes the Chair at the next handover."""

    action: Literal["designate_incoming_chair"] = "designate_incoming_chair"
    member: Slug
    by: Slug
    year: int | None = Field(
        None, ge=1990, le=2200, description="the handover's year; the next handover if absent"
    )


class CompleteHandoverItem(Frozen):
    """Tick off one item of a handover's checklist."""

    action: Literal["complete_handover_item"] = "complete_handover_item"
    year: Annotated[int, Field(ge=1990, le=2200)]
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")]
    by: Slug


class ItemStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"


class HandoverItemState(Frozen):
    key: str
    title: str
    owner: HandoverOwner
    due: date
    completed_at: AwareDatetime | None = None
    completed_by: str | None = None

    @property
    def status(self) -> ItemStatus:
        return ItemStatus.OPEN if self.completed_at is None else ItemStatus.COMPLETED


class Handover(Frozen):
    year: int
    plenary_id: Slug
    handover_at: AwareDatetime
    outgoing: str | None = None
    incoming: str | None = None
    designated_at: AwareDatetime | None = None
    designated_by: str | None = None
    completed_at: AwareDatetime | None = None
    items: tuple[HandoverItemState, ...] = ()
    # When its dates were last set (the plenary scheduled or moved): no notice about it is
    # stamped earlier. None for handovers planned before it was recorded.
    planned_at: AwareDatetime | None = None

    @property
    def id(self) -> str:
        return f"handover-{self.year}"

    def item_id(self, key: str) -> str:
        return f"{self.id}-{key.replace('_', '-')}"


def handover_instant(plenary: Plenary, rulebook: Rulebook) -> datetime:
    """The end of the plenary's last local day, when the Chair changes."""
    return end_of_day(plenary.ends, rulebook.initiative.timezone)


def chair_at(terms: Sequence[ChairTerm], instant: datetime) -> str | None:
    """The government chairing just before `instant` (a term ending at it still counts)."""
    holding = [t for t in terms if t.starts < instant <= t.ends]
    return max(holding, key=lambda t: t.starts).member if holding else None


def term_in_force(terms: Sequence[ChairTerm], now: datetime) -> ChairTerm | None:
    """The term running at `now` (at a handover instant, the new one)."""
    running = [t for t in terms if t.starts <= now < t.ends]
    return max(running, key=lambda t: t.starts) if running else None


def chair_since(terms: Sequence[ChairTerm], now: datetime) -> datetime | None:
    """When the term of the government chairing at `now` began: the latest begun by then (at
    the handover instant itself, once the Chair has moved, the new term)."""
    begun = [t.starts for t in terms if t.starts <= now]
    return max(begun) if begun else None


def plan_handover(
    plenary: Plenary, outgoing: str | None, rulebook: Rulebook, planned_at: datetime | None = None
) -> Handover | None:
    """The handover at an annual plenary's end, its checklist due before the plenary begins."""
    if plenary.kind is not PlenaryKind.ANNUAL:
        return None
    return Handover(
        year=plenary.year,
        plenary_id=plenary.id,
        handover_at=handover_instant(plenary, rulebook),
        outgoing=outgoing,
        planned_at=planned_at,
        items=tuple(
            HandoverItemState(
                key=item.key,
                title=item.title,
                owner=item.owner,
                due=plenary.starts - timedelta(days=item.days_before_plenary),
            )
            for item in rulebook.chair.handover_items
        ),
    )


def replan_handover(
    current: Handover, moved: Plenary, rulebook: Rulebook, at: datetime | None = None
) -> Handover:
    """A moved plenary moves the handover and every open item (planned anew `at`, the move);
    done items stay as they were."""
    fresh = plan_handover(moved, current.outgoing, rulebook)
    assert fresh is not None
    done = {i.key: i for i in current.items if i.status is ItemStatus.COMPLETED}
    return current.model_copy(
        update={
            "handover_at": fresh.handover_at,
            "items": tuple(done.get(i.key, i) for i in fresh.items),
            "planned_at": at if at is not None else current.planned_at,
        }
    )


def designation_day(plenary_starts: date, rulebook: Rulebook) -> date:
    """The last day to name the incoming Chair: the rulebook's T-N before the plenary."""
    return plenary_starts - timedelta(days=rulebook.chair.designate_incoming_days_before)


def designation_due(plenary: Plenary, rulebook: Rulebook) -> datetime:
    """When the rulebook wants the incoming Chair named by: the end of day T-N."""
    return end_of_day(designation_day(plenary.starts, rulebook), rulebook.initiative.timezone)


def designation_withdrawn(
    handover: Handover, name: str, at: datetime, rulebook: Rulebook
) -> tuple[Handover, list[Notification]]:
    """The handover with nobody named, its incoming Chair having stopped being a Full member
    (withdrawn, expelled, inactive): the README's "must be a Full member" holds at the handover
    too. The Steering Committee and the Secretariat are told to name another government; until
    then the handover waits as one with nobody named (the outgoing Chair stays)."""
    after = handover.model_copy(
        update={"incoming": None, "designated_at": None, "designated_by": None}
    )
    text = say(
        "%(member)s is no longer a Full member, so it will not become %(chair)s at the "
        "%(year)s handover: designate another government.",
        member=name,
        chair=Label(key="initiative.labels.chair", text=rulebook.initiative.labels.chair),
        year=str(handover.year),
    )
    version = f"withdrawn-{handover.incoming}-{at.isoformat()}"
    notices = [
        channel_notice(NotificationKind.HANDOVER, channel, handover.id, version, text, at)
        for channel in ("steering_committee", "secretariat")
    ]
    return after, notices


@dataclass(frozen=True, slots=True)
class OutOfOffice:
    """What a government's leaving Full membership changes in the Chair's succession."""

    handover: Handover | None = None
    ended_term: ChairTerm | None = None
    notices: tuple[Notification, ...] = ()


def out_of_office(
    member: str,
    name: str,
    next_handover: Handover | None,
    term: ChairTerm | None,
    at: datetime,
    rulebook: Rulebook,
) -> OutOfOffice:
    """A government stops being a Full member at `at`: named as the next incoming Chair, it no
    longer is (`designation_withdrawn`); chairing (`term` running at `at`), its term ends now
    and the next handover has nobody outgoing (found by a review: the Chair of an Inactive
    government kept deciding deferrals and plenary decisions). Its people lose the role with
    the Steering Committee's (govsched.persistence.repos.registry); until a next Chair's term
    is recorded or the handover comes, the Secretariat acts for the Chair."""
    handover, notices = next_handover, []
    if handover is not None and handover.incoming == member:
        handover, withdrawn = designation_withdrawn(handover, name, at, rulebook)
        notices += withdrawn
    ended = None
    if term is not None and term.member == member and term.starts < at < term.ends:
        ended = term.model_copy(update={"ends": at})
        if handover is not None and handover.outgoing == member:
            handover = handover.model_copy(update={"outgoing": None})
        text = say(
            "%(member)s is no longer a Full member, so its term as %(chair)s ends now; the "
            "Secretariat acts for the %(chair)s until the next term is recorded.",
            member=name,
            chair=Label(key="initiative.labels.chair", text=rulebook.initiative.labels.chair),
        )
        notices += [
            channel_notice(
                NotificationKind.HANDOVER,
                channel,
                f"chair-{member}",
                f"lapsed-{at.isoformat()}",
                text,
                at,
            )
            for channel in ("steering_committee", "secretariat")
        ]
    changed = handover if handover is not next_handover else None
    return OutOfOffice(changed, ended, tuple(notices))


def designate(
    handover: Handover,
    member: str,
    by: str,
    at: datetime,
    names: dict[str, str],
    rulebook: Rulebook,
) -> tuple[Handover, list[Notification]]:
    """The handover with its incoming Chair named, and the announcement to every member."""
    if handover.completed_at is not None:
        raise Conflict(
            say("the handover has happened"),
            [Problem("year", say("the %(year)s handover is complete", year=handover.year))],
        )
    if handover.incoming == member:
        raise Conflict(
            say("already designated"),
            [Problem("member", say("%(member)s is already the incoming Chair", member=member))],
        )
    after = handover.model_copy(
        update={"incoming": member, "designated_at": at, "designated_by": by}
    )
    chair = Label(key="initiative.labels.chair", text=rulebook.initiative.labels.chair)
    who = names.get(member, member)
    now = at >= handover.handover_at
    if handover.outgoing is not None and handover.outgoing != member:
        form = "from"
    elif handover.outgoing == member:
        form = "again"
    else:
        form = "first"
    # the plenary ended without a designation: the handover happens now
    when = local_date(handover.handover_at - timedelta(microseconds=1), _tz(rulebook))
    text = say(
        _DESIGNATED[now, form],
        who=who,
        chair=chair,
        day=when,
        outgoing=names.get(handover.outgoing or "", handover.outgoing or ""),
    )
    if handover.incoming is not None:
        # a corrected designation says what it corrects, so the two notices never contradict
        earlier = names.get(handover.incoming, handover.incoming)
        text = sentences(
            text, say("This replaces the earlier designation of %(earlier)s.", earlier=earlier)
        )
    notice = channel_notice(
        NotificationKind.HANDOVER,
        "all_members",
        handover.id,
        f"designated-{member}",
        text,
        at,
    )
    return after, [notice]


# Who takes over (now, or when the plenary ends), and from whom: the outgoing Chair, the same
# government again for a consecutive term, or nobody before it.
_DESIGNATED = {
    (True, "from"): N_("%(who)s takes over as %(chair)s now, from %(outgoing)s."),
    (True, "again"): N_("%(who)s takes over as %(chair)s now, for a consecutive term."),
    (True, "first"): N_("%(who)s takes over as %(chair)s now."),
    (False, "from"): N_(
        "%(who)s will take over as %(chair)s at the end of the plenary on %(day)s, from "
        "%(outgoing)s."
    ),
    (False, "again"): N_(
        "%(who)s will take over as %(chair)s at the end of the plenary on %(day)s, for a "
        "consecutive term."
    ),
    (False, "first"): N_(
        "%(who)s will take over as %(chair)s at the end of the plenary on %(day)s."
    ),
}


def complete_item(
    handover: Handover, key: str, by: str, at: datetime, may_complete: bool
) -> Handover:
    item = next((i for i in handover.items if i.key == key), None)
    if item is None:
        known = ", ".join(i.key for i in handover.items) or "none"
        raise InvalidInput(
            say("no such handover item"),
            [Problem("key", say("no item %(key)r (known: %(known)s)", key=key, known=known))],
        )
    if not may_complete:
        # who may is a matter of role: a 403 naming it, like every other refusal of a role
        raise Forbidden(
            _owner_text(item.owner).removeprefix("the "),
            say("completing the handover item %(key)r", key=key),
            [Problem("by", say("only %(owner)s may", owner=_owner_text(item.owner)))],
        )
    if item.status is ItemStatus.COMPLETED:
        raise Conflict(
            say("the item is already complete"),
            [
                Problem(
                    "key", say("completed by %(completed_by)s", completed_by=str(item.completed_by))
                )
            ],
        )
    done = item.model_copy(update={"completed_at": at, "completed_by": by})
    return handover.model_copy(
        update={"items": tuple(done if i.key == key else i for i in handover.items)}
    )


@dataclass(frozen=True, slots=True)
class Owners:
    """Who does each kind of handover work right now."""

    chairs: tuple[str, ...]
    incoming: tuple[str, ...]
    # when the current Chair's term began: its steps before then were the outgoing Chair's
    chair_since: datetime | None = None


def _to_owner(
    owner: HandoverOwner, owners: Owners, item: str, version: str, text: Message, at: datetime
) -> list[Notification]:
    kind = NotificationKind.DEADLINE_REMINDER if "reminder" in version else NotificationKind.OVERDUE
    chairs = ChairHolders(owners.chairs, owners.chair_since)
    if owner is HandoverOwner.OUTGOING_CHAIR and owners.chairs and not chairs.owe(at):
        return []  # a step of the term before: the new Chair's inheritance note has it
    people = {
        HandoverOwner.OUTGOING_CHAIR: owners.chairs,
        HandoverOwner.INCOMING_CHAIR: owners.incoming,
    }.get(owner)
    if people:
        return [direct_notice(kind, p, item, version, text, at) for p in sorted(set(people))]
    # the Secretariat's items, and any whose owner nobody is yet (no incoming Chair named)
    return [channel_notice(kind, "secretariat", item, version, text, at)]


def item_notices(
    handover: Handover, item: HandoverItemState, step: Step, owners: Owners
) -> list[Notification]:
    title = Label(key=f"chair.handover_items.{item.key}.title", text=item.title)
    if "overdue" in step.name:
        text = say(
            "Overdue: %(item)s (Chair handover %(year)s) was due on %(due)s and is not marked "
            "complete.",
            item=title,
            year=str(handover.year),
            due=item.due,
        )
    else:
        text = say(
            "Reminder: %(item)s (Chair handover %(year)s) is due on %(due)s.",
            item=title,
            year=str(handover.year),
            due=item.due,
        )
    notices = _to_owner(item.owner, owners, handover.item_id(item.key), step.name, text, step.at)
    return [not_before(n, handover.planned_at) for n in notices]


def missing_incoming_notice(
    handover: Handover, due: datetime, rulebook: Rulebook, at: datetime
) -> Notification:
    labels = rulebook.initiative.labels
    text = say(
        "No incoming %(chair)s has been designated for the handover at the end of the "
        "%(year)s plenary; the rulebook asks for one by %(due)s.",
        chair=Label(key="initiative.labels.chair", text=labels.chair),
        year=str(handover.year),
        due=local_date(due - timedelta(microseconds=1), _tz(rulebook)),
    )
    notice = channel_notice(
        NotificationKind.HANDOVER, "steering_committee", handover.id, "no-incoming", text, at
    )
    return not_before(notice, handover.planned_at)


def stalled_notice(handover: Handover, names: dict[str, str], rulebook: Rulebook) -> Notification:
    chair = Label(key="initiative.labels.chair", text=rulebook.initiative.labels.chair)
    if handover.outgoing:
        text = say(
            "The %(year)s plenary has ended with no incoming %(chair)s designated: %(who)s "
            "remains %(chair)s until one is, and the handover happens at the designation.",
            year=str(handover.year),
            chair=chair,
            who=names.get(handover.outgoing, handover.outgoing),
        )
    else:
        text = say(
            "The %(year)s plenary has ended with no incoming %(chair)s designated: nobody "
            "remains %(chair)s until one is, and the handover happens at the designation.",
            year=str(handover.year),
            chair=chair,
        )
    return channel_notice(
        NotificationKind.HANDOVER,
        "steering_committee",
        handover.id,
        "stalled",
        text,
        handover.handover_at,
    )


@dataclass(frozen=True, slots=True)
class HandoverDue:
    notices: list[Notification]
    next_at: datetime | None


def what_is_due(
    handover: Handover,
    plenary: Plenary,
    now: datetime,
    owners: Owners,
    names: dict[str, str],
    rulebook: Rulebook,
) -> HandoverDue:
    """What is due at `now` (the latest step of each open item, the missing-Chair alerts) and
    when to look next. Only the latest step of each item, so a worker back from downtime does
    not send every reminder it missed."""
    if handover.completed_at is not None:
        return HandoverDue([], None)
    notices: list[Notification] = []
    upcoming: list[datetime] = [handover.handover_at] if handover.handover_at > now else []
    for item in handover.items:
        if item.status is ItemStatus.COMPLETED:
            continue
        passed = deadline_steps(item.due, now, rulebook)
        if passed:
            notices += item_notices(handover, item, passed[-1], owners)
        following = next_deadline_step_at(item.due, now, rulebook)
        if following is not None:
            upcoming.append(following)
    if handover.incoming is None:
        due = designation_due(plenary, rulebook)
        if due <= now:
            notices.append(missing_incoming_notice(handover, due, rulebook, due))
        else:
            upcoming.append(due)
        if handover.handover_at <= now:
            notices.append(stalled_notice(handover, names, rulebook))
    return HandoverDue(notices, min(upcoming) if upcoming else None)


@dataclass(frozen=True, slots=True)
class WaitingApplication:
    """An application the plenary still has to decide: the applicant's name, and whether it is
    provisionally admitted (else it awaits the plenary's decision)."""

    organisation: str
    provisional: bool = False


@dataclass(frozen=True, slots=True)
class ChairTasks:
    """What the new Chair inherits, listed in the note that welcomes them (in the reader's
    language: titles are rulebook labels, due days are days)."""

    milestones: tuple[PlannedMilestone, ...] = ()
    applications: tuple[WaitingApplication, ...] = ()
    items: tuple[HandoverItemState, ...] = ()


@dataclass(frozen=True, slots=True)
class HandedOver:
    handover: Handover
    # the outgoing government's term, ended at the handover; None if nobody held the Chair
    closed: ChairTerm | None
    opened: ChairTerm
    notices: tuple[Notification, ...]


def ready(handover: Handover, now: datetime) -> bool:
    return (
        handover.completed_at is None
        and handover.incoming is not None
        and handover.handover_at <= now
    )


def hand_over(
    handover: Handover,
    outgoing_term: ChairTerm | None,
    next_handover_at: datetime | None,
    incoming_people: Sequence[str],
    tasks: ChairTasks,
    names: dict[str, str],
    rulebook: Rulebook,
) -> HandedOver:
    """The Chair moves: at the plenary's end, or at a late designation if that came after."""
    assert handover.incoming is not None
    assert handover.designated_at is not None
    at = max(handover.handover_at, handover.designated_at)
    ends = next_handover_at
    if ends is None or ends <= at:
        ends = _years_later(at, rulebook.chair.term_years, _tz(rulebook))
    closed = None
    if outgoing_term is not None:
        closed = outgoing_term.model_copy(update={"ends": at})
    opened = ChairTerm(member=handover.incoming, starts=at, ends=ends)
    done = handover.model_copy(update={"completed_at": at})
    label = rulebook.initiative.labels.chair
    chair = Label(key="initiative.labels.chair", text=label)
    incoming = names.get(handover.incoming, handover.incoming)
    if handover.outgoing is not None and handover.outgoing != handover.incoming:
        text = say(
            "%(incoming)s is now the %(chair)s, taking over from %(outgoing)s, until the "
            "handover at the %(next)s plenary.",
            incoming=incoming,
            chair=chair,
            outgoing=names.get(handover.outgoing, handover.outgoing),
            next=str(handover.year + 1),
        )
    else:
        text = say(
            "%(incoming)s is now the %(chair)s, until the handover at the %(next)s plenary.",
            incoming=incoming,
            chair=chair,
            next=str(handover.year + 1),
        )
    notices = [
        channel_notice(
            NotificationKind.HANDOVER, "all_members", handover.id, "handed-over", text, at
        )
    ]
    brief = _brief(tasks, label)
    notices += [
        direct_notice(NotificationKind.HANDOVER, p, handover.id, "welcome", brief, at)
        for p in sorted(set(incoming_people))
    ]
    return HandedOver(done, closed, opened, tuple(notices))


def _application_task(application: WaitingApplication) -> Message:
    if application.provisional:
        return say("%(applicant)s (provisionally admitted)", applicant=application.organisation)
    return say(
        "%(applicant)s (awaiting the plenary's decision)", applicant=application.organisation
    )


def _due_task(title: Label, due: date) -> Message:
    return say("%(task)s (due %(due)s)", task=title, due=due)


def _brief(tasks: ChairTasks, label: str) -> Message:
    chair = Label(key="initiative.labels.chair", text=label)
    parts = []
    # the tasks are listed as the Chair's pages name them
    if tasks.applications:
        listed = tuple(_application_task(a) for a in tasks.applications)
        parts.append(
            say(
                "Applications awaiting a plenary decision: %(tasks)s.",
                tasks=Terms(messages=listed, separator="; "),
            )
        )
    if tasks.milestones:
        listed = tuple(
            _due_task(Label(key=f"plenary.milestones.{m.key}.title", text=m.title), m.due)
            for m in tasks.milestones
        )
        parts.append(
            say(
                "Open milestones of the Chair: %(tasks)s.",
                tasks=Terms(messages=listed, separator="; "),
            )
        )
    if tasks.items:
        listed = tuple(
            _due_task(Label(key=f"chair.handover_items.{i.key}.title", text=i.title), i.due)
            for i in tasks.items
        )
        parts.append(
            say(
                "Handover items still open: %(tasks)s.",
                tasks=Terms(messages=listed, separator="; "),
            )
        )
    if not parts:
        parts.append(say("Nothing of the Chair's is pending."))
    return sentences(say("You now act as %(chair)s.", chair=chair), *parts)


def _owner_text(owner: HandoverOwner) -> str:
    if owner is HandoverOwner.SECRETARIAT:
        return "the Secretariat"
    return f"the {owner.value.replace('_', ' ')} or the Secretariat"


# A term that ended longer ago than this before a plenary was planned is history (a registry
# seeded with past Chairs), not a Chair in office whose term the planned handover carries on;
# and a handover further than a term year after the term's end is not the one that ends it.
_IN_OFFICE_LATELY = timedelta(days=183)
_NEXT_HANDOVER_WITHIN = timedelta(days=366)


def carried_to_handover(
    handover: Handover, terms: Sequence[ChairTerm], at: datetime, open_years: Iterable[int] = ()
) -> ChairTerm | None:
    """The term in office that must now run to `handover`, planned or moved `at`, or None.

    A term ends at the next handover known when it began, or a term later (`hand_over`). When
    the next plenary is then planned, or moved, after that end, the Chair stays until its
    handover (README): without this its term lapsed weeks early, nobody was Chair for the
    plenary, and the handover had no outgoing Chair to name. Only the next handover still to
    happen carries it (`open_years`: the years of the handovers still to happen); one more
    than a term year after the term's end is not carried to either (the plenaries between
    are not planned yet).
    """
    if handover.completed_at is not None or any(y < handover.year for y in open_years):
        return None
    begun = [t for t in terms if t.starts < handover.handover_at]
    if not begun:
        return None
    latest = max(begun, key=lambda t: t.starts)
    if latest.ends >= handover.handover_at or latest.ends < at - _IN_OFFICE_LATELY:
        return None
    if handover.handover_at - latest.ends > _NEXT_HANDOVER_WITHIN:
        return None
    return latest.model_copy(update={"ends": handover.handover_at})


def held_over_until(
    handover: Handover, next_handover_at: datetime | None, rulebook: Rulebook
) -> datetime:
    """When the outgoing Chair's term ends, as far as anyone knows, once its handover has
    passed with nobody named: it stays until someone is (the designation closes the term
    then), so until the next handover, or a term later if none is planned. The registry's
    terms answer who was Chair when a decision was taken; ended at the stalled handover, they
    answered nobody."""
    if next_handover_at is not None and next_handover_at > handover.handover_at:
        return next_handover_at
    return _years_later(handover.handover_at, rulebook.chair.term_years, _tz(rulebook))


def _years_later(at: datetime, years: int, tz: str) -> datetime:
    day = local_date(at - timedelta(microseconds=1), tz)
    try:
        later = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        later = day.replace(year=day.year + years, day=28)
    return end_of_day(later, tz)


def _tz(rulebook: Rulebook) -> str:
    return rulebook.initiative.timezone
