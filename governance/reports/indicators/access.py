"""Who may read one member's own indicator values (issue 22).

The member itself (anyone acting for it), the members reviewing its report that year (anyone
acting for them), the Secretariat and the Steering Committee. Everyone else reads aggregates
only, with small cells suppressed (suppression.py).
"""

from __future__ import annotations

from collections.abc import Collection

from governance.kernel.actor import Actor
from governance.kernel.model import Role

_ALWAYS = frozenset({Role.SECRETARIAT, Role.STEERING_COMMITTEE})


def may_see_values(viewer: Actor, member: str, reviewers: Collection[str]) -> bool:
    """May `viewer` read `member`'s values of a year whose reviewers are `reviewers`?"""
    if viewer.roles & _ALWAYS:
        return True
    return viewer.member is not None and (viewer.member == member or viewer.member in reviewers)
