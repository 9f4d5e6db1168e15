"""Keeping In-country Implementation Groups: the registry of groups (the Secretariat's), and
each group's meetings and attendance (the Secretariat's and the group's coordinators').

Every change is one transaction with its audit entry; the rules decide (governance.groups) and
a refusal leaves nothing recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from governance.groups import access, requests
from governance.groups import meetings as meeting_rules
from governance.groups import model as group_rules
from governance.groups import nominations as nomination_rules
from governance.groups.attendance import Attendance, check_attendance
from governance.groups.funding import FundingAsk
from governance.groups.meetings import Meeting, MovedOccurrence, Occurrence, occurrences
from governance.groups.model import Exploration, Group, GroupStatus, LocalParticipant
from governance.groups.money import Money, Spent
from governance.groups.nominations import Nomination, Nominee
from governance.groups.plans import BudgetLine, Deliverable
from governance.groups.requests import GroupRequest
from governance.kernel.audit import AuditEntry
from governance.kernel.errors import Conflict, InvalidInput, NotFound, Problem
from governance.kernel.messages import N_, Terms, said, say
from governance.kernel.model import MemberStatus, Person, Plenary, incoming, plenary_id
from governance.rulebook.model import Rulebook
from govsched.i18n.field_refusals import reason_words
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo

ITEM_KIND = "icig"
FEED_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Model = TypeVar("Model", bound=BaseModel)


# What a refusal of each kind of input says it could not do, in words: the class's own name
# ("movedoccurrence") tells a reader nothing. A kind not listed is "the request". Each with its
# reasons (the API's message) and without them (the top of a form, which shows each reason
# beside its field: the field names inside the reasons are the request's, never the form's).
_REFUSALS: tuple[tuple[type[BaseModel], str, str], ...] = (
    (
        Meeting,
        N_("the meeting cannot be planned: %(reasons)s"),
        N_("the meeting cannot be planned"),
    ),
    (
        MovedOccurrence,
        N_("the occurrence cannot be moved: %(reasons)s"),
        N_("the occurrence cannot be moved"),
    ),
    (
        requests.CancelGroupOccurrence,
        N_("the occurrence cannot be cancelled: %(reasons)s"),
        N_("the occurrence cannot be cancelled"),
    ),
    (
        Attendance,
        N_("the attendance cannot be recorded: %(reasons)s"),
        N_("the attendance cannot be recorded"),
    ),
    (
        Group,
        N_("the group cannot be recorded: %(reasons)s"),
        N_("the group cannot be recorded"),
    ),
    (
        Exploration,
        N_("the findings cannot be recorded: %(reasons)s"),
        N_("the findings cannot be recorded"),
    ),
    (
        LocalParticipant,
        N_("the participant cannot be added: %(reasons)s"),
        N_("the participant cannot be added"),
    ),
    (
        Money,
        N_("the amount cannot be taken: %(reasons)s"),
        N_("the amount cannot be taken"),
    ),
    (
        Spent,
        N_("the amount cannot be taken: %(reasons)s"),
        N_("the amount cannot be taken"),
    ),
    (
        Deliverable,
        N_("the deliverable cannot be added: %(reasons)s"),
        N_("the deliverable cannot be added"),
    ),
    (
        BudgetLine,
        N_("the budget line cannot be added: %(reasons)s"),
        N_("the budget line cannot be added"),
    ),
    (
        FundingAsk,
        N_("the funding request cannot be made: %(reasons)s"),
        N_("the funding request cannot be made"),
    ),
)
_REFUSED = (N_("the request cannot be taken: %(reasons)s"), N_("the request cannot be taken"))


def made(cls: type[Model], data: dict[str, Any], prefix: str = "body") -> Model:
    """The model built from `data`, or InvalidInput naming each field and why (never a 500),
    its message saying in words what could not be done and why. A text the model requires is
    refused blank, as the API's bodies refuse it (`governance.kernel.model.incoming`)."""
    try:
        return incoming(cls, data)
    except ValidationError as exc:
        # pydantic's "Value error, " prefix says nothing to the person reading the refusal; a
        # form reads each reason in its reader's words (the API's `reason` stays pydantic's)
        problems = [
            Problem(
                ".".join(str(p) for p in (prefix, *err["loc"]) if p != ""),
                err["msg"].removeprefix("Value error, "),
                words=reason_words(err),
            )
            for err in exc.errors()
        ]
        sentence, summary = next(
            ((words, short) for kind, words, short in _REFUSALS if issubclass(cls, kind)),
            _REFUSED,
        )
        raise InvalidInput(
            say(sentence, reasons=_reasons(problems)), problems, summary=say(summary)
        ) from None


def _reasons(problems: list[Problem]) -> Terms:
    """`field: reason; field: reason`, each reason in the reader's words."""
    return Terms(
        messages=tuple(
            say(
                "%(field)s: %(reason)s",
                field=p.path.removeprefix("body."),
                reason=said(p.words or p.reason),
            )
            for p in problems
        ),
        separator="; ",
    )


def _audit(
    session: Session, group_id: str, by: str, at: datetime, action: str, **data: Any
) -> None:
    audit_repo.append(
        session,
        AuditEntry(
            key=f"icig:{group_id}:{action}:{by}:{at.isoformat()}",
            at=at,
            actor=by,
            action=f"icig.{action}",
            item_kind=ITEM_KIND,
            item_id=group_id,
            data=dict(data),
        ),
    )


@contextmanager
def _changing(db: Database, group_id: str) -> Iterator[Session]:
    """A write transaction holding the group: changes of one group are made one after the other,
    each reading what the one before wrote (`group_repo.lock`)."""
    with db.writing() as session:
        group_repo.lock(session, group_id)
        yield session


@contextmanager
def _changing_meeting(db: Database, meeting_id: str) -> Iterator[Session]:
    """As `_changing`, for the group of the meeting (none: the meeting is refused as unknown)."""
    with db.writing() as session:
        group_repo.lock(session, group_repo.group_of_meeting(session, meeting_id) or "")
        yield session


def existing_group(session: Session, group_id: str) -> Group:
    """The group, or NotFound (a 404 naming it)."""
    group = group_repo.get_group(session, group_id)
    if group is None:
        raise NotFound("group", group_id)
    return group


def _meeting(session: Session, meeting_id: str) -> Meeting:
    meeting = group_repo.get_meeting(session, meeting_id)
    if meeting is None:
        raise NotFound("meeting", meeting_id)
    return meeting


def list_groups(db: Database) -> list[Group]:
    with db.reading() as session:
        return group_repo.groups(session)


def get_group(db: Database, group_id: str) -> Group:
    with db.reading() as session:
        return existing_group(session, group_id)


def _check_known(session: Session, group: Group) -> None:
    """Members are the initiative's; coordinators its people or the group's participants."""
    problems = [
        Problem("member_ids", say("%(member)r is not a member of the initiative", member=member_id))
        for member_id in sorted(group.member_ids)
        if registry_repo.get_member(session, member_id) is None
    ]
    problems += [
        Problem(
            "coordinators",
            say("%(person)r is neither a person nor a participant", person=person_id),
        )
        for person_id in sorted(group.coordinators)
        if group.participant(person_id) is None
        and registry_repo.get_person(session, person_id) is None
    ]
    if problems:
        raise InvalidInput(say("the group names people or members nobody knows"), problems)


def _member_status(session: Session, member_id: str) -> MemberStatus | None:
    member = registry_repo.get_member(session, member_id)
    return None if member is None else member.status


def _coordinators_member(
    session: Session, group: Group, person_id: str
) -> tuple[str, MemberStatus] | None:
    """The member a would-be coordinator speaks for, with its status (None for a local
    participant or a person of no member)."""
    if group.participant(person_id) is not None:
        return None
    person = registry_repo.get_person(session, person_id)
    if person is None or person.member is None:
        return None
    status = _member_status(session, person.member)
    return None if status is None else (person.member, status)


def create_group(db: Database, group: Group, person: Person, at: datetime) -> Group:
    access.check_keeper(person.roles, say("recording a group"))
    with _changing(db, group.id) as session:
        if group_repo.get_group(session, group.id) is not None:
            raise Conflict(
                say("the group exists already"),
                [Problem("id", say("%(id)r is taken", id=group.id))],
            )
        _check_known(session, group)
        for member_id in sorted(group.member_ids):
            group_rules.check_member_joins(
                member_id, _member_status(session, member_id), "member_ids"
            )
        for person_id in sorted(group.coordinators):
            member = _coordinators_member(session, group, person_id)
            group_rules.check_coordinator_joins(person_id, member, "coordinators")
        group_repo.save_group(session, group)
        _audit(session, group.id, person.id, at, "group_recorded", status=group.status.value)
    return group


def _change_group(
    db: Database, group_id: str, person: Person, at: datetime, action: str, change: Any
) -> Group:
    return _change_group_reading(db, group_id, person, at, action, lambda _, g: change(g))


def _change_group_reading(
    db: Database,
    group_id: str,
    person: Person,
    at: datetime,
    action: str,
    change: Callable[[Session, Group], Group],
) -> Group:
    """As `_change_group`, for a change that reads the registry in the same transaction."""
    access.check_keeper(person.roles, say("changing a group"))
    with _changing(db, group_id) as session:
        changed = change(session, existing_group(session, group_id))
        _check_known(session, changed)
        group_repo.save_group(session, changed)
        _audit(session, group_id, person.id, at, action)
    return changed


def record_exploration(
    db: Database, group_id: str, found: Exploration, person: Person, at: datetime
) -> Group:
    return _change_group(
        db,
        group_id,
        person,
        at,
        "exploration_recorded",
        lambda g: group_rules.record_exploration(g, found),
    )


def change_status(
    db: Database, group_id: str, status: GroupStatus, person: Person, at: datetime
) -> Group:
    return _change_group(
        db,
        group_id,
        person,
        at,
        f"became_{status.value}",
        lambda g: group_rules.change_status(g, status),
    )


def set_partner(db: Database, group_id: str, partner: bool, person: Person, at: datetime) -> Group:
    return _change_group(
        db,
        group_id,
        person,
        at,
        "partner_set" if partner else "partner_unset",
        lambda g: g.model_copy(update={"partner": partner}),
    )


def add_member(db: Database, group_id: str, member_id: str, person: Person, at: datetime) -> Group:
    return _change_group_reading(
        db,
        group_id,
        person,
        at,
        "member_added",
        lambda s, g: group_rules.add_member(g, member_id, _member_status(s, member_id)),
    )


def add_participant(
    db: Database, group_id: str, participant: LocalParticipant, person: Person, at: datetime
) -> Group:
    return _change_group(
        db,
        group_id,
        person,
        at,
        "participant_added",
        lambda g: group_rules.add_participant(g, participant),
    )


def add_coordinator(
    db: Database, group_id: str, person_id: str, person: Person, at: datetime
) -> Group:
    return _change_group_reading(
        db,
        group_id,
        person,
        at,
        "coordinator_added",
        lambda s, g: group_rules.add_coordinator(
            g, person_id, _coordinators_member(s, g, person_id)
        ),
    )


def remove_member(
    db: Database, group_id: str, member_id: str, person: Person, at: datetime
) -> Group:
    return _change_group(
        db,
        group_id,
        person,
        at,
        "member_removed",
        lambda g: group_rules.remove_member(g, member_id),
    )


def remove_participant(
    db: Database, group_id: str, participant_id: str, person: Person, at: datetime
) -> Group:
    return _change_group(
        db,
        group_id,
        person,
        at,
        "participant_removed",
        lambda g: group_rules.remove_participant(g, participant_id),
    )


def remove_coordinator(
    db: Database, group_id: str, person_id: str, person: Person, at: datetime
) -> Group:
    return _change_group(
        db,
        group_id,
        person,
        at,
        "coordinator_removed",
        lambda g: group_rules.remove_coordinator(g, person_id),
    )


def list_meetings(db: Database, group_id: str) -> list[Meeting]:
    with db.reading() as session:
        existing_group(session, group_id)
        return group_repo.meetings(session, group_id)


def group_occurrences(
    db: Database, group_id: str, window_from: datetime, window_to: datetime
) -> list[Occurrence]:
    with db.reading() as session:
        group = existing_group(session, group_id)
        found = [
            o
            for m in group_repo.meetings(session, group_id)
            for o in occurrences(m, group.timezone, window_from, window_to)
        ]
    return sorted(found, key=lambda o: (o.starts, o.meeting_id))


def plan_meeting(
    db: Database, group_id: str, data: dict[str, Any], person: Person, at: datetime
) -> Meeting:
    with _changing(db, group_id) as session:
        group = existing_group(session, group_id)
        access.check_runner(group, person.id, person.roles, say("planning a group's meeting"))
        meeting = made(Meeting, {**data, "group_id": group_id})
        meeting_rules.check_times(meeting.starts, meeting.ends, group.timezone)
        if group_repo.get_meeting(session, meeting.id) is not None:
            raise Conflict(
                say("the meeting exists already"),
                [Problem("id", say("%(id)r is taken", id=meeting.id))],
            )
        group_repo.save_meeting(session, meeting)
        _audit(session, group_id, person.id, at, "meeting_planned", meeting=meeting.id)
    return meeting


def _change_meeting(
    db: Database,
    meeting_id: str,
    person: Person,
    at: datetime,
    action: str,
    change: Callable[[Meeting, str], Meeting],
) -> Meeting:
    """The meeting changed by `change`, given it and its group's time zone."""
    with _changing_meeting(db, meeting_id) as session:
        meeting = _meeting(session, meeting_id)
        group = existing_group(session, meeting.group_id)
        access.check_runner(group, person.id, person.roles, say("changing a group's meeting"))
        changed: Meeting = change(meeting, group.timezone)
        group_repo.save_meeting(session, changed)
        _audit(session, group.id, person.id, at, action, meeting=meeting_id)
    return changed


def move_occurrence(
    db: Database, meeting_id: str, move: MovedOccurrence, person: Person, at: datetime
) -> Meeting:
    return _change_meeting(
        db,
        meeting_id,
        person,
        at,
        "occurrence_moved",
        lambda m, tz: _moved(m, move, tz),
    )


def _moved(meeting: Meeting, move: MovedOccurrence, tz: str) -> Meeting:
    meeting_rules.check_times(move.starts, move.ends, tz)
    return meeting_rules.move_occurrence(meeting, move)


def cancel_occurrence(
    db: Database, meeting_id: str, recurrence_id: datetime, person: Person, at: datetime
) -> Meeting:
    return _change_meeting(
        db,
        meeting_id,
        person,
        at,
        "occurrence_cancelled",
        lambda m, _tz: meeting_rules.cancel_occurrence(m, recurrence_id),
    )


def record_attendance(db: Database, record: Attendance, person: Person, at: datetime) -> Attendance:
    with _changing_meeting(db, record.meeting_id) as session:
        meeting = _meeting(session, record.meeting_id)
        group = existing_group(session, meeting.group_id)
        access.check_runner(group, person.id, person.roles, say("recording attendance"))
        check_attendance(meeting, group.timezone, record, at)
        group_repo.save_attendance(session, record)
        _audit(session, group.id, person.id, at, "attendance_recorded", meeting=meeting.id)
    return record


def meeting_attendance(db: Database, meeting_id: str) -> list[Attendance]:
    with db.reading() as session:
        _meeting(session, meeting_id)
        return group_repo.attendance(session, meeting_id)


def _person(db: Database, person_id: str) -> Person:
    with db.reading() as session:
        person = registry_repo.get_person(session, person_id)
    if person is None:
        raise NotFound("person", person_id)
    return person


def _annual_plenary(session: Session, year: int) -> Plenary:
    plenary = registry_repo.get_plenary(session, plenary_id(year))
    if plenary is None:
        raise NotFound("plenary", plenary_id(year))
    return plenary


def _nominee(session: Session, group: Group, person_id: str) -> Nominee | None:
    """Whom the group may send: a local participant, or a person of a member organisation."""
    local = group.participant(person_id)
    if local is not None:
        return Nominee(id=local.id, name=local.name)
    person = registry_repo.get_person(session, person_id)
    if person is not None and person.member is not None and person.member in group.member_ids:
        return Nominee(id=person.id, name=person.name)
    return None


def nominate(
    db: Database,
    group_id: str,
    year: int,
    person_id: str,
    replaces: str | None,
    by: Person,
    at: datetime,
    rulebook: Rulebook,
) -> Nomination:
    """The group's nominee to the annual plenary of `year` (the Secretariat or a coordinator);
    a replacement is audited with whom it replaced."""
    with _changing(db, group_id) as session:
        group = existing_group(session, group_id)
        access.check_runner(
            group, by.id, by.roles, say("nominating the group's member to the plenary")
        )
        plenary = _annual_plenary(session, year)
        current = group_repo.get_nomination(session, group_id, year)
        nominee = _nominee(session, group, person_id)
        nomination = nomination_rules.nominate(
            current, group, plenary, nominee, person_id, replaces, by.id, at, rulebook
        )
        group_repo.save_nomination(session, nomination)
        if current is None:
            _audit(session, group_id, by.id, at, "nominated", year=year, person=nomination.person)
        else:
            _audit(
                session,
                group_id,
                by.id,
                at,
                "nominee_replaced",
                year=year,
                person=nomination.person,
                replaced=current.person,
            )
    return nomination


def confirm_nomination(
    db: Database, group_id: str, year: int, travel_supported: bool, by: Person, at: datetime
) -> Nomination:
    """The Secretariat confirms the group's nominee and whether their travel is supported."""
    access.check_keeper(by.roles, say("confirming a group's nominee to the plenary"))
    with _changing(db, group_id) as session:
        existing_group(session, group_id)
        _annual_plenary(session, year)
        current = group_repo.get_nomination(session, group_id, year)
        confirmed = nomination_rules.confirm(current, group_id, travel_supported, by.id, at)
        group_repo.save_nomination(session, confirmed)
        _audit(
            session,
            group_id,
            by.id,
            at,
            "nominee_confirmed",
            year=year,
            person=confirmed.person,
            travel_supported=travel_supported,
        )
    return confirmed


def plenary_nominations(db: Database, year: int) -> list[Nomination]:
    """Every group's nominee to the annual plenary of `year`, confirmed or not, by group."""
    with db.reading() as session:
        _annual_plenary(session, year)
        return group_repo.nominations(session, year=year)


def group_nominations(db: Database, group_id: str) -> list[Nomination]:
    with db.reading() as session:
        existing_group(session, group_id)
        return group_repo.nominations(session, group_id=group_id)


def plenary_participants(session: Session, year: int) -> list[tuple[Group, Nomination]]:
    """The plenary's in-country participants: each confirmed nominee with their group."""
    found = nomination_rules.confirmed(group_repo.nominations(session, year=year))
    groups = {g.id: g for g in group_repo.groups(session)}
    return [(groups[n.group_id], n) for n in found if n.group_id in groups]


def in_country_participants(db: Database, year: int) -> list[tuple[Group, Nomination]]:
    """The confirmed nominees to the annual plenary of `year`, with their groups."""
    with db.reading() as session:
        return plenary_participants(session, year)


def perform(
    db: Database, request: GroupRequest, at: datetime, rulebook: Rulebook | None = None
) -> None:
    """A request as a rehearsal (or any caller holding only a person id) makes it; nominations
    need the `rulebook` (their call and deadline)."""
    by = _person(db, request.by)
    match request:
        case requests.AddGroup():
            create_group(db, request.group, by, at)
        case requests.RecordGroupExploration():
            found = Exploration(
                demand=request.demand, support=request.support, recorded_on=request.recorded_on
            )
            record_exploration(db, request.group, found, by, at)
        case requests.ChangeGroupStatus():
            change_status(db, request.group, request.status, by, at)
        case requests.SetGroupPartner():
            set_partner(db, request.group, request.partner, by, at)
        case requests.AddGroupMember():
            add_member(db, request.group, request.member, by, at)
        case requests.AddGroupParticipant():
            add_participant(db, request.group, request.participant, by, at)
        case requests.AddGroupCoordinator():
            add_coordinator(db, request.group, request.person, by, at)
        case requests.PlanGroupMeeting():
            plan_meeting(db, request.group, request.meeting_data(), by, at)
        case requests.MoveGroupOccurrence():
            move = MovedOccurrence(
                recurrence_id=request.recurrence_id,
                starts=request.starts,
                ends=request.ends,
                location=request.location,
            )
            move_occurrence(db, request.meeting, move, by, at)
        case requests.CancelGroupOccurrence():
            cancel_occurrence(db, request.meeting, request.recurrence_id, by, at)
        case requests.RecordGroupAttendance():
            data = request.model_dump(exclude={"action", "by", "meeting"})
            record = made(Attendance, {**data, "meeting_id": request.meeting}, prefix="")
            record_attendance(db, record, by, at)
        case requests.NominateGroupMember():
            assert rulebook is not None, "nominations follow the rulebook's call and deadline"
            nominate(
                db, request.group, request.year, request.person, request.replaces, by, at, rulebook
            )
        case requests.ConfirmGroupNominee():
            confirm_nomination(db, request.group, request.year, request.travel_supported, by, at)


def feed_version(session: Session, group_id: str) -> datetime | None:
    """The group's last recorded change (its feed's DTSTAMP and cache version), or None when
    there is no such group."""
    if group_repo.get_group(session, group_id) is None:
        return None
    changes = audit_repo.entries(session, ITEM_KIND, group_id)
    return max((c.at for c in changes), default=FEED_EPOCH)


def render_feed(
    session: Session, group_id: str, rulebook: Rulebook, alarm: timedelta | None
) -> bytes:
    """The group's meetings as iCalendar in the group's zone, with a reminder `alarm` before
    each meeting that still takes place. An unchanged group gives the same bytes."""
    # icalendar loads with the first feed, not with every process (RELIABILITY.md, "Start-up cost")
    from govsched.feeds.group_ical import render_group_calendar

    group = existing_group(session, group_id)
    stamp = feed_version(session, group_id) or FEED_EPOCH
    return render_group_calendar(
        group,
        group_repo.meetings(session, group_id),
        domain=rulebook.initiative.uid_domain,
        stamp=stamp,
        refresh=timedelta(hours=rulebook.calendars.refresh_interval_hours),
        alarm=alarm,
    )


def group_feed(db: Database, group_id: str, rulebook: Rulebook) -> bytes:
    """The feed with the rulebook's reminder (`calendars.default_alarm_days_before`)."""
    days = rulebook.calendars.default_alarm_days_before
    with db.reading() as session:
        return render_feed(session, group_id, rulebook, timedelta(days=days) if days else None)
