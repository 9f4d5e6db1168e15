"""The active Ghana group the group and funding tests start from, with what each test varies."""

from __future__ import annotations

from datetime import date
from typing import Any

from governance.groups.model import Exploration, Group, GroupStatus


def ghana_group(**varied: Any) -> Group:
    """An active group explored on 5 January 2027; `varied` sets its coordinators, members,
    participants."""
    return Group(
        id="ghana",
        name="Ghana group",
        country="GH",
        timezone="Africa/Accra",
        status=GroupStatus.ACTIVE,
        exploration=Exploration(demand="a", support="b", recorded_on=date(2027, 1, 5)),
        **varied,
    )
