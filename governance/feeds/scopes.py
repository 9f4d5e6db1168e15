"""Which calendar feed a subscription token opens, and who may hold one.

Every feed token belongs to one person and opens one scope:

- `person`: that person's own feed (everything their audiences may see);
- `role:<role>`: what is published to a role (the Steering Committee's tasks), for holders of it;
- `pillar:<pillar>`: what is published to a pillar, for people of a member of that pillar and for
  the Secretariat;
- `group:<group id>`: an In-country Implementation Group's meetings, in the group's own zone, for
  anyone signed in (groups are the membership's to read; issue 23).

Entitlement is decided again on every request from the registry as it stands, so a person who
leaves the Steering Committee loses its feed at once, without anyone revoking a token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from governance.kernel.calendar import person_audiences, pillar_audience, role_audience
from governance.kernel.errors import Forbidden, InvalidInput, Problem
from governance.kernel.messages import say
from governance.kernel.model import Pillar, Role

PERSON_SCOPE = "person"
GROUP_KIND = "group"
_GROUP_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def group_scope(group_id: str) -> str:
    return f"{GROUP_KIND}:{group_id}"


def scope_group(scope: str) -> str | None:
    """The group a scope names, or None for every other scope."""
    kind, _, value = scope.partition(":")
    return value if kind == GROUP_KIND else None


@dataclass(frozen=True, slots=True)
class Subscriber:
    """What decides a person's feeds: who they are, their roles and their member."""

    person_id: str
    name: str
    roles: frozenset[Role]
    member_id: str | None
    pillar: Pillar | None
    # a voting member's person (`governance.kernel.model.votes`): Full, of a voting pillar
    voting_member: bool


def parse_scope(scope: str) -> str:
    """The scope in its one canonical spelling, or InvalidInput naming what is accepted."""
    if scope == PERSON_SCOPE:
        return scope
    kind, _, value = scope.partition(":")
    if kind == "role" and value in {r.value for r in Role}:
        return scope
    if kind == "pillar" and value in {p.value for p in Pillar}:
        return scope
    if kind == GROUP_KIND and _GROUP_ID.fullmatch(value):
        return scope
    accepted = ", ".join(
        [
            PERSON_SCOPE,
            *(f"role:{r.value}" for r in Role),
            *(f"pillar:{p.value}" for p in Pillar),
            f"{GROUP_KIND}:<group id>",
        ]
    )
    raise InvalidInput(
        say("unknown calendar feed scope"),
        [
            Problem(
                "scope", say("%(scope)r is not one of %(accepted)s", scope=scope, accepted=accepted)
            )
        ],
    )


def all_scopes() -> list[str]:
    return [
        PERSON_SCOPE,
        *(f"role:{r.value}" for r in Role),
        *(f"pillar:{p.value}" for p in Pillar),
    ]


def entitled(subscriber: Subscriber, scope: str) -> bool:
    """Whether the person may hold (and read) a feed of this scope now."""
    kind, _, value = parse_scope(scope).partition(":")
    if kind in (PERSON_SCOPE, GROUP_KIND):
        return True
    if kind == "role":
        return Role(value) in subscriber.roles
    return subscriber.pillar == Pillar(value) or Role.SECRETARIAT in subscriber.roles


def check_entitled(subscriber: Subscriber, scope: str) -> None:
    """Refuse a token for a feed the person may not read, naming what it needs."""
    if entitled(subscriber, scope):
        return
    kind, _, value = scope.partition(":")
    needed = value if kind == "role" else f"{value} pillar member or {Role.SECRETARIAT.value}"
    raise Forbidden(needed, say("a calendar feed for %(scope)s", scope=scope))


def scope_audiences(subscriber: Subscriber, scope: str) -> frozenset[str]:
    """The audiences the feed shows: a role's or pillar's feed shows only what is addressed to it.

    The person feed is the union of everything addressed to the person, so confidential items
    reach it exactly when one of the item's audiences is theirs (`visible_to`).
    """
    kind, _, value = parse_scope(scope).partition(":")
    if kind == PERSON_SCOPE:
        return person_audiences(
            subscriber.person_id,
            subscriber.roles,
            subscriber.member_id,
            subscriber.pillar,
            voting_member=subscriber.voting_member,
        )
    if kind == "role":
        return frozenset({role_audience(Role(value))})
    if kind == GROUP_KIND:
        return frozenset()  # a group feed is the group's meetings, not the calendar store's
    return frozenset({pillar_audience(Pillar(value))})


def feed_file_name(scope: str, person_id: str | None = None) -> str:
    """The file name an export uses for a feed: person-<id>.ics, role-<role>.ics, ..."""
    if scope == PERSON_SCOPE:
        return f"person-{person_id}.ics"
    kind, _, value = scope.partition(":")
    return f"{kind}-{value}.ics"
