"""Aggregates of one reporting year: per pillar and indicator, one cell per country and the
pillar's total. Every figure of a cell is a sum over its members, so a total is exactly the sum of
its parts; that is what the suppression rule (suppression.py) reasons about."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import MAX_PREC, Context, Decimal

from governance.kernel.model import Pillar
from governance.reports.indicators.model import Indicator, IndicatorSet, IndicatorType
from governance.reports.indicators.values import Amount, Value

MEMBERS = "members"


@dataclass(frozen=True, slots=True)
class MemberValues:
    """A member's checked values for one year, with what the aggregates group by."""

    member: str
    pillar: Pillar
    country: str
    values: Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class Cell:
    """`figures` maps a figure's name to its value: `members` (how many gave a value), `yes`,
    `sum`, `sum USD`, `choice adopted`... Empty, with `suppressed`, when kept from the reader."""

    country: str | None  # None: the pillar's total
    figures: Mapping[str, Decimal] = field(default_factory=dict)
    suppressed: bool = False
    # how many members each figure is made of: all the cell's members, but for an amount's
    # currency only those that reported in it (a cell of three with one EUR amount holds one
    # member's value in `sum EUR`, which suppression must hide as a cell of one)
    counts: Mapping[str, int] = field(default_factory=dict, compare=False)

    @property
    def members(self) -> int:
        return int(self.figures.get(MEMBERS, 0))

    def mean(self, figure: str = "sum") -> Decimal | None:
        """The average per member who gave a value (for percentages), None when hidden or empty."""
        if self.suppressed or not self.members:
            return None
        return self.figures[figure] / self.members


@dataclass(frozen=True, slots=True)
class Table:
    year: int
    pillar: Pillar
    indicator: Indicator
    version: str
    total: Cell
    parts: tuple[Cell, ...]  # by country name


def contribution(indicator: Indicator, value: Value) -> dict[str, Decimal]:
    """What one member's value adds to each figure of its cells."""
    match indicator.type:
        case IndicatorType.YES_NO:
            return {"yes": Decimal(value is True)}
        case IndicatorType.WHOLE_NUMBER | IndicatorType.PERCENTAGE:
            assert isinstance(value, int | Decimal)
            assert not isinstance(value, bool)
            return {"sum": Decimal(value)}
        case IndicatorType.AMOUNT:
            assert isinstance(value, Amount)
            return {f"sum {value.currency}": value.amount}
        case IndicatorType.CHOICE:
            return {f"choice {c}": Decimal(c == value) for c in indicator.choices}
        case IndicatorType.SHORT_TEXT:
            return {}


# Sums are exact whatever their digits (the default context rounds to 28): a total is then
# exactly the sum of its parts, which suppression reasons about and a reader can recompute.
_EXACT = Context(prec=MAX_PREC)


def _add(into: dict[str, Decimal], figures: Mapping[str, Decimal]) -> None:
    for name, amount in figures.items():
        into[name] = _EXACT.add(into.get(name, Decimal(0)), amount)


def _count(into: dict[str, int], figures: Mapping[str, object]) -> None:
    for name in figures:
        into[name] = into.get(name, 0) + 1


def year_tables(
    indicator_set: IndicatorSet, year: int, reports: Iterable[MemberValues]
) -> list[Table]:
    """One table per pillar and indicator of the set, members of each country summed."""
    reports = list(reports)
    tables = []
    for pillar, indicators in indicator_set.pillars.items():
        for ind in indicators:
            by_country: dict[str, dict[str, Decimal]] = {}
            counts: dict[str, dict[str, int]] = {}
            for report in reports:
                if report.pillar != pillar or ind.key not in report.values:
                    continue
                given = {MEMBERS: Decimal(1), **contribution(ind, report.values[ind.key])}
                _add(by_country.setdefault(report.country, {}), given)
                _count(counts.setdefault(report.country, {}), given)
            total: dict[str, Decimal] = {MEMBERS: Decimal(0)}
            total_counts: dict[str, int] = {}
            for country, figures in by_country.items():
                _add(total, figures)
                for name, n in counts[country].items():
                    total_counts[name] = total_counts.get(name, 0) + n
            parts = tuple(Cell(c, by_country[c], counts=counts[c]) for c in sorted(by_country))
            whole = Cell(None, total, counts=total_counts)
            tables.append(Table(year, pillar, ind, indicator_set.version, whole, parts))
    return tables
