"""In-country Implementation Groups (issue 23): the registry of groups, which everyone signed in
reads and the Secretariat keeps, and each group's meetings and attendance, which the Secretariat
and the group's coordinators keep. Attendance is counts only: no route takes a name."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import Field

from governance.groups.attendance import Attendance, Count, GenderCounts
from governance.groups.meetings import (
    LocalTime,
    Meeting,
    MeetingKind,
    MovedOccurrence,
    NewRuleText,
    Occurrence,
)
from governance.groups.model import Exploration, Group, GroupStatus, LocalParticipant
from governance.groups.nominations import Nomination
from governance.kernel.model import Incoming, OneLine, Paragraphs, Slug
from govsched.http.api.routes.registry import ERRORS
from govsched.http.deps import CurrentPerson, State
from govsched.http.path_years import PlenaryYear
from govsched.services import groups as service

router = APIRouter(tags=["groups"])


class ExplorationIn(Exploration, Incoming):
    """What exploring found, as a request: a blank demand or support is refused."""


class LocalParticipantIn(LocalParticipant, Incoming):
    """A local participant as a request: a blank name is refused."""


class GroupIn(Group, Incoming):
    """A group as a request: a blank name is refused, and its parts are requests too."""

    exploration: ExplorationIn | None = None
    participants: tuple[LocalParticipantIn, ...] = ()


class StatusIn(Incoming):
    status: GroupStatus


class PartnerIn(Incoming):
    partner: bool


class MemberIn(Incoming):
    member_id: Slug


class CoordinatorIn(Incoming):
    person_id: Slug


class MeetingIn(Incoming):
    """A meeting, visit or regular series; times are the group's wall clock (no offset)."""

    id: Slug
    title: OneLine
    kind: MeetingKind = MeetingKind.MEETING
    description: Paragraphs = ""
    location: OneLine | None = None
    starts: LocalTime
    ends: LocalTime
    rule: NewRuleText | None = None


class NominationIn(Incoming):
    """The group's nominee to the annual plenary of `year`; `replaces` names the current
    nominee when replacing them before the deadline."""

    year: Annotated[int, Field(ge=1990, le=2200)]
    person_id: Slug
    replaces: Slug | None = None


class ConfirmationIn(Incoming):
    travel_supported: bool


class MoveIn(Incoming):
    """One occurrence of a series at another time (and perhaps place); its SEQUENCE is the
    server's."""

    recurrence_id: LocalTime
    starts: LocalTime
    ends: LocalTime
    location: OneLine | None = None


class CancellationIn(Incoming):
    recurrence_id: LocalTime


class AttendanceIn(Incoming):
    recurrence_id: LocalTime | None = None
    total: Count
    by_gender: GenderCounts | None = None
    womens_organisations: Count | None = None
    notes: Paragraphs = ""


@router.get("/groups", responses=ERRORS)
def list_groups(state: State, _: CurrentPerson) -> list[Group]:
    return service.list_groups(state.db)


@router.post("/groups", status_code=201, responses=ERRORS)
def create_group(state: State, person: CurrentPerson, body: GroupIn) -> Group:
    """A group, usually one being explored (the Secretariat)."""
    group = Group.model_validate(body.model_dump())
    return service.create_group(state.db, group, person, state.settings.now())


@router.get("/groups/{group_id}", responses=ERRORS)
def get_group(state: State, _: CurrentPerson, group_id: str) -> Group:
    return service.get_group(state.db, group_id)


@router.put("/groups/{group_id}/exploration", responses=ERRORS)
def record_exploration(
    state: State, person: CurrentPerson, group_id: str, body: ExplorationIn
) -> Group:
    """The demand and support exploring found (before the group may become active)."""
    found = Exploration.model_validate(body.model_dump())
    return service.record_exploration(state.db, group_id, found, person, state.settings.now())


@router.put("/groups/{group_id}/status", responses=ERRORS)
def change_status(state: State, person: CurrentPerson, group_id: str, body: StatusIn) -> Group:
    return service.change_status(state.db, group_id, body.status, person, state.settings.now())


@router.put("/groups/{group_id}/partner", responses=ERRORS)
def set_partner(state: State, person: CurrentPerson, group_id: str, body: PartnerIn) -> Group:
    return service.set_partner(state.db, group_id, body.partner, person, state.settings.now())


@router.post("/groups/{group_id}/members", responses=ERRORS)
def add_member(state: State, person: CurrentPerson, group_id: str, body: MemberIn) -> Group:
    return service.add_member(state.db, group_id, body.member_id, person, state.settings.now())


@router.post("/groups/{group_id}/participants", responses=ERRORS)
def add_participant(
    state: State, person: CurrentPerson, group_id: str, body: LocalParticipantIn
) -> Group:
    """A local participant: a role in the group, no sign-in and no other right."""
    participant = LocalParticipant.model_validate(body.model_dump())
    return service.add_participant(state.db, group_id, participant, person, state.settings.now())


@router.post("/groups/{group_id}/coordinators", responses=ERRORS)
def add_coordinator(
    state: State, person: CurrentPerson, group_id: str, body: CoordinatorIn
) -> Group:
    return service.add_coordinator(state.db, group_id, body.person_id, person, state.settings.now())


@router.delete("/groups/{group_id}/members/{member_id}", responses=ERRORS)
def remove_member(state: State, person: CurrentPerson, group_id: str, member_id: str) -> Group:
    return service.remove_member(state.db, group_id, member_id, person, state.settings.now())


@router.delete("/groups/{group_id}/participants/{participant_id}", responses=ERRORS)
def remove_participant(
    state: State, person: CurrentPerson, group_id: str, participant_id: str
) -> Group:
    """A local participant leaves the group (and stops coordinating it if they did)."""
    return service.remove_participant(
        state.db, group_id, participant_id, person, state.settings.now()
    )


@router.delete("/groups/{group_id}/coordinators/{coordinator_id}", responses=ERRORS)
def remove_coordinator(
    state: State, person: CurrentPerson, group_id: str, coordinator_id: str
) -> Group:
    """The person stops coordinating the group (a local participant stays a participant)."""
    return service.remove_coordinator(
        state.db, group_id, coordinator_id, person, state.settings.now()
    )


@router.get("/groups/{group_id}/meetings", responses=ERRORS)
def list_meetings(state: State, _: CurrentPerson, group_id: str) -> list[Meeting]:
    return service.list_meetings(state.db, group_id)


@router.post("/groups/{group_id}/meetings", status_code=201, responses=ERRORS)
def plan_meeting(state: State, person: CurrentPerson, group_id: str, body: MeetingIn) -> Meeting:
    """A meeting in the group's zone (the Secretariat or a coordinator of the group)."""
    data = body.model_dump()
    return service.plan_meeting(state.db, group_id, data, person, state.settings.now())


@router.get("/groups/{group_id}/occurrences", responses=ERRORS)
def list_occurrences(
    state: State,
    _: CurrentPerson,
    group_id: str,
    days: Annotated[int, Query(ge=1, le=731)] = 90,
) -> list[Occurrence]:
    """Every time the group meets in the coming `days`, moved and cancelled ones as they are."""
    now = state.settings.now()
    return service.group_occurrences(state.db, group_id, now, now + timedelta(days=days))


@router.get(
    "/groups/{group_id}/calendar.ics",
    responses={**ERRORS, 200: {"content": {"text/calendar": {}}}},
    response_class=Response,
)
def group_calendar(state: State, _: CurrentPerson, group_id: str) -> Response:
    """The group feed: its meetings in the group's zone (VTIMEZONE), RRULE series with their
    moved (RECURRENCE-ID) and cancelled (EXDATE) occurrences, and a reminder before each."""
    body = service.group_feed(state.db, group_id, state.rulebook)
    return Response(content=body, media_type="text/calendar; charset=utf-8")


@router.post("/group-meetings/{meeting_id}/moves", responses=ERRORS)
def move_occurrence(state: State, person: CurrentPerson, meeting_id: str, body: MoveIn) -> Meeting:
    move = service.made(MovedOccurrence, body.model_dump())
    return service.move_occurrence(state.db, meeting_id, move, person, state.settings.now())


@router.post("/group-meetings/{meeting_id}/cancellations", responses=ERRORS)
def cancel_occurrence(
    state: State, person: CurrentPerson, meeting_id: str, body: CancellationIn
) -> Meeting:
    return service.cancel_occurrence(
        state.db, meeting_id, body.recurrence_id, person, state.settings.now()
    )


@router.get("/group-meetings/{meeting_id}/attendance", responses=ERRORS)
def list_attendance(state: State, _: CurrentPerson, meeting_id: str) -> list[Attendance]:
    return service.meeting_attendance(state.db, meeting_id)


@router.post("/group-meetings/{meeting_id}/attendance", status_code=201, responses=ERRORS)
def record_attendance(
    state: State, person: CurrentPerson, meeting_id: str, body: AttendanceIn
) -> Attendance:
    """Counts after the meeting began; recording again replaces the counts."""
    record = service.made(Attendance, {**body.model_dump(), "meeting_id": meeting_id})
    return service.record_attendance(state.db, record, person, state.settings.now())


@router.get("/groups/{group_id}/nominations", responses=ERRORS)
def list_group_nominations(state: State, _: CurrentPerson, group_id: str) -> list[Nomination]:
    """The group's nominees to annual plenaries, by year."""
    return service.group_nominations(state.db, group_id)


@router.post("/groups/{group_id}/nominations", status_code=201, responses=ERRORS)
def nominate(state: State, person: CurrentPerson, group_id: str, body: NominationIn) -> Nomination:
    """One member of the group to attend the annual plenary (the Secretariat or a coordinator):
    at most one per group; a replacement names whom it replaces, before the deadline."""
    return service.nominate(
        state.db,
        group_id,
        body.year,
        body.person_id,
        body.replaces,
        person,
        state.settings.now(),
        state.rulebook,
    )


@router.post("/groups/{group_id}/nominations/{year}/confirmation", responses=ERRORS)
def confirm_nomination(
    state: State, person: CurrentPerson, group_id: str, year: PlenaryYear, body: ConfirmationIn
) -> Nomination:
    """The Secretariat confirms the nominee and whether their travel is supported."""
    return service.confirm_nomination(
        state.db, group_id, year, body.travel_supported, person, state.settings.now()
    )


@router.get("/plenary-nominations/{year}", responses=ERRORS)
def plenary_nominations(state: State, _: CurrentPerson, year: PlenaryYear) -> list[Nomination]:
    """Every group's nominee to the annual plenary of `year`; the confirmed ones are its
    in-country participants."""
    return service.plenary_nominations(state.db, year)
