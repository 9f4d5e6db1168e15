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
from collections.abc import Set as AbstractSet
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


def hidden_parts(
    members: Mapping[str, int], min_members: int, already: AbstractSet[str] = frozenset()
) -> set[str]:
    """The parts (by name) to hide, given each part's member count (and the parts `already`
    hidden for another reason, which count towards the complementary ones)."""
    if sum(members.values()) < min_members:
        return set(members)
    hidden = {name for name, n in members.items() if n < min_members or name in already}
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
    return _without_small_figures(replace(table, total=total, parts=parts), hide, min_members)


def _without_small_figures(table: Table, hidden_cells: set[str], min_members: int) -> Table:
    """A figure made of fewer members than its cell (an amount in a currency only some of them
    reported in) is suppressed on its own, by the cells' rule applied to that figure's members:
    hidden where too few gave it, with complementary parts, and everywhere when the total's
    own count is too small. Figures every member of the cell gave are left to the cells' rule.
    """
    dropped: dict[str | None, set[str]] = {}
    for name, made_of in table.total.counts.items():
        if made_of == table.total.members:
            continue
        counts = {str(c.country): c.counts[name] for c in table.parts if c.counts.get(name)}
        # a part already hidden whole counts as hidden for this figure too
        hidden: set[str | None] = set(hidden_parts(counts, min_members, already=hidden_cells))
        if made_of < min_members:
            hidden.add(None)  # the total, and with it every part (`hidden_parts` says so)
        for where in hidden:
            dropped.setdefault(where, set()).add(name)
    if not dropped:
        return table

    def kept(cell: Cell) -> Cell:
        gone = dropped.get(cell.country, set())
        if cell.suppressed or not gone:
            return cell
        figures = {n: v for n, v in cell.figures.items() if n not in gone}
        return replace(cell, figures=figures)

    return replace(table, total=kept(table.total), parts=tuple(kept(c) for c in table.parts))
