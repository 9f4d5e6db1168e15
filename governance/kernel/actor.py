"""Who acts: a person, their roles, and the member they act for."""

from __future__ import annotations

from governance.kernel.model import Frozen, MemberStatus, Role


class Actor(Frozen):
    """Who acts, as the service layer found them in the registry when the request arrived."""

    person: str
    roles: frozenset[Role] = frozenset()
    member: str | None = None
    member_status: MemberStatus | None = None
