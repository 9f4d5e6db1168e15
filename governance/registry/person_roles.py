"""A person's roles changed by the Secretariat: the whole new set, checked like a new person's
(a role held for a member needs the person's member; only a government's people act as Chair;
an observer's people never sit on the Steering Committee), and never leaving the initiative
without anyone in the Secretariat."""

from __future__ import annotations

from typing import Literal, NamedTuple

from governance.kernel.errors import Conflict, InvalidInput, NotFound, Problem
from governance.kernel.messages import say, word
from governance.kernel.model import Frozen, MemberStatus, Person, Pillar, Role, Slug, votes

HELD_FOR_A_MEMBER = frozenset({Role.FOCAL_POINT, Role.STEERING_COMMITTEE, Role.CHAIR})


class ChairInOffice(NamedTuple):
    """The government whose Chair term is in force."""

    member: str
    name: str


class ChangePersonRoles(Frozen):
    """Give a person exactly these roles (added and removed at once)."""

    action: Literal["change_person_roles"] = "change_person_roles"
    person: Slug
    roles: list[Role] = []


def role_problems(
    roles: frozenset[Role],
    member_id: str | None,
    member_pillar: Pillar | None,
    member_status: MemberStatus | None = None,
    chair_in_office: ChairInOffice | None = None,
) -> list[Problem]:
    """`chair_in_office`: the government whose Chair term is in force, when the `chair` role is
    being given (the role follows the term: the handover moves it; ARCHITECTURE.md)."""
    problems = [
        Problem(
            "roles", say("the role %(role)r is held for a member: give `member`", role=role.value)
        )
        for role in sorted(roles & HELD_FOR_A_MEMBER)
        if member_id is None
    ]
    if Role.CHAIR in roles and member_pillar is not None and member_pillar is not Pillar.GOVERNMENT:
        problems.append(Problem("roles", say("only people of a government can act as Chair")))
    elif Role.CHAIR in roles and chair_in_office and chair_in_office.member != member_id:
        # a second government's people acting as Chair would decide deferrals and plenary
        # decisions beside the Chair in office; the role moves with the term, at the handover
        problems.append(
            Problem(
                "roles",
                say(
                    "%(member)s holds the Chair's term now: the role moves at the handover",
                    member=chair_in_office.name,
                ),
            )
        )
    # The role is what makes a person a reviewer of applications, group plans and concerns:
    # observers never decide (ARCHITECTURE.md, "Who may act, who may see").
    if Role.STEERING_COMMITTEE in roles and member_pillar is Pillar.OBSERVER:
        problems.append(
            Problem("roles", say("observers do not sit on the Steering Committee: they never vote"))
        )
    elif (
        Role.STEERING_COMMITTEE in roles
        and member_status is not None
        and not votes(member_pillar, member_status)
    ):
        # an Engaged member would read the Committee's review of its own application, and one
        # that left would keep deciding for the initiative (a status change takes the role away)
        problems.append(
            Problem(
                "roles",
                say(
                    "only a Full member's people sit on the Steering Committee (this member "
                    "is %(status)s)",
                    status=word(member_status),
                ),
            )
        )
    return problems


def changed_person(
    cmd: ChangePersonRoles,
    person: Person | None,
    member_pillar: Pillar | None,
    others_in_secretariat: int,
    member_status: MemberStatus | None = None,
    chair_in_office: ChairInOffice | None = None,
) -> Person:
    """The person with the new roles, or the refusal. A role the person holds already is not
    checked against the Chair in office again (the handover gave it)."""
    if person is None:
        raise NotFound("person", cmd.person)
    roles = frozenset(cmd.roles)
    if roles == person.roles:
        raise Conflict(
            say("%(person)s already holds exactly these roles", person=person.name),
            [Problem("roles", say("nothing would change"))],
        )
    given_chair = Role.CHAIR in roles - person.roles
    problems = role_problems(
        roles, person.member, member_pillar, member_status, chair_in_office if given_chair else None
    )
    if problems:
        raise InvalidInput(say("the roles cannot be given"), problems)
    if Role.SECRETARIAT in person.roles - roles and others_in_secretariat == 0:
        raise Conflict(
            say("the Secretariat would have nobody"),
            [
                Problem(
                    "roles",
                    say("%(person)s is the only person in the Secretariat", person=person.name),
                )
            ],
        )
    return person.model_copy(update={"roles": roles})
