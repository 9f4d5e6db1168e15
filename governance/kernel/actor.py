"""Who acts: a person, their roles, and the member they act for."""

from __future__ import annotations

from governance.kernel.model import VOTING_STATUS, Frozen, MemberStatus, Pillar, Role, votes


class Actor(Frozen):
    """Who acts, as the service layer found them in the registry when the request arrived."""

    person: str
    roles: frozenset[Role] = frozenset()
    member: str | None = None
    member_status: MemberStatus | None = None
    # None with a member only in commands recorded before actors carried their pillar
    # (replayed histories): those were decided on the status alone, and replay the same way.
    member_pillar: Pillar | None = None

    @property
    def voting(self) -> bool:
        """Is the person's member a voting member (`governance.kernel.model.votes`)?"""
        if self.member is None:
            return False
        if self.member_pillar is None:
            return self.member_status is VOTING_STATUS
        return votes(self.member_pillar, self.member_status)

    @property
    def objector(self) -> bool:
        """A voting member's focal point: told of a proposed admission, and may object to it."""
        return Role.FOCAL_POINT in self.roles and self.voting
