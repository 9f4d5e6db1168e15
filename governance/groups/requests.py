"""What people ask of a group's registry and meetings, flat, as a rehearsal's actions give it.

Each request names who asks (`by`); the service decides with the same rules as the API.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from governance.groups.attendance import Count, GenderCounts
from governance.groups.meetings import LocalTime, MeetingKind, NewRuleText
from governance.groups.model import Group, GroupStatus, LocalParticipant
from governance.kernel.model import Frozen, OneLine, Paragraphs, Slug


class AddGroup(Group):
    action: Literal["add_group"] = "add_group"
    by: Slug

    @property
    def group(self) -> Group:
        return Group.model_validate(self.model_dump(exclude={"action", "by"}))


class RecordGroupExploration(Frozen):
    action: Literal["record_group_exploration"] = "record_group_exploration"
    by: Slug
    group: Slug
    demand: Annotated[Paragraphs, Field(min_length=1, max_length=4000)]
    support: Annotated[Paragraphs, Field(min_length=1, max_length=4000)]
    recorded_on: date


class ChangeGroupStatus(Frozen):
    action: Literal["change_group_status"] = "change_group_status"
    by: Slug
    group: Slug
    status: GroupStatus


class SetGroupPartner(Frozen):
    action: Literal["set_group_partner"] = "set_group_partner"
    by: Slug
    group: Slug
    partner: bool = True


class AddGroupMember(Frozen):
    action: Literal["add_group_member"] = "add_group_member"
    by: Slug
    group: Slug
    member: Slug


class AddGroupParticipant(LocalParticipant):
    action: Literal["add_group_participant"] = "add_group_participant"
    by: Slug
    group: Slug

    @property
    def participant(self) -> LocalParticipant:
        return LocalParticipant.model_validate(self.model_dump(exclude={"action", "by", "group"}))


class AddGroupCoordinator(Frozen):
    action: Literal["add_group_coordinator"] = "add_group_coordinator"
    by: Slug
    group: Slug
    person: Slug


class PlanGroupMeeting(Frozen):
    action: Literal["plan_group_meeting"] = "plan_group_meeting"
    by: Slug
    group: Slug
    id: Slug
    title: Annotated[OneLine, Field(min_length=1, max_length=300)]
    kind: MeetingKind = MeetingKind.MEETING
    description: Annotated[Paragraphs, Field(max_length=4000)] = ""
    location: Annotated[OneLine, Field(max_length=300)] | None = None
    starts: LocalTime
    ends: LocalTime
    rule: NewRuleText | None = None

    def meeting_data(self) -> dict[str, object]:
        return self.model_dump(exclude={"action", "by", "group"})


class MoveGroupOccurrence(Frozen):
    action: Literal["move_group_occurrence"] = "move_group_occurrence"
    by: Slug
    meeting: Slug
    recurrence_id: LocalTime
    starts: LocalTime
    ends: LocalTime
    location: Annotated[OneLine, Field(max_length=300)] | None = None


class CancelGroupOccurrence(Frozen):
    action: Literal["cancel_group_occurrence"] = "cancel_group_occurrence"
    by: Slug
    meeting: Slug
    recurrence_id: LocalTime


class RecordGroupAttendance(Frozen):
    action: Literal["record_group_attendance"] = "record_group_attendance"
    by: Slug
    meeting: Slug
    recurrence_id: LocalTime | None = None
    total: Count
    by_gender: GenderCounts | None = None
    womens_organisations: Count | None = None


class NominateGroupMember(Frozen):
    action: Literal["nominate_group_member"] = "nominate_group_member"
    by: Slug
    group: Slug
    # The year of the annual plenary the nominee attends.
    year: Annotated[int, Field(ge=1990, le=2200)]
    person: Slug
    # The current nominee, when replacing them before the deadline.
    replaces: Slug | None = None


class ConfirmGroupNominee(Frozen):
    action: Literal["confirm_group_nominee"] = "confirm_group_nominee"
    by: Slug
    group: Slug
    year: Annotated[int, Field(ge=1990, le=2200)]
    travel_supported: bool


GroupRequest = (
    AddGroup
    | RecordGroupExploration
    | ChangeGroupStatus
    | SetGroupPartner
    | AddGroupMember
    | AddGroupParticipant
    | AddGroupCoordinator
    | PlanGroupMeeting
    | MoveGroupOccurrence
    | CancelGroupOccurrence
    | RecordGroupAttendance
    | NominateGroupMember
    | ConfirmGroupNominee
)

# The rehearsal's group actions, by name (see govsched/rehearsal/action_schemas.py).
GROUP_ACTIONS: dict[str, type[Frozen]] = {
    "add_group": AddGroup,
    "record_group_exploration": RecordGroupExploration,
    "change_group_status": ChangeGroupStatus,
    "set_group_partner": SetGroupPartner,
    "add_group_member": AddGroupMember,
    "add_group_participant": AddGroupParticipant,
    "add_group_coordinator": AddGroupCoordinator,
    "plan_group_meeting": PlanGroupMeeting,
    "move_group_occurrence": MoveGroupOccurrence,
    "cancel_group_occurrence": CancelGroupOccurrence,
    "record_group_attendance": RecordGroupAttendance,
    "nominate_group_member": NominateGroupMember,
    "confirm_group_nominee": ConfirmGroupNominee,
}
