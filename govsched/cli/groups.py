"""`govsched group ...`: In-country Implementation Groups, acting as the person named by `--by`.

Every step goes through the same service as the API (govsched.services.groups), so the same
rules refuse the same things, and a refusal records nothing. Meeting times are the group's wall
clock, written as 2027-03-02T10:00.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime, timedelta

from governance.groups.attendance import Attendance, GenderCounts
from governance.groups.meetings import MeetingKind, MovedOccurrence
from governance.groups.model import Exploration, Group, GroupRole, GroupStatus, LocalParticipant
from governance.groups.nominations import Nomination
from governance.kernel.errors import NotFound
from governance.kernel.model import Person
from govsched.cli import arguments
from govsched.config import Settings
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.services import groups as service
from govsched.services.rulebooks import load_rulebook_spec

Add = Callable[..., argparse.ArgumentParser]


def _context(by: str) -> tuple[Database, Person, datetime]:
    settings = Settings()
    db = Database.from_url(settings.database_url)
    with db.reading() as session:
        person = registry_repo.get_person(session, by)
    if person is None:
        raise NotFound("person", by)
    return db, person, settings.now()


def _show(group: Group) -> int:
    partner = ", partner" if group.partner else ""
    print(f"{group.id:<28} {group.country} {group.timezone:<24} {group.status.value}{partner}")
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    group = Group(
        id=args.id,
        name=args.name,
        country=args.country,
        region=args.region,
        timezone=args.timezone,
        member_ids=frozenset(args.member or []),
        coordinators=frozenset(args.coordinator or []),
    )
    return _show(service.create_group(db, group, person, now))


def cmd_explored(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    found = Exploration(demand=args.demand, support=args.support, recorded_on=args.on)
    return _show(service.record_exploration(db, args.group, found, person, now))


def cmd_status(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    return _show(service.change_status(db, args.group, GroupStatus(args.status), person, now))


def cmd_partner(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    return _show(service.set_partner(db, args.group, not args.no, person, now))


def cmd_participant(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    participant = LocalParticipant(
        id=args.id, name=args.name, organisation=args.organisation, role=GroupRole(args.role)
    )
    return _show(service.add_participant(db, args.group, participant, person, now))


def cmd_list(args: argparse.Namespace) -> int:
    db, _, _ = _context(args.by)
    for group in service.list_groups(db):
        _show(group)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    db, _, _ = _context(args.by)
    print(service.get_group(db, args.group).model_dump_json(indent=2))
    return 0


def cmd_meeting(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    data = {
        "id": args.id,
        "title": args.title,
        "kind": args.kind,
        "location": args.location,
        "starts": args.starts,
        "ends": args.ends,
        "rule": args.rule,
    }
    meeting = service.plan_meeting(db, args.group, data, person, now)
    print(f"{meeting.id} planned in {args.group}")
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    service.cancel_occurrence(db, args.meeting, args.occurrence, person, now)
    print(f"{args.meeting} on {args.occurrence.isoformat()} cancelled")
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    move = MovedOccurrence(recurrence_id=args.occurrence, starts=args.starts, ends=args.ends)
    service.move_occurrence(db, args.meeting, move, person, now)
    print(f"{args.meeting} on {args.occurrence.isoformat()} moved to {args.starts.isoformat()}")
    return 0


def cmd_attendance(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    counts = None
    if args.women is not None or args.men is not None or args.another is not None:
        counts = GenderCounts(
            women=args.women or 0, men=args.men or 0, another_gender=args.another or 0
        )
    record = service.made(
        Attendance,
        {
            "meeting_id": args.meeting,
            "recurrence_id": args.occurrence,
            "total": args.total,
            "by_gender": counts,
            "womens_organisations": args.womens_organisations,
        },
        prefix="",
    )
    service.record_attendance(db, record, person, now)
    print(f"attendance at {args.meeting}: {record.total}")
    return 0


def cmd_occurrences(args: argparse.Namespace) -> int:
    db, _, now = _context(args.by)
    found = service.group_occurrences(db, args.group, now, now + timedelta(days=args.days))
    lines = [
        {
            "meeting": o.meeting_id,
            "local_starts": o.local_starts.isoformat(),
            "starts": o.starts.isoformat(),
            "moved": o.moved,
        }
        for o in found
    ]
    print(json.dumps(lines, indent=2))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    if args.member:
        return _show(service.remove_member(db, args.group, args.member, person, now))
    if args.participant:
        return _show(service.remove_participant(db, args.group, args.participant, person, now))
    return _show(service.remove_coordinator(db, args.group, args.coordinator, person, now))


def _show_nomination(nomination: Nomination) -> int:
    print(json.dumps(nomination.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return 0


def cmd_nominate(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    rulebook = load_rulebook_spec(Settings().rulebook)
    nomination = service.nominate(
        db, args.group, args.year, args.person, args.replaces, person, now, rulebook
    )
    return _show_nomination(nomination)


def cmd_confirm(args: argparse.Namespace) -> int:
    db, person, now = _context(args.by)
    travel = args.travel == "supported"
    return _show_nomination(
        service.confirm_nomination(db, args.group, args.year, travel, person, now)
    )


def cmd_nominations(args: argparse.Namespace) -> int:
    db, _, _ = _context(args.by)
    found = service.plenary_nominations(db, args.year)
    print(json.dumps([n.model_dump(mode="json") for n in found], indent=2, ensure_ascii=False))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    group = commands.add_parser("group", help="in-country implementation groups").add_subparsers(
        dest="group_command", required=True, metavar="ACTION"
    )
    create = add("create", cmd_create, "record a group being explored (the Secretariat)", group)
    create.add_argument("id")
    create.add_argument("--name", required=True)
    create.add_argument("--country", required=True, help="ISO 3166 code, like CO")
    create.add_argument("--region")
    create.add_argument("--timezone", required=True, help="the group's IANA zone")
    create.add_argument("--member", action="append", help="a member organisation; repeat")
    create.add_argument("--coordinator", action="append", help="a person id; repeat")
    explored = add("explored", cmd_explored, "record the demand and support found", group)
    explored.add_argument("group")
    explored.add_argument("--demand", required=True)
    explored.add_argument("--support", required=True)
    explored.add_argument("--on", required=True, type=arguments.day)
    status = add("status", cmd_status, "make a group active or dormant", group)
    status.add_argument("group")
    status.add_argument("status", choices=[s.value for s in GroupStatus])
    partner = add("partner", cmd_partner, "recognise a group as a Partner group", group)
    partner.add_argument("group")
    partner.add_argument("--no", action="store_true", help="withdraw the recognition")
    participant = add("participant", cmd_participant, "add a local participant", group)
    participant.add_argument("group")
    participant.add_argument("id")
    participant.add_argument("--name", required=True)
    participant.add_argument("--organisation", default="")
    participant.add_argument("--role", default="participant", choices=[r.value for r in GroupRole])
    listing = add("list", cmd_list, "every group", group)
    show = add("show", cmd_show, "one group (JSON)", group)
    show.add_argument("group")
    meeting = add("meeting", cmd_meeting, "plan a meeting, visit or regular series", group)
    meeting.add_argument("group")
    meeting.add_argument("id")
    meeting.add_argument("--title", required=True)
    meeting.add_argument("--kind", default="meeting", choices=[k.value for k in MeetingKind])
    meeting.add_argument("--location")
    meeting.add_argument("--starts", required=True, type=arguments.moment)
    meeting.add_argument("--ends", required=True, type=arguments.moment)
    meeting.add_argument("--rule", help="an RRULE value, like FREQ=MONTHLY;BYDAY=1TU")
    cancel = add("cancel", cmd_cancel, "cancel one occurrence of a series", group)
    move = add("move", cmd_move, "move one occurrence of a series", group)
    attendance = add("attendance", cmd_attendance, "record attendance as counts", group)
    for sub in (cancel, move, attendance):
        sub.add_argument("meeting")
    for sub in (cancel, move):
        sub.add_argument("occurrence", type=arguments.moment, help="its local start")
    move.add_argument("--starts", required=True, type=arguments.moment)
    move.add_argument("--ends", required=True, type=arguments.moment)
    attendance.add_argument("--occurrence", type=arguments.moment)
    attendance.add_argument("--total", required=True, type=int)
    attendance.add_argument("--women", type=int)
    attendance.add_argument("--men", type=int)
    attendance.add_argument("--another", type=int, help="people of another gender")
    attendance.add_argument("--womens-organisations", type=int)
    occurrences = add("occurrences", cmd_occurrences, "when the group meets next (JSON)", group)
    occurrences.add_argument("group")
    occurrences.add_argument("--days", type=arguments.days, default=90)
    remove = add("remove", cmd_remove, "remove a member, participant or coordinator", group)
    remove.add_argument("group")
    removed = remove.add_mutually_exclusive_group(required=True)
    removed.add_argument("--member", help="a member organisation")
    removed.add_argument("--participant", help="a local participant")
    removed.add_argument("--coordinator", help="a coordinator (a person or a participant)")
    nominate = add("nominate", cmd_nominate, "nominate a member to the annual plenary", group)
    nominate.add_argument("group")
    nominate.add_argument("person", help="a local participant or a member organisation's person")
    nominate.add_argument("--replaces", help="the current nominee, before the deadline")
    confirm = add("confirm", cmd_confirm, "confirm a group's nominee (the Secretariat)", group)
    confirm.add_argument("group")
    confirm.add_argument("--travel", required=True, choices=["supported", "not-supported"])
    nominations = add("nominations", cmd_nominations, "every group's nominee (JSON)", group)
    for sub in (nominate, confirm, nominations):
        sub.add_argument(
            "--year", required=True, type=arguments.year, help="the annual plenary's year"
        )
    for sub in (
        remove,
        nominate,
        confirm,
        nominations,
        create,
        explored,
        status,
        partner,
        participant,
        listing,
        show,
        meeting,
        cancel,
        move,
        attendance,
        occurrences,
    ):
        sub.add_argument("--by", required=True, help="the person acting (or reading)")
