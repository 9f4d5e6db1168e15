"""A person's roles changed by the Secretariat: the whole new set, checked like a new person's
(a role held for a member needs the person's member; only a government's people act as Chair),
and never leaving the initiative without anyone in the Secretariat."""

from __future__ import annotations

from typing import Literal

from governance.kernel.errors import Conflict, InvalidInput, NotFound, Problem
from governance.kernel.model import Frozen, Person, Pillar, Role, Slug

HELD_FOR_A_MEMBER = frozenset({Role.FOCAL_POINT, Role.STEERING_COMMITTEE, Role.CHAIR})


class ChangePersonRoles(Frozen):
    """Give a person exactly these roles (added and removed at once)."""

    action: Literal["change_person_roles"] = "change_person_roles"
    person: Slug
    roles: list[Role] = []


def role_problems(
    roles: frozenset[Role], member_id: str | None, member_pillar: Pillar | None
) -> list[Problem]:
    problems = [
        Problem("roles", f"the role {role.value!r} is held for a member: give `member`")
        for role in sorted(roles & HELD_FOR_A_MEMBER)
        if member_id is None
    ]
    if Role.CHAIR in roles and member_pillar is not None and member_pillar is not Pillar.GOVERNMENT:
        problems.append(Problem("roles", "only people of a government can act as Chair"))
    return problems


def changed_person(
    cmd: ChangePersonRoles,
    person: Person | None,
    member_pillar: Pillar | None,
    others_in_secretariat: int,
) -> Person:
    """The person with the new roles, or the refusal."""
    if person is None:
        raise NotFound("person", cmd.person)
    roles = frozenset(cmd.roles)
    if roles == person.roles:
        raise Conflict(
            f"{person.name} already holds exactly these roles",
            [Problem("roles", "nothing would change")],
        )
    problems = role_problems(roles, person.member, member_pillar)
    if problems:
        raise InvalidInput("the roles cannot be given", problems)
    if Role.SECRETARIAT in person.roles - roles and others_in_secretariat == 0:
        raise Conflict(
            "the Secretariat would have nobody",
            [Problem("roles", f"{person.name} is the only person in the Secretariat")],
        )
    return person.model_copy(update={"roles": roles})
