"""Indicator aggregates and comparisons as the API answers them, and the Secretariat's exports:
every member's submitted values of a year as CSV and as a spreadsheet (openpyxl), the spreadsheet
with the year's whole aggregates on a second sheet. Both hold the same value rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import TYPE_CHECKING

from governance.kernel.model import Frozen
from governance.reports.indicators.aggregates import Cell, Table
from governance.reports.indicators.comparison import Comparison
from governance.reports.indicators.suppression import Audience
from governance.rulebook.model import Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import indicators as indicator_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.indicators import shown_tables

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VALUE_COLUMNS = (
    "year",
    "version",
    "member",
    "name",
    "pillar",
    "country",
    "indicator",
    "label",
    "value",
    "currency",
)
AGGREGATE_COLUMNS = ("year", "version", "pillar", "indicator", "country", "figure", "value")
TOTAL = "(all countries)"


class CellOut(Frozen):
    country: str | None
    suppressed: bool
    figures: dict[str, str]


class TableOut(Frozen):
    year: int
    pillar: str
    indicator: str
    label: str
    type: str
    version: str
    total: CellOut
    parts: list[CellOut]


class ChangeOut(Frozen):
    pillar: str
    indicator: str
    country: str | None
    figure: str
    earlier: str | None
    later: str | None
    change: str | None


class LeftOutOut(Frozen):
    pillar: str
    indicator: str
    reason: str


class ComparisonOut(Frozen):
    earlier_year: int
    later_year: int
    earlier_version: str
    later_version: str
    note: str | None
    changes: list[ChangeOut]
    left_out: list[LeftOutOut]


def number_text(value: Decimal | None) -> str | None:
    """A figure without trailing zeros' noise (12.50 -> 12.5, 3E+1 -> 30)."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def _cell(cell: Cell) -> CellOut:
    figures = {name: number_text(v) or "0" for name, v in sorted(cell.figures.items())}
    return CellOut(country=cell.country, suppressed=cell.suppressed, figures=figures)


def table_out(table: Table) -> TableOut:
    return TableOut(
        year=table.year,
        pillar=table.pillar.value,
        indicator=table.indicator.key,
        label=table.indicator.label(),
        type=table.indicator.type.value,
        version=table.version,
        total=_cell(table.total),
        parts=[_cell(c) for c in table.parts],
    )


def comparison_out(comparison: Comparison) -> ComparisonOut:
    return ComparisonOut(
        earlier_year=comparison.earlier_year,
        later_year=comparison.later_year,
        earlier_version=comparison.earlier_version,
        later_version=comparison.later_version,
        note=comparison.note,
        changes=[
            ChangeOut(
                pillar=c.pillar.value,
                indicator=c.indicator,
                country=c.country,
                figure=c.figure,
                earlier=number_text(c.earlier),
                later=number_text(c.later),
                change=number_text(c.change),
            )
            for c in comparison.changes
        ],
        left_out=[
            LeftOutOut(pillar=x.pillar.value, indicator=x.indicator, reason=x.reason)
            for x in comparison.left_out
        ],
    )


# A spreadsheet runs a cell that starts like a formula: members' text is shown, never run.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """`text` as a spreadsheet shows it without running it (a leading quote if it could run)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _value_cells(raw: object) -> tuple[str, str]:
    if isinstance(raw, dict):
        return str(raw.get("amount", "")), str(raw.get("currency", ""))
    if isinstance(raw, bool):
        return ("yes" if raw else "no"), ""
    if isinstance(raw, int):
        return str(raw), ""
    return inert(str(raw)), ""


def value_rows(db: Database, rulebook: Rulebook, year: int) -> list[list[str]]:
    """One row per member and indicator it gave a value for, every cell as text."""
    with db.reading() as session:
        rows = indicator_repo.submitted_with_members(session, year)
        names = registry_repo.member_names(session, {kept.member for kept, _, _ in rows})
    out = []
    for kept, pillar, country in rows:
        indicator_set = rulebook.indicators.set_by_version(kept.version)
        labels = {i.key: i.label() for i in indicator_set.indicators(pillar)}
        for key, raw in sorted((kept.submitted or {}).items()):
            value, currency = _value_cells(raw)
            out.append(
                [
                    str(year),
                    kept.version,
                    kept.member,
                    inert(names.get(kept.member, kept.member)),
                    pillar.value,
                    country,
                    key,
                    inert(labels.get(key, key)),
                    value,
                    currency,
                ]
            )
    return out


def aggregate_rows(db: Database, rulebook: Rulebook, year: int) -> list[list[str]]:
    with db.reading() as session:
        rows = indicator_repo.submitted_with_members(session, year)
    out = []
    for table in shown_tables(rulebook, year, rows, Audience.ENTITLED):
        for cell in (table.total, *table.parts):
            for name, value in sorted(cell.figures.items()):
                out.append(
                    [
                        str(year),
                        table.version,
                        table.pillar.value,
                        table.indicator.key,
                        cell.country or TOTAL,
                        name,
                        number_text(value) or "0",
                    ]
                )
    return out


def csv_export(db: Database, rulebook: Rulebook, year: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(VALUE_COLUMNS)
    writer.writerows(value_rows(db, rulebook, year))
    return buffer.getvalue()


def _fill(sheet: Worksheet, rows: list[list[str]]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=text)
            cell.data_type = "s"  # text, never a formula, whatever it starts with


def xlsx_export(db: Database, rulebook: Rulebook, year: int) -> bytes:
    """Cells are text, as in the CSV: an amount keeps its exact digits, a currency its code."""
    # openpyxl (and the numpy it loads) here, not at the top: the API and the CLI import this
    # module at start-up, and only a spreadsheet export needs it
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    values = book.active
    assert isinstance(values, Worksheet), "a new workbook has a sheet"
    values.title = "values"
    _fill(values, [list(VALUE_COLUMNS), *value_rows(db, rulebook, year)])
    aggregates = book.create_sheet("aggregates")
    _fill(aggregates, [list(AGGREGATE_COLUMNS), *aggregate_rows(db, rulebook, year)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
