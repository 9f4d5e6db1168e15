"""Which aggregate cells a reader outside the entitled may see.

A table shows a pillar's total beside its countries, so total = sum of the parts for every figure.
Primary suppression hides each part made of fewer than `min_members` members (and everything when
the total itself is that small). Complementary suppression then hides more parts, fewest members
first, until the hidden parts together hold at least `min_members` members: subtracting the shown
parts from the total then yields only the hidden parts' sum, never one hidden part, and that sum is
itself an aggregate of enough members. A single hidden part is never left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum

from governance.kernel.model import Role
from governance.reports.indicators.aggregates import Cell, Table


class Audience(StrEnum):
    ENTITLED = "entitled"  # sees every aggregate whole
    OTHERS = "others"  # sees aggregates with small cells suppressed


def aggregate_audience(roles: frozenset[Role]) -> Audience:
    """The Secretariat and the Steering Committee see every member's values, so every aggregate.

    A member and its reviewers are entitled to that member's own values only: an aggregate mixes
    in other members', so they read aggregates as everyone else does.
    """
    if roles & {Role.SECRETARIAT, Role.STEERING_COMMITTEE}:
        return Audience.ENTITLED
    return Audience.OTHERS


def hidden_parts(members: Mapping[str, int], min_members: int) -> set[str]:
    """The parts (by name) to hide, given each part's member count."""
    if sum(members.values()) < min_members:
        return set(members)
    hidden = {name for name, n in members.items() if n < min_members}
    shown = sorted((n, name) for name, n in members.items() if name not in hidden)
    while hidden and sum(members[name] for name in hidden) < min_members and shown:
        hidden.add(shown.pop(0)[1])
    return hidden


def _hidden(cell: Cell) -> Cell:
    return Cell(cell.country, {}, suppressed=True)


def shown_table(table: Table, audience: Audience, min_members: int) -> Table:
    """The table as `audience` may see it."""
    if audience is Audience.ENTITLED:
        return table
    hide = hidden_parts({str(c.country): c.members for c in table.parts}, min_members)
    total = table.total if table.total.members >= min_members else _hidden(table.total)
    parts = tuple(_hidden(c) if c.country in hide else c for c in table.parts)
    return replace(table, total=total, parts=parts)
