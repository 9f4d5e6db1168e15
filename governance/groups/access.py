"""Who may change a group and its meetings.

The Secretariat keeps the registry of groups (creating one, what exploring found, its status,
members, participants and coordinators). A group's own business (its meetings and their
attendance, its plan) is run by its coordinators as well; a deliverable's owner moves their own
deliverable along (its status), since they are the one doing it. Local participants have no
sign-in at all: their group role is a record of the group, never a right in the workspace.
"""

from __future__ import annotations

from governance.groups.model import Group
from governance.kernel.errors import Forbidden
from governance.kernel.messages import Message, say
from governance.kernel.model import Role


def check_keeper(roles: frozenset[Role], action: str | Message) -> None:
    if Role.SECRETARIAT not in roles:
        raise Forbidden(Role.SECRETARIAT.value, action)


def may_run(group: Group, person_id: str, roles: frozenset[Role]) -> bool:
    return Role.SECRETARIAT in roles or group.acts_as_coordinator(person_id)


def check_runner(
    group: Group, person_id: str, roles: frozenset[Role], action: str | Message
) -> None:
    if not may_run(group, person_id, roles):
        raise Forbidden(f"{Role.SECRETARIAT.value} or coordinator of {group.id}", action)


def may_set_deliverable_status(
    group: Group, owner: str | None, person_id: str, roles: frozenset[Role]
) -> bool:
    """The group's runners, and the deliverable's owner (`owner`, None if there is no such
    deliverable) for their own."""
    return may_run(group, person_id, roles) or (owner is not None and owner == person_id)


def check_deliverable_status(
    group: Group, owner: str | None, person_id: str, roles: frozenset[Role]
) -> None:
    if not may_set_deliverable_status(group, owner, person_id, roles):
        raise Forbidden(
            f"{Role.SECRETARIAT.value}, coordinator of {group.id} or the deliverable's owner",
            say("changing a deliverable's status"),
        )
