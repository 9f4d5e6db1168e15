"""An In-country Implementation Group as the registry keeps it.

A group works in its own country and time zone, not the Secretariat's: its meetings are set in
its zone (`governance.groups.meetings`). Its people are of two kinds. Member organisations of
the initiative take part through their own people; local participants are people from outside
the membership (a local NGO, a police trainer) who hold a role in the group and no other right
anywhere in the initiative. Coordinators are among the group's participants or the people of its
member organisations and run the group's business in the workspace. A member that left the
initiative (withdrawn or expelled, final statuses) is not added, nor are its people made
coordinators (they would ask for the Association's funds and be nominated to its plenary); an
Inactive one may be, as it may come back.

A group starts as one being explored: the Strategy (3e) opens new groups only where there is
on-the-ground demand, so what was found is recorded before the group may become active.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, model_validator

from governance.kernel.errors import Conflict, InvalidInput, Problem, ValueRefused
from governance.kernel.messages import say, word
from governance.kernel.model import Frozen, MemberStatus, OneLine, Paragraphs, Slug
from governance.registry.member_status import FINAL

Text = Annotated[OneLine, Field(min_length=1, max_length=200)]


# Files the zone database directory holds that name no place's clock: "localtime" is the
# server's own zone (another machine, another clock), "Factory" says the time is unknown, and
# posix/ and right/ are copies built for other uses (right/ counts leap seconds).
_NO_PLACE = frozenset({"localtime", "posixrules", "Factory"})
_NO_PLACE_FOLDERS = ("posix/", "right/")


def _iana_zone(value: str) -> str:
    refused = ValueRefused(
        say("%(zone)r is not an IANA time zone (like 'America/Bogota')", zone=value)
    )
    if value in _NO_PLACE or value.startswith(_NO_PLACE_FOLDERS):
        raise refused
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a directory, not a zone
        raise refused from None
    return value


def _country(value: str) -> str:
    if len(value) != 2 or not value.isascii() or not value.isalpha() or not value.isupper():
        raise ValueRefused(say("use the two-letter ISO 3166 country code in capitals (like 'CO')"))
    return value


TimeZoneName = Annotated[str, Field(max_length=64), AfterValidator(_iana_zone)]
CountryCode = Annotated[str, AfterValidator(_country)]


class GroupStatus(StrEnum):
    EXPLORING = "exploring"
    ACTIVE = "active"
    DORMANT = "dormant"


class GroupRole(StrEnum):
    """What a person does in a group; it gives no right outside the group."""

    COORDINATOR = "coordinator"
    PARTICIPANT = "participant"
    TRAINER = "trainer"
    OBSERVER = "observer"


class Exploration(Frozen):
    """What exploring a new group found (Strategy 3e): who asks for it, who backs it."""

    demand: Annotated[Paragraphs, Field(min_length=1, max_length=4000)]
    support: Annotated[Paragraphs, Field(min_length=1, max_length=4000)]
    recorded_on: date


class LocalParticipant(Frozen):
    """A person in the group who is not from a member organisation."""

    id: Slug
    name: Text
    organisation: Annotated[OneLine, Field(max_length=200)] = ""
    role: GroupRole = GroupRole.PARTICIPANT


class Group(Frozen):
    id: Slug
    name: Text
    country: CountryCode
    # A regional group (Cusco within Peru, South Kivu within the DRC) names its region.
    region: Annotated[OneLine, Field(max_length=200)] | None = None
    timezone: TimeZoneName
    status: GroupStatus = GroupStatus.EXPLORING
    # The initiative recognises some groups as "Partner" groups (criteria not public: a flag).
    partner: bool = False
    exploration: Exploration | None = None
    member_ids: frozenset[Slug] = frozenset()
    participants: tuple[LocalParticipant, ...] = ()
    # People of member organisations (registry person ids) or local participants' ids.
    coordinators: frozenset[Slug] = frozenset()

    @model_validator(mode="after")
    def _consistent(self) -> Group:
        ids = [p.id for p in self.participants]
        if len(ids) != len(set(ids)):
            raise ValueRefused(say("two local participants share an id"))
        if self.status is not GroupStatus.EXPLORING and self.exploration is None:
            raise ValueRefused(
                say("a group becomes active only once the demand and support found are recorded")
            )
        return self

    def participant(self, participant_id: str) -> LocalParticipant | None:
        return next((p for p in self.participants if p.id == participant_id), None)

    def is_coordinator(self, person_id: str) -> bool:
        """Listed among the coordinators: a person of the registry or a local participant."""
        return person_id in self.coordinators

    def acts_as_coordinator(self, person_id: str) -> bool:
        """Does the signed-in person `person_id` coordinate the group? A local participant's
        id gives no right: local participants have no sign-in, and a person of the registry
        may carry the same id (ids are chosen by different people at different times), who
        would otherwise run the group and read its funding requests."""
        return person_id in self.coordinating_people

    @property
    def coordinating_people(self) -> frozenset[str]:
        """The coordinators who are not local participants: people of the registry."""
        return self.coordinators - {p.id for p in self.participants}


def record_exploration(group: Group, exploration: Exploration) -> Group:
    if group.status is not GroupStatus.EXPLORING:
        raise Conflict(
            say("only a group being explored records what exploring found"),
            [Problem("status", say("the group is %(status)s", status=word(group.status)))],
        )
    return group.model_copy(update={"exploration": exploration})


_MOVES: dict[GroupStatus, frozenset[GroupStatus]] = {
    GroupStatus.EXPLORING: frozenset({GroupStatus.ACTIVE}),
    GroupStatus.ACTIVE: frozenset({GroupStatus.DORMANT}),
    GroupStatus.DORMANT: frozenset({GroupStatus.ACTIVE}),
}


def allowed_moves(status: GroupStatus) -> tuple[GroupStatus, ...]:
    """The statuses a group in `status` may take next, in the order of the enumeration."""
    return tuple(s for s in GroupStatus if s in _MOVES[status])


def change_status(group: Group, status: GroupStatus) -> Group:
    """Exploring becomes active once findings are recorded; active and dormant alternate."""
    if status not in _MOVES[group.status]:
        allowed = ", ".join(sorted(s.value for s in _MOVES[group.status]))
        raise Conflict(
            say(
                "a group that is %(status)s cannot become %(status2)s",
                status=group.status.value,
                status2=status.value,
            ),
            [
                Problem(
                    "status",
                    say(
                        "from %(status)s it may become: %(allowed)s",
                        status=group.status.value,
                        allowed=allowed,
                    ),
                )
            ],
        )
    if status is GroupStatus.ACTIVE and group.exploration is None:
        raise InvalidInput(
            say("record the demand and support found before the group becomes active"),
            [Problem("exploration", say("missing: the demand and support found while exploring"))],
        )
    return group.model_copy(update={"status": status})


def add_participant(group: Group, participant: LocalParticipant) -> Group:
    if group.participant(participant.id) is not None:
        raise Conflict(
            say("the group already has this participant"),
            [
                Problem(
                    "id",
                    say("%(participant)r is already a participant", participant=participant.id),
                )
            ],
        )
    coordinators = group.coordinators
    if participant.role is GroupRole.COORDINATOR:
        coordinators = coordinators | {participant.id}
    return group.model_copy(
        update={"participants": (*group.participants, participant), "coordinators": coordinators}
    )


def _left_the_initiative(problem: Problem) -> Conflict:
    return Conflict(say("a member that left the initiative takes no part in a group"), [problem])


def check_member_joins(
    member_id: str, status: MemberStatus | None, field: str = "member_id"
) -> None:
    """A member in a final status (withdrawn, expelled) is not added to a group (`status`: its
    status in the registry, None if unknown)."""
    if status in FINAL:
        reason = say(
            "%(member)r left the initiative (%(status)s)", member=member_id, status=word(status)
        )
        raise _left_the_initiative(Problem(field, reason))


def check_coordinator_joins(
    person_id: str, member: tuple[str, MemberStatus] | None, field: str = "person_id"
) -> None:
    """The person of a member in a final status does not coordinate a group (`member`: the
    person's member and its status; None for a local participant or a person of no member)."""
    if member is not None and member[1] in FINAL:
        reason = say(
            "%(person)r is of %(member)r, which left the initiative (%(status)s)",
            person=person_id,
            member=member[0],
            status=word(member[1]),
        )
        raise _left_the_initiative(Problem(field, reason))


def add_member(group: Group, member_id: str, status: MemberStatus | None) -> Group:
    """The group with one more member organisation; one already in it is refused (a second
    add would be a change that changes nothing, audited as if it did), and so is one that left
    the initiative (`check_member_joins`)."""
    check_member_joins(member_id, status)
    if member_id in group.member_ids:
        raise Conflict(
            say("the organisation is already a member of the group"),
            [
                Problem(
                    "member_id",
                    say("%(member)r is already among the group's members", member=member_id),
                )
            ],
        )
    return group.model_copy(update={"member_ids": group.member_ids | {member_id}})


def add_coordinator(group: Group, person_id: str, member: tuple[str, MemberStatus] | None) -> Group:
    """The group with one more coordinator; one who coordinates already is refused, and so is
    the person of a member that left the initiative (`check_coordinator_joins`)."""
    check_coordinator_joins(person_id, member)
    if person_id in group.coordinators:
        raise Conflict(
            say("the person already coordinates the group"),
            [Problem("person_id", say("%(person)r is already a coordinator", person=person_id))],
        )
    return group.model_copy(update={"coordinators": group.coordinators | {person_id}})


def remove_member(group: Group, member_id: str) -> Group:
    if member_id not in group.member_ids:
        raise Conflict(
            say("the organisation is not a member of the group"),
            [
                Problem(
                    "member_id",
                    say("%(member_id)r is not among the group's members", member_id=member_id),
                )
            ],
        )
    return group.model_copy(update={"member_ids": group.member_ids - {member_id}})


def remove_participant(group: Group, participant_id: str) -> Group:
    """The group without a local participant; one who coordinated stops coordinating too."""
    if group.participant(participant_id) is None:
        raise Conflict(
            say("the group has no such participant"),
            [
                Problem(
                    "participant_id",
                    say(
                        "%(participant_id)r is not a local participant",
                        participant_id=participant_id,
                    ),
                )
            ],
        )
    return group.model_copy(
        update={
            "participants": tuple(p for p in group.participants if p.id != participant_id),
            "coordinators": group.coordinators - {participant_id},
        }
    )


def remove_coordinator(group: Group, person_id: str) -> Group:
    """The person stops coordinating; a local participant stays a participant."""
    if person_id not in group.coordinators:
        raise Conflict(
            say("the person does not coordinate the group"),
            [Problem("person_id", say("%(person_id)r is not a coordinator", person_id=person_id))],
        )
    participants = tuple(
        p.model_copy(update={"role": GroupRole.PARTICIPANT})
        if p.id == person_id and p.role is GroupRole.COORDINATOR
        else p
        for p in group.participants
    )
    return group.model_copy(
        update={"coordinators": group.coordinators - {person_id}, "participants": participants}
    )
