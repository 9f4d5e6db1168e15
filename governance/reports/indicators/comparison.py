"""Year-on-year change between two years' tables, as the reader may see them.

Across set versions only indicators present in both (same key, type and, for a one-of, the same
choices) are compared, and the comparison says which were left out and why. A change is given only
where both years' figures are shown, so it never reveals a suppressed cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from governance.kernel.model import Pillar
from governance.reports.indicators.aggregates import MEMBERS, Cell, Table
from governance.reports.indicators.model import Indicator, IndicatorSet, IndicatorType


@dataclass(frozen=True, slots=True)
class Change:
    pillar: Pillar
    indicator: str
    country: str | None  # None: the pillar's total
    figure: str
    earlier: Decimal | None  # None: suppressed, or no member gave a value
    later: Decimal | None
    change: Decimal | None


@dataclass(frozen=True, slots=True)
class LeftOut:
    pillar: Pillar
    indicator: str
    reason: str


@dataclass(frozen=True, slots=True)
class Comparison:
    earlier_year: int
    later_year: int
    earlier_version: str
    later_version: str
    changes: tuple[Change, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def note(self) -> str | None:
        """What a reader must be told when the two years used different sets."""
        if self.earlier_version == self.later_version:
            return None
        return (
            f"{self.earlier_year} used indicator set {self.earlier_version} and {self.later_year} "
            f"used {self.later_version}: only indicators present in both are compared "
            f"({len(self.left_out)} left out)."
        )


def _why_not_comparable(earlier: Indicator | None, later: Indicator | None) -> str | None:
    if earlier is None:
        return "not in the earlier year's set"
    if later is None:
        return "not in the later year's set"
    if earlier.type is not later.type:
        return f"its type changed from {earlier.type.value} to {later.type.value}"
    if earlier.type is IndicatorType.CHOICE and earlier.choices != later.choices:
        return "its choices changed"
    return None


def _figures(cell: Cell | None, ind: Indicator) -> dict[str, Decimal] | None:
    if cell is None:
        return {}
    if cell.suppressed:
        return None
    figures = dict(cell.figures)
    mean = cell.mean() if ind.type is IndicatorType.PERCENTAGE else None
    if mean is not None:
        figures["mean"] = mean
    return figures


def _changes(earlier: Table | None, later: Table, ind: Indicator) -> list[Change]:
    def cells(table: Table | None) -> dict[str | None, Cell]:
        if table is None:
            return {}
        return {c.country: c for c in (table.total, *table.parts)}

    before, after = cells(earlier), cells(later)
    countries = sorted(c for c in {*before, *after} if c is not None)
    shown = [_figures(c, ind) for c in (*before.values(), *after.values())]
    # Names from the whole table: a hidden cell's own names (a currency) could say who is in it.
    names = [*sorted({name for figures in shown for name in figures or {}} - {MEMBERS}), MEMBERS]
    out = []
    for country in [None, *countries]:
        a, b = _figures(before.get(country), ind), _figures(after.get(country), ind)
        for name in names:
            x = None if a is None else a.get(name)
            y = None if b is None else b.get(name)
            diff = None if x is None or y is None else y - x
            out.append(Change(later.pillar, ind.key, country, name, x, y, diff))
    return out


def compare(
    earlier_set: IndicatorSet,
    earlier_tables: Sequence[Table],
    later_set: IndicatorSet,
    later_tables: Sequence[Table],
) -> Comparison:
    """The change from the earlier year to the later, per pillar, indicator and country."""
    earlier_year = earlier_tables[0].year if earlier_tables else earlier_set.from_year
    later_year = later_tables[0].year if later_tables else later_set.from_year
    before = {(t.pillar, t.indicator.key): t for t in earlier_tables}
    changes: list[Change] = []
    left_out: list[LeftOut] = []
    for pillar in sorted({*earlier_set.pillars, *later_set.pillars}):
        old = {i.key: i for i in earlier_set.indicators(pillar)}
        new = {i.key: i for i in later_set.indicators(pillar)}
        for key in sorted({*old, *new}):
            reason = _why_not_comparable(old.get(key), new.get(key))
            if reason is not None:
                left_out.append(LeftOut(pillar, key, reason))
                continue
            later = next(
                (t for t in later_tables if t.pillar is pillar and t.indicator.key == key), None
            )
            if later is not None:
                changes += _changes(before.get((pillar, key)), later, new[key])
    return Comparison(
        earlier_year,
        later_year,
        earlier_set.version,
        later_set.version,
        tuple(changes),
        tuple(left_out),
    )
