"""Changes to the registry, and the rules that accept or refuse them.

Each command is checked against just the facts it needs (so a 20,000-member registry is never
loaded to add one person), then turned into the records, calendar items, notices and audit
entries it causes. Nothing here reads a clock: the instant of the command is an argument.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from governance.kernel.audit import SYSTEM_ACTOR, AuditEntry
from governance.kernel.calendar import PUBLIC, CalendarItem, item_uid
from governance.kernel.errors import Conflict, InvalidInput, Problem
from governance.kernel.languages import Language
from governance.kernel.messages import Label, Message, Period, say, term, word
from governance.kernel.model import (
    ChairTerm,
    Email,
    Frozen,
    Member,
    MemberStatus,
    OneLine,
    Person,
    Pillar,
    Plenary,
    PlenaryKind,
    Role,
    Slug,
    StatusChange,
    SteeringCommitteeSeat,
    plenary_id,
)
from governance.kernel.notices import Notification, ScheduledNotice, channel_notice
from governance.kernel.timekeeping import instant_or_day_start, local_date, start_of_day
from governance.kernel.wording import day_text, with_article
from governance.registry.member_status import ChangeMemberStatus, status_change
from governance.registry.person_roles import (
    ChairInOffice,
    ChangePersonRoles,
    changed_person,
    role_problems,
)
from governance.registry.status_notices import (
    presenter_left_notice,
    reviews_released_notice,
    status_notices,
)
from governance.reports.cycle import (
    CycleDates,
    Review,
    deadline_withdrawn,
    opening_day,
    released_on_leaving,
)
from governance.roster.presentations import LedgerFacts, RecordPresentation, check
from governance.roster.rule import LedgerEntry
from governance.rulebook.model import NotificationKind, Rulebook
from governance.year.handover.rules import (
    CompleteHandoverItem,
    DesignateIncomingChair,
    Handover,
    OutOfOffice,
    chair_at,
    handover_instant,
    out_of_office,
    plan_handover,
    replan_handover,
)
from governance.year.meetings import meeting_events
from governance.year.milestones import (
    PlannedMilestone,
    calendar_item,
    complete,
    move_notices,
    plan,
    plenary_message,
    replan,
)
from governance.year.seats import RecordSeat, SeatFacts, record_seat, seat_id

Text = Annotated[OneLine, Field(min_length=1, max_length=200)]


class AddMember(Frozen):
    """Record an organisation as a member (for admissions, use the application process)."""

    action: Literal["add_member"] = "add_member"
    id: Slug
    name: Text
    pillar: Pillar
    country: Annotated[OneLine, Field(min_length=1, max_length=80)]
    joined: date | None = None
    status: MemberStatus = MemberStatus.FULL
    group: Annotated[OneLine, Field(max_length=120)] | None = None
    decision: Text = "recorded by the Secretariat"


class AddPerson(Frozen):
    action: Literal["add_person"] = "add_person"
    id: Slug
    name: Text
    email: Email
    member: Slug | None = None
    roles: list[Role] = []
    # None: the initiative's default (rulebook `initiative.language`).
    language: Language | None = None


class SchedulePlenary(Frozen):
    action: Literal["schedule_plenary"] = "schedule_plenary"
    year: Annotated[int, Field(ge=1990, le=2200)]
    starts: date
    ends: date
    location: Text
    host: Slug | None = None
    kind: PlenaryKind = PlenaryKind.ANNUAL


class MovePlenary(Frozen):
    """New dates for a scheduled plenary; every milestone and dependent deadline follows."""

    action: Literal["move_plenary"] = "move_plenary"
    year: Annotated[int, Field(ge=1990, le=2200)]
    starts: date
    ends: date
    location: Text | None = None
    plenary: Slug | None = Field(
        None, description="an extraordinary plenary's id; the year's annual plenary if absent"
    )


class CompleteMilestone(Frozen):
    """Mark a plenary milestone done; its owner's reminders stop."""

    action: Literal["complete_milestone"] = "complete_milestone"
    year: Annotated[int, Field(ge=1990, le=2200)]
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")]
    by: Slug
    plenary: Slug | None = Field(
        None, description="an extraordinary plenary's id; the year's annual plenary if absent"
    )


class SetChair(Frozen):
    """Record a government's term as Chair; a bare date means the start of that local day."""

    action: Literal["set_chair"] = "set_chair"
    member: Slug
    starts: AwareDatetime | date
    ends: AwareDatetime | date


RegistryCommand = Annotated[
    AddMember
    | AddPerson
    | SchedulePlenary
    | MovePlenary
    | CompleteMilestone
    | SetChair
    | DesignateIncomingChair
    | CompleteHandoverItem
    | RecordSeat
    | RecordPresentation
    | ChangeMemberStatus
    | ChangePersonRoles,
    Field(discriminator="action"),
]


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the rules need to know about a member another command refers to."""

    id: str
    name: str
    pillar: Pillar
    status: MemberStatus


@dataclass(frozen=True, slots=True)
class Effects:
    """What an accepted command causes, for the store and the notifier to carry out."""

    action: str
    item_kind: str
    item_id: str
    summary: str
    member: Member | None = None
    person: Person | None = None
    plenary: Plenary | None = None
    chair_term: ChairTerm | None = None
    calendar: tuple[CalendarItem, ...] = ()
    notices: tuple[Notification, ...] = ()
    scheduled: tuple[ScheduledNotice, ...] = ()
    presentation: LedgerEntry | None = None
    milestones: tuple[PlannedMilestone, ...] = ()
    handover: Handover | None = None
    seat: SteeringCommitteeSeat | None = None
    status_change: StatusChange | None = None
    # the status change's local day, on which the seats of a member that stops voting end
    status_day: date | None = None
    new_roles: Person | None = None  # a person already recorded, with their new roles
    chair_term_ended: ChairTerm | None = None  # a term in force, with its new (earlier) end


def add_member(cmd: AddMember, at: datetime, exists: bool, rulebook: Rulebook) -> Effects:
    if exists:
        raise Conflict(
            say("member %(cmd)r already exists", cmd=cmd.id), [Problem("id", say("already taken"))]
        )
    if cmd.pillar is Pillar.OBSERVER and cmd.status is MemberStatus.ENGAGED:
        # Engaged is the first step of a voting member towards Full; an observer never votes,
        # so it carries Full while active and is never on the Engaged path (its reminders and
        # its request for Full membership would have no meaning).
        raise InvalidInput(
            say("an observer is not admitted as Engaged"),
            [Problem("status", say("observers are recorded as full while active"))],
        )
    tz = rulebook.initiative.timezone
    joined = cmd.joined or local_date(at, tz)
    member = Member(
        id=cmd.id,
        name=cmd.name,
        pillar=cmd.pillar,
        country=cmd.country,
        joined=joined,
        status=cmd.status,
        status_history=(
            StatusChange(status=cmd.status, since=start_of_day(joined, tz), decision=cmd.decision),
        ),
        group=cmd.group,
    )
    return Effects(
        "member.added",
        "member",
        cmd.id,
        f"{cmd.name} recorded as {with_article(cmd.status.value)} member",
        member,
    )


@dataclass(frozen=True, slots=True)
class ReviewsHeld:
    """The peer reviews a member was assigned, as its status change needs them: the reviews,
    each year's cycle dates (a year whose plenary is gone has none) and the names of the
    members they are of."""

    reviews: tuple[Review, ...] = ()
    dates: Mapping[int, CycleDates] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


def _reviews_given_up(
    member: Member, status: MemberStatus, held: ReviewsHeld, at: datetime, rulebook: Rulebook
) -> tuple[tuple[Notification, ...], tuple[CalendarItem, ...]]:
    """What a member that left gives up of its peer reviews (the store releases the same ones,
    `registry_repo.change_status`): the Secretariat is told, year by year, and the member's
    review deadline is withdrawn from its calendars."""
    released = released_on_leaving(status, held.reviews)
    notices: list[Notification] = []
    calendar: list[CalendarItem] = []
    for year in sorted({r.year for r in released}):
        of = [held.names.get(r.report_of, r.report_of) for r in released if r.year == year]
        notices.append(reviews_released_notice(member, year, of, at))
        dates = held.dates.get(year)
        if dates is not None:
            published = [
                held.names.get(r.report_of, r.report_of) for r in held.reviews if r.year == year
            ]
            calendar.append(deadline_withdrawn(dates, member.id, published, rulebook))
    return tuple(notices), tuple(calendar)


def change_member_status(
    cmd: ChangeMemberStatus,
    at: datetime,
    member: Member | None,
    rulebook: Rulebook,
    focal_points: Sequence[str] = (),
    engaged_until: date | None = None,
    next_handover: Handover | None = None,
    chair_term: ChairTerm | None = None,
    presents_in: int | None = None,
    reviews: ReviewsHeld = ReviewsHeld(),
) -> Effects:
    """`engaged_until`: the day the member's Engaged period ends, told on a return to Engaged.
    `next_handover` and `chair_term` (the Chair's term in force): what a government leaving Full
    membership changes in the Chair's succession (`out_of_office`). `presents_in`: the year of
    a plenary still to come whose published roster has the member presenting. `reviews`: the
    peer reviews it was assigned, which a member that leaves gives up (`_reviews_given_up`)."""
    tz = rulebook.initiative.timezone
    change = status_change(cmd, at, member, tz)
    assert member is not None  # status_change refuses an unknown member
    notices = status_notices(member, change, focal_points, at, tz, engaged_until)
    office = OutOfOffice()
    if change.status is not MemberStatus.FULL:
        office = out_of_office(member.id, member.name, next_handover, chair_term, at, rulebook)
        if presents_in is not None:
            # found by a review: the roster kept a withdrawn presenter and nobody was told
            notices = (*notices, presenter_left_notice(member, change, presents_in, at, tz))
    released, calendar = _reviews_given_up(member, change.status, reviews, at, rulebook)
    return Effects(
        "member.status_changed",
        "member",
        member.id,
        f"{member.name} is now {cmd.status.value} ({cmd.decision})",
        calendar=calendar,
        status_change=change,
        status_day=local_date(change.since, tz),
        notices=(*notices, *released, *office.notices),
        handover=office.handover,
        chair_term_ended=office.ended_term,
    )


def change_person_roles(
    cmd: ChangePersonRoles,
    person: Person | None,
    member: MemberFacts | None,
    others_in_secretariat: int,
    chair_in_office: ChairInOffice | None = None,
) -> Effects:
    pillar = member.pillar if member is not None else None
    status = member.status if member is not None else None
    after = changed_person(cmd, person, pillar, others_in_secretariat, status, chair_in_office)
    names = ", ".join(r.value.replace("_", " ") for r in sorted(after.roles)) or "no role"
    return Effects(
        "person.roles_changed", "person", after.id, f"{after.name}: {names}", new_roles=after
    )


def _role_problems(
    cmd: AddPerson, member: MemberFacts | None, chair_in_office: ChairInOffice | None
) -> list[Problem]:
    if member is None:
        return role_problems(frozenset(cmd.roles), cmd.member, None)
    roles = frozenset(cmd.roles)
    return role_problems(roles, cmd.member, member.pillar, member.status, chair_in_office)


# Names the processes use for who acted when nobody in the registry did; never a person's id.
RESERVED_ACTORS = frozenset({"applicant", "system", "scenario", "seed", "minutes"})


def add_person(
    cmd: AddPerson,
    exists: bool,
    email_taken: bool,
    member: MemberFacts | None,
    chair_in_office: ChairInOffice | None = None,
) -> Effects:
    if cmd.id in RESERVED_ACTORS:
        raise InvalidInput(
            say("this id is reserved"),
            [Problem("id", say("%(cmd)r names an actor, not a person", cmd=cmd.id))],
        )
    if exists:
        raise Conflict(
            say("person %(cmd)r already exists", cmd=cmd.id), [Problem("id", say("already taken"))]
        )
    if email_taken:
        raise Conflict(
            say("another person has this email"), [Problem("email", say("already taken"))]
        )
    problems = _role_problems(cmd, member, chair_in_office)
    if cmd.member is not None and member is None:
        problems.insert(0, Problem("member", say("no member %(member)r", member=cmd.member)))
    if problems:
        raise InvalidInput(say("the person cannot be added"), problems)
    person = Person(
        id=cmd.id,
        name=cmd.name,
        email=cmd.email,
        member=cmd.member,
        roles=frozenset(cmd.roles),
        language=cmd.language,
    )
    return Effects("person.added", "person", cmd.id, f"{cmd.name} added", person=person)


def _before_reports_open(
    kind: PlenaryKind, year: int, ends: date, rulebook: Rulebook
) -> list[Problem]:
    """An annual plenary that ends before its year's reports open (`reporting.opens`, DEFAULT
    2 January: a plenary on 1 January) would have a reporting cycle that opens and closes at
    once, every member's report missed and escalated: refused, naming both ways out."""
    opens = opening_day(year, rulebook)
    if kind is not PlenaryKind.ANNUAL or ends >= opens:
        return []
    return [
        Problem(
            "ends",
            say(
                "the plenary would end before the %(year)s reports open on %(opens)s: "
                "hold it later, or open reports earlier (the rulebook's reporting.opens)",
                year=year,
                opens=opens,
            ),
        )
    ]


def schedule_plenary(
    cmd: SchedulePlenary,
    at: datetime,
    existing_ids: frozenset[str],
    host: MemberFacts | None,
    rulebook: Rulebook,
    chair_terms: Sequence[ChairTerm] = (),
) -> Effects:
    problems = []
    if cmd.ends < cmd.starts:
        problems.append(Problem("ends", say("the plenary ends before it starts")))
    if cmd.starts.year != cmd.year:
        problems.append(
            Problem("starts", say("the %(year)s plenary must start in %(year)s", year=cmd.year))
        )
    problems += _before_reports_open(cmd.kind, cmd.year, cmd.ends, rulebook)
    if cmd.host is not None and host is None:
        problems.append(Problem("host", say("no member %(host)r", host=cmd.host)))
    elif host is not None and host.pillar is not Pillar.GOVERNMENT:
        problems.append(Problem("host", say("a plenary is hosted by a government")))
    if problems:
        raise InvalidInput(say("the plenary cannot be scheduled"), problems)
    number = 1
    if cmd.kind is PlenaryKind.ANNUAL:
        pid = plenary_id(cmd.year)
        if pid in existing_ids:
            raise Conflict(
                say("the %(year)s annual plenary is already scheduled", year=cmd.year),
                [Problem("year", say("already scheduled; move it instead"))],
            )
    else:
        while plenary_id(cmd.year, cmd.kind, number) in existing_ids:
            number += 1
        pid = plenary_id(cmd.year, cmd.kind, number)
    plenary = Plenary(
        id=pid,
        year=cmd.year,
        kind=cmd.kind,
        starts=cmd.starts,
        ends=cmd.ends,
        location=cmd.location,
        host=cmd.host,
    )
    event = _plenary_event(plenary, host, rulebook)
    text = _plenary_announcement(plenary, host, rulebook)
    notice = channel_notice(NotificationKind.ANNOUNCEMENT, "all_members", pid, 1, text, at)
    milestones = plan(plenary, rulebook, at)
    # a plenary recorded after the fact (seeding history) has no handover still to come
    instant = handover_instant(plenary, rulebook)
    handover = None
    if instant > at:
        handover = plan_handover(plenary, chair_at(chair_terms, instant), rulebook, at)
    return Effects(
        "plenary.scheduled",
        "plenary",
        pid,
        event.description,
        plenary=plenary,
        calendar=(
            event,
            *meeting_events(plenary, rulebook),
            *(calendar_item(m, rulebook) for m in milestones),
        ),
        notices=(notice,),
        milestones=milestones,
        handover=handover,
    )


def _plenary_announcement(
    plenary: Plenary, host: MemberFacts | None, rulebook: Rulebook
) -> Message:
    """The calendar entry's description, as a notice in each reader's language."""
    name = _plenary_name(plenary, rulebook)
    dates = Period(starts=plenary.starts, ends=plenary.ends)
    if host is None:
        return say(
            "The %(plenary)s will take place in %(location)s, %(dates)s.",
            plenary=term(name),
            location=plenary.location,
            dates=dates,
        )
    return say(
        "The %(plenary)s will take place in %(location)s, %(dates)s, hosted by %(host)s.",
        plenary=term(name),
        location=plenary.location,
        dates=dates,
        host=host.name,
    )


def _plenary_name(plenary: Plenary, rulebook: Rulebook) -> Message:
    """`VPI 2027 Annual Plenary` (the rulebook's label), or an Extraordinary Plenary."""
    return plenary_message(plenary.kind is not PlenaryKind.ANNUAL, plenary.year, rulebook)


def _plenary_event(plenary: Plenary, host: MemberFacts | None, rulebook: Rulebook) -> CalendarItem:
    title = _plenary_name(plenary, rulebook)
    description = _plenary_announcement(plenary, host, rulebook)
    return CalendarItem(
        uid=item_uid(plenary.id, rulebook.initiative.uid_domain),
        kind="plenary",
        title=title.english(),
        description=description.english(),
        title_message=title,
        description_message=description,
        location=plenary.location,
        start_date=plenary.starts,
        end_date=plenary.ends,
        audiences=frozenset({PUBLIC}),
    )


@dataclass(frozen=True, slots=True)
class PlenaryFacts:
    """A scheduled plenary, its milestones and who acts as Chair, for moving or completing."""

    plenary: Plenary | None
    milestones: tuple[PlannedMilestone, ...]
    host: MemberFacts | None
    chairs: tuple[str, ...]
    today: date
    handover: Handover | None = None


def move_plenary(
    cmd: MovePlenary, at: datetime, facts: PlenaryFacts, rulebook: Rulebook
) -> Effects:
    before = facts.plenary
    if before is None:
        wanted = cmd.plenary or plenary_id(cmd.year)
        raise InvalidInput(
            say("no such plenary"),
            [
                Problem(
                    "plenary" if cmd.plenary else "year",
                    say("%(wanted)s is not scheduled", wanted=wanted),
                )
            ],
        )
    problems = []
    if cmd.ends < cmd.starts:
        problems.append(Problem("ends", say("the plenary ends before it starts")))
    if cmd.starts.year != before.year:
        problems.append(
            Problem("starts", say("the %(year)s plenary must start in %(year)s", year=before.year))
        )
    problems += _before_reports_open(before.kind, before.year, cmd.ends, rulebook)
    if before.starts <= facts.today:
        problems.append(Problem("year", say("the plenary has begun; it can no longer be moved")))
    if cmd.starts <= facts.today:
        problems.append(Problem("starts", say("a plenary can only move to a day after today")))
    if problems:
        raise InvalidInput(say("the plenary cannot be moved"), problems)
    after = before.model_copy(
        update={"starts": cmd.starts, "ends": cmd.ends, "location": cmd.location or before.location}
    )
    if after == before:
        raise Conflict(
            say("the plenary already has these dates"),
            [Problem("starts", say("nothing would change"))],
        )
    milestones = replan(facts.milestones, after, rulebook, at)
    notices = move_notices(before, after, facts.milestones, milestones, rulebook, at, facts.chairs)
    summary = notices[0].text
    return Effects(
        "plenary.moved",
        "plenary",
        after.id,
        summary,
        plenary=after,
        calendar=(
            _plenary_event(after, facts.host, rulebook),
            *meeting_events(after, rulebook, before),
            *(calendar_item(m, rulebook) for m in milestones),
        ),
        notices=tuple(notices),
        milestones=milestones,
        handover=None
        if facts.handover is None
        else replan_handover(facts.handover, after, rulebook, at),
    )


def complete_milestone(
    cmd: CompleteMilestone,
    at: datetime,
    facts: PlenaryFacts,
    roles: frozenset[Role] | None,
) -> Effects:
    """`roles` are those of the person named in `by` (None: no such person)."""
    if facts.plenary is None:
        wanted = cmd.plenary or plenary_id(cmd.year)
        raise InvalidInput(
            say("no such plenary"),
            [
                Problem(
                    "plenary" if cmd.plenary else "year",
                    say("%(wanted)s is not scheduled", wanted=wanted),
                )
            ],
        )
    if roles is None:
        raise InvalidInput(
            say("no such person"), [Problem("by", say("no person %(by)r", by=cmd.by))]
        )
    done = complete(facts.milestones, cmd.key, cmd.by, at, roles)
    return Effects(
        "milestone.completed",
        "milestone",
        done.id,
        f"{done.title} for the {facts.plenary.year} plenary completed by {cmd.by}",
        milestones=(done,),
    )


def _overlaps(a: ChairTerm, b: ChairTerm) -> bool:
    return a.starts < b.ends and b.starts < a.ends


# Terms half a year apart or more are not back to back even when nobody's term is recorded
# between them: a Chair's term is a year, so such a gap was someone's term or no Chair at all,
# while terms recorded as dates leave days between them, not months.
_TERMS_APART = timedelta(days=183)


def consecutive_terms(term: ChairTerm, terms: Sequence[ChairTerm]) -> int:
    """How many back-to-back terms of the same member `term` would make, itself included.

    Two of a member's terms are back to back when no other member's term starts between them
    and they are less than half a year apart: terms recorded as dates (plenary day to plenary day)
    leave a day or a few between them, which must not reset the count. The chain runs both
    ways, so a term recorded before, between or after existing ones is counted the same.
    """
    own = [t for t in terms if t.member == term.member and t != term]
    others = [t.starts for t in terms if t.member != term.member]

    def back_to_back(first: ChairTerm, then: ChairTerm) -> bool:
        return then.starts - first.ends < _TERMS_APART and not any(
            first.starts < starts < then.starts for starts in others
        )

    count, current = 1, term
    while before := [t for t in own if t.ends <= current.starts]:
        previous = max(before, key=lambda t: t.ends)
        if not back_to_back(previous, current):
            break
        count, current = count + 1, previous
    current = term
    while after := [t for t in own if t.starts >= current.ends]:
        following = min(after, key=lambda t: t.starts)
        if not back_to_back(current, following):
            break
        count, current = count + 1, following
    return count


def chair_member_problems(member_id: str, member: MemberFacts | None) -> list[Problem]:
    """Why `member` cannot chair: the Chair is a government that is a Full member."""
    if member is None:
        return [Problem("member", say("no member %(member_id)r", member_id=member_id))]
    if member.pillar is not Pillar.GOVERNMENT:
        return [Problem("member", say("the Chair is a government"))]
    if member.status is not MemberStatus.FULL:
        return [
            Problem(
                "member",
                say("the Chair must be a full member (%(status)s)", status=word(member.status)),
            )
        ]
    return []


def set_chair(
    cmd: SetChair,
    at: datetime,
    member: MemberFacts | None,
    terms: list[ChairTerm],
    rulebook: Rulebook,
) -> Effects:
    tz = rulebook.initiative.timezone
    term = ChairTerm(
        member=cmd.member,
        starts=instant_or_day_start(cmd.starts, tz),
        ends=instant_or_day_start(cmd.ends, tz),
    )
    problems = chair_member_problems(cmd.member, member)
    if term.ends <= term.starts:
        problems.append(Problem("ends", say("the term ends before it starts")))
    if problems:
        raise InvalidInput(say("the Chair term cannot be recorded"), problems)
    assert member is not None
    clash = next((t for t in terms if _overlaps(t, term)), None)
    if clash is not None:
        raise Conflict(
            say("the term overlaps another Chair term"),
            [
                Problem(
                    "starts",
                    say(
                        "%(member)s is Chair until %(ends)s",
                        member=clash.member,
                        ends=day_text(local_date(clash.ends, tz)),
                    ),
                )
            ],
        )
    limit = rulebook.chair.max_consecutive_terms
    if consecutive_terms(term, terms) > limit:
        raise Conflict(
            say("too many consecutive terms"),
            [
                Problem(
                    "member", say("at most %(limit)s consecutive terms are allowed", limit=limit)
                )
            ],
        )
    chair_label = rulebook.initiative.labels.chair
    item = f"chair-{cmd.member}-{local_date(term.starts, tz).isoformat()}"
    begins = channel_notice(
        NotificationKind.HANDOVER,
        "all_members",
        item,
        1,
        say(
            "%(member)s is now the %(chair)s, until %(ends)s.",
            member=member.name,
            chair=Label(key="initiative.labels.chair", text=chair_label),
            ends=local_date(term.ends, tz),
        ),
        term.starts,
    )
    began = AuditEntry(
        key=f"chair_term.began:{item}",
        at=term.starts,
        actor=SYSTEM_ACTOR,
        action="chair_term.began",
        item_kind="chair_term",
        item_id=item,
        reason=begins.text,
    )
    scheduled = (
        (ScheduledNotice(due=term.starts, notification=begins, audit=began),)
        if term.starts > at
        else ()
    )
    return Effects(
        "chair_term.recorded",
        "chair_term",
        item,
        f"{member.name} recorded as {chair_label} from "
        f"{day_text(local_date(term.starts, tz))} to {day_text(local_date(term.ends, tz))}",
        chair_term=term,
        scheduled=scheduled,
    )


def record_steering_seat(
    cmd: RecordSeat, facts: SeatFacts, rulebook: Rulebook, at: datetime | None = None
) -> Effects:
    seat = record_seat(cmd, facts, rulebook).model_copy(update={"recorded_at": at})
    label = rulebook.initiative.labels.steering_committee
    return Effects(
        "seat.recorded",
        "steering_committee_seat",
        seat_id(seat),
        f"{cmd.member} holds a {label} seat ({seat.pillar.value}) from "
        f"{day_text(seat.starts)} to {day_text(seat.ends)}",
        seat=seat,
    )


def audit_entry(effects: Effects, key: str, at: datetime, actor: str, reason: str) -> AuditEntry:
    """The audit entry for an accepted registry command, keyed so a retry cannot add a second."""
    return AuditEntry(
        key=f"{key}:{effects.action}",
        at=at,
        actor=actor,
        action=effects.action,
        item_kind=effects.item_kind,
        item_id=effects.item_id,
        reason=reason,
        data={"summary": effects.summary},
    )


_PILLAR_PREFIX = {
    Pillar.GOVERNMENT: "gov",
    Pillar.COMPANY: "co",
    Pillar.NGO: "ngo",
    Pillar.OBSERVER: "obs",
}
_GOVERNMENT_WORDS = {"government", "of", "the"}


def member_id_for(organisation: str, pillar: Pillar, taken: set[str]) -> str:
    """A readable, unused member id: `gov-norland`, `co-aurum-mining`, `ngo-rights-watch-2`."""
    ascii_name = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    if pillar is Pillar.GOVERNMENT:
        while words and words[0] in _GOVERNMENT_WORDS:
            words.pop(0)
    prefix = _PILLAR_PREFIX[pillar]
    base = f"{prefix}-{'-'.join(words)}"[:56].rstrip("-") if words else prefix
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def record_presentation(cmd: RecordPresentation, facts: LedgerFacts) -> Effects:
    entry = check(cmd, facts)
    return Effects(
        "presentation.recorded",
        "presentation",
        f"{cmd.year}-{cmd.member}",
        f"{cmd.member}: {cmd.outcome.value} at the {cmd.year} plenary",
        presentation=entry,
    )
