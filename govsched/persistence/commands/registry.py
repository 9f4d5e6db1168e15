"""Deciding a registry command: load the facts it needs, let the pure rule decide.

Used by the registry-change activity and by seeding, so a seeded registry obeys the same rules
as one built through the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from governance.applications.engaged_period import full_membership_due
from governance.kernel.audit import AuditEntry
from governance.kernel.calendar import CalendarItem
from governance.kernel.model import (
    ChairTerm,
    Member,
    MemberStatus,
    PlenaryKind,
    Role,
    SteeringCommitteeSeat,
    plenary_id,
)
from governance.kernel.timekeeping import local_date
from governance.registry import changes as rules
from governance.registry.member_status import ChangeMemberStatus
from governance.registry.person_roles import ChairInOffice, ChangePersonRoles
from governance.roster.presentations import LedgerFacts, RecordPresentation
from governance.rulebook.model import Rulebook
from governance.year.handover import changes as handover_rules
from governance.year.handover.calendar import handover_events
from governance.year.handover.rules import (
    CompleteHandoverItem,
    DesignateIncomingChair,
    Handover,
    term_in_force,
)
from governance.year.seats import RecordSeat, SeatFacts
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.reports import dates_of
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.repos import roster as roster_repo


def decide(
    session: Session, command: rules.RegistryCommand, at: datetime, rulebook: Rulebook
) -> rules.Effects:
    """The effects of `command`, or the GovernanceError that refuses it."""
    effects = _decide(session, command, at, rulebook)
    if effects.handover is None:
        return effects
    return replace(
        effects, calendar=(*effects.calendar, *_handover_calendar(session, effects, rulebook))
    )


def _handover_calendar(
    session: Session, effects: rules.Effects, rulebook: Rulebook
) -> tuple[CalendarItem, ...]:
    """Whatever changed the handover (planned, moved, a Chair named, an item done) rewrites its
    events from its new state; unchanged events keep their SEQUENCE in the store."""
    handover = effects.handover
    assert handover is not None
    plenary = effects.plenary or registry_repo.get_plenary(session, handover.plenary_id)
    names = {}
    for member in (handover.outgoing, handover.incoming):
        facts = registry_repo.member_facts(session, member)
        if facts is not None:
            names[facts.id] = facts.name
    starts = None if plenary is None else plenary.starts
    return handover_events(handover, rulebook, names, starts)


def _decide(
    session: Session, command: rules.RegistryCommand, at: datetime, rulebook: Rulebook
) -> rules.Effects:
    match command:
        case rules.AddMember():
            return rules.add_member(
                command, at, registry_repo.member_exists(session, command.id), rulebook
            )
        case rules.AddPerson():
            return rules.add_person(
                command,
                registry_repo.person_exists(session, command.id),
                registry_repo.email_taken(session, command.email),
                registry_repo.member_facts(session, command.member),
                _chair_in_office(session, at),
            )
        case rules.SchedulePlenary():
            return rules.schedule_plenary(
                command,
                at,
                registry_repo.plenary_ids(session, command.year),
                registry_repo.member_facts(session, command.host),
                rulebook,
                registry_repo.list_chair_terms(session),
            )
        case rules.MovePlenary():
            facts = _plenary_facts(
                session, command.plenary or plenary_id(command.year), at, rulebook
            )
            return rules.move_plenary(command, at, facts, rulebook)
        case rules.CompleteMilestone():
            facts = _plenary_facts(
                session, command.plenary or plenary_id(command.year), at, rulebook
            )
            person = registry_repo.get_person(session, command.by)
            roles = None if person is None else frozenset(person.roles)
            return rules.complete_milestone(command, at, facts, roles)
        case DesignateIncomingChair():
            handover = (
                handover_repo.get(session, command.year)
                if command.year is not None
                else handover_repo.next_open(session)
            )
            named = _handover_facts(session, handover, command.by, command.member)
            return handover_rules.designate_incoming_chair(command, at, named, rulebook)
        case CompleteHandoverItem():
            handover = handover_repo.get(session, command.year)
            ticked = _handover_facts(session, handover, command.by)
            return handover_rules.complete_handover_item(command, at, ticked)
        case RecordSeat():
            member = registry_repo.member_facts(session, command.member)
            seat_facts = SeatFacts(
                member_pillar=member.pillar if member else None,
                member_status=member.status if member else None,
                seats=tuple(registry_repo.list_seats(session)),
            )
            return rules.record_steering_seat(command, seat_facts, rulebook, at)
        case RecordPresentation():
            return rules.record_presentation(command, _ledger_facts(session, command, at, rulebook))
        case ChangeMemberStatus():
            found = registry_repo.get_member(session, command.member)
            return rules.change_member_status(
                command,
                at,
                found,
                rulebook,
                registry_repo.focal_points(session, command.member),
                _engaged_until(session, command, found, rulebook),
                handover_repo.next_open(session),
                _term_in_force(session, at),
                _presents_in(session, command.member, local_date(at, rulebook.initiative.timezone)),
                _reviews_held(session, command.member, rulebook),
            )
        case ChangePersonRoles():
            person = registry_repo.get_person(session, command.person)
            member = registry_repo.member_facts(session, person.member if person else None)
            others = registry_repo.count_with_role(session, Role.SECRETARIAT, command.person)
            return rules.change_person_roles(
                command, person, member, others, _chair_in_office(session, at)
            )
        case rules.SetChair():
            return rules.set_chair(
                command,
                at,
                registry_repo.member_facts(session, command.member),
                registry_repo.list_chair_terms(session),
                rulebook,
            )


def _presents_in(session: Session, member: str, today: date) -> int | None:
    """The year of the annual plenary still to come (or sitting) whose published roster has
    `member` presenting."""
    for year in (today.year, today.year + 1):
        plenary = registry_repo.get_plenary(session, plenary_id(year))
        upcoming = plenary is not None and plenary.ends >= today
        if upcoming and roster_repo.presents(session, plenary_id(year), member):
            return year
    return None


def _reviews_held(session: Session, member: str, rulebook: Rulebook) -> rules.ReviewsHeld:
    reviews = tuple(report_repo.reviews_by(session, member))
    years = {r.year for r in reviews}
    found = {year: dates_of(session, year, rulebook) for year in years}
    return rules.ReviewsHeld(
        reviews=reviews,
        dates={year: dates for year, dates in found.items() if dates is not None},
        names=registry_repo.member_names(session, {r.report_of for r in reviews}),
    )


def _term_in_force(session: Session, at: datetime) -> ChairTerm | None:
    return term_in_force(registry_repo.list_chair_terms(session), at)


def _chair_in_office(session: Session, at: datetime) -> ChairInOffice | None:
    term = _term_in_force(session, at)
    facts = registry_repo.member_facts(session, term.member if term else None)
    return None if facts is None else ChairInOffice(facts.id, facts.name)


def _engaged_until(
    session: Session, command: ChangeMemberStatus, member: Member | None, rulebook: Rulebook
) -> date | None:
    """The end of the Engaged period a member returning to Engaged is back in: the tracked
    period's (extensions included), else the rulebook's from its admission."""
    if member is None or command.status is not MemberStatus.ENGAGED:
        return None
    record = application_repo.get_engaged(session, member.id)
    if record is not None:
        return record.due_date
    tz = rulebook.initiative.timezone
    return full_membership_due(member.joined, rulebook.engaged_period, tz)[0]


def _plenary_facts(
    session: Session, pid: str, at: datetime, rulebook: Rulebook
) -> rules.PlenaryFacts:
    plenary = registry_repo.get_plenary(session, pid)
    host = registry_repo.member_facts(session, plenary.host) if plenary else None
    return rules.PlenaryFacts(
        plenary=plenary,
        milestones=milestone_repo.of_plenary(session, pid) if plenary else (),
        host=host,
        chairs=tuple(registry_repo.people_with_role(session, Role.CHAIR)),
        today=local_date(at, rulebook.initiative.timezone),
        handover=handover_repo.get(session, plenary.year)
        if plenary is not None and plenary.kind is PlenaryKind.ANNUAL
        else None,
    )


def _handover_facts(
    session: Session, handover: Handover | None, by: str, member: str | None = None
) -> handover_rules.HandoverFacts:
    person = registry_repo.get_person(session, by)
    following = None if handover is None else handover_repo.get(session, handover.year + 1)
    names = {}
    earlier = () if handover is None else (handover.outgoing, handover.incoming)
    for who in (member, *earlier):
        facts = registry_repo.member_facts(session, who)
        if facts is not None:
            names[facts.id] = facts.name
    return handover_rules.HandoverFacts(
        handover=handover,
        by_roles=None if person is None else frozenset(person.roles),
        by_member=None if person is None else person.member,
        member=registry_repo.member_facts(session, member),
        terms=tuple(registry_repo.list_chair_terms(session)),
        next_handover_at=None if following is None else following.handover_at,
        names=names,
    )


def _ledger_facts(
    session: Session, command: RecordPresentation, at: datetime, rulebook: Rulebook
) -> LedgerFacts:
    plenary = registry_repo.get_plenary(session, plenary_id(command.year))
    return LedgerFacts(
        today=local_date(at, rulebook.initiative.timezone),
        member_exists=registry_repo.member_exists(session, command.member),
        already=roster_repo.recorded_outcome(session, command.year, command.member),
        on_roster=roster_repo.presents(session, plenary_id(command.year), command.member),
        plenary_starts=plenary.starts if plenary else None,
    )


def seed(
    session: Session,
    commands: Iterable[rules.RegistryCommand],
    at: datetime,
    rulebook: Rulebook,
    seats: Iterable[SteeringCommitteeSeat] = (),
) -> int:
    """Record an existing registry without announcing anything; returns the commands applied."""
    count = 0
    for command in commands:
        effects = decide(session, command, at, rulebook)
        key = f"seed:{effects.item_kind}:{effects.item_id}"
        store_effects(session, effects, rules.audit_entry(effects, key, at, "seed", "seeded"), at)
        count += 1
    for seat in seats:
        registry_repo.save_seat(session, seat)
        audit_repo.append(
            session,
            AuditEntry(
                key=f"seed:seat:{seat.member}:{seat.starts.isoformat()}",
                at=at,
                actor="seed",
                action="seat.recorded",
                item_kind="steering_committee_seat",
                item_id=f"{seat.member}:{seat.starts.isoformat()}",
                reason="seeded",
            ),
        )
    session.flush()
    return count
