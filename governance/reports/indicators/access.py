"""Who may read one member's own indicator values (issue 22).

The member itself (its focal points), the members reviewing its report that year (theirs, while
they have not left the initiative), the Secretariat and the Steering Committee. Everyone else
reads aggregates only, with small cells suppressed (suppression.py).
"""

from __future__ import annotations

from collections.abc import Collection

from governance.kernel.actor import Actor
from governance.kernel.model import Role
from governance.reports.cycle import reading_for, reviewing_for

_ALWAYS = frozenset({Role.SECRETARIAT, Role.STEERING_COMMITTEE})


def may_see_values(viewer: Actor, member: str, reviewers: Collection[str]) -> bool:
    """May `viewer` read `member`'s values of a year whose reviewers are `reviewers`?"""
    if viewer.roles & _ALWAYS:
        return True
    own = reading_for(viewer.roles, viewer.member)
    # a member that left reads its own values, no longer those of the reports it reviewed
    reviewing = reviewing_for(viewer.roles, viewer.member, viewer.member_status)
    return (own is not None and own == member) or (reviewing is not None and reviewing in reviewers)
