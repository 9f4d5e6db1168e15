"""The reporting grid: each member's report year by year (on time, late, missed, not due yet),
and each reviewing member's load in the year shown.

Both are drawn from the cycles as `govsched.services.reports.cycle_view` gives them to the reader,
so a focal point's grid has only the rows its own page shows (its member's, and the reports it
reviews).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from governance.reports.cycle import Review
from govsched.http.web.charts import reading
from govsched.http.web.charts.picture import (
    BLUE,
    GREEN,
    GRID,
    INK,
    ORANGE,
    RED,
    Picture,
    Table,
    drawn,
    nothing_to_draw,
    row_labels,
    text_size,
    themed,
    title_under_labels,
    unique_labels,
    whole_ticks,
)
from govsched.i18n import formatting
from govsched.i18n.current import gettext as _
from govsched.i18n.current import ngettext
from govsched.i18n.marking import N_
from govsched.services.reports import CycleView

# Kept in English (cells and tests compare them), shown through the catalog.
ON_TIME, LATE, MISSED, NOT_DUE = N_("On time"), N_("Late"), N_("Missed"), N_("Not due yet")
# what `cycle_view` calls each line, in the grid's words; a report received after the cycle
# closed leaves the cycle missed (the row of misses counts it), so the grid says so
STATUSES = {
    "submitted": ON_TIME,
    "late": LATE,
    "after_close": MISSED,
    "overdue": MISSED,
    "open": NOT_DUE,
}
# fill, the text written in the cell (so colour is not the only sign), and its colour
CELL_STYLE = {
    ON_TIME: (GREEN, "✓", "#ffffff"),
    LATE: (ORANGE, N_("late"), "#ffffff"),
    MISSED: (RED, "✗", "#ffffff"),
    NOT_DUE: (GRID, "…", INK),
}
DONE, OPEN, REVIEW_LATE = N_("Reviewed"), N_("Open"), N_("Open, past due")
LOAD_COLOURS = {DONE: GREEN, OPEN: BLUE, REVIEW_LATE: RED}
NOT_OWED = N_("not owed")
ROW_HEIGHT = 22
COLUMN_WIDTH = 110
# The years the grid shows: the year on the page and the ones before it.
GRID_YEARS = 5
# The most rows (members, reviewers) a picture draws. Past it the drawing is too tall to read
# (22 px a row), megabytes of SVG drawn for seconds, and from about 1,500 rows vl-convert fails
# (its stack overflows): a registry of thousands of members gets the sentence and the members'
# table on the page instead.
DRAWN_ROWS = 150


@dataclass(frozen=True)
class Cell:
    member: str
    year: int
    status: str


@dataclass(frozen=True)
class Load:
    reviewer: str
    done: int
    open: int
    late: int

    @property
    def total(self) -> int:
        return self.done + self.open + self.late


def cells(cycles: Sequence[CycleView]) -> list[Cell]:
    """One cell for each report a member owed in each year shown."""
    return [
        Cell(line.member, cycle.year, STATUSES.get(line.status, line.status))
        for cycle in sorted(cycles, key=lambda c: c.year)
        for line in cycle.reports
    ]


def loads(reviews: Sequence[Review], review_due: date, today: date) -> list[Load]:
    """Each reviewing member's reviews: done, open, and open past their due day; heaviest
    first."""
    found: dict[str, list[int]] = {}
    for review in reviews:
        counts = found.setdefault(review.reviewer, [0, 0, 0])
        if review.submitted_at is not None:
            counts[0] += 1
        elif today > review_due:
            counts[2] += 1
        else:
            counts[1] += 1
    result = [Load(r, done, waiting, late) for r, (done, waiting, late) in found.items()]
    return sorted(result, key=lambda load: (-load.total, load.reviewer))


def grid_spec(found: Sequence[Cell], labels: Mapping[str, str], width: int) -> dict[str, Any]:
    """One row for each member, one column for each year, a cell for each report owed."""
    import altair as alt

    short = width < 400
    rows = [
        {
            "member": labels[c.member],
            "year": str(c.year),
            "status": _(c.status),
            "mark": _(CELL_STYLE[c.status][1]) if c.status in CELL_STYLE else "",
            "ink": CELL_STYLE[c.status][2] if c.status in CELL_STYLE else INK,
        }
        for c in found
    ]
    members = sorted({labels[c.member] for c in found}, key=str.casefold)
    years = sorted({str(c.year) for c in found})
    kept = [s for s in CELL_STYLE if any(c.status == s for c in found)]
    statuses = [_(s) for s in kept]
    y = alt.Y(
        "member:N",
        sort=members,
        title=None,
        axis=alt.Axis(domain=False, **row_labels(width)),
    )
    x = alt.X(
        "year:O", sort=years, title=None, axis=alt.Axis(orient="top", labelAngle=0, domain=False)
    )
    base = alt.Chart(alt.InlineData(values=rows)).encode(x=x, y=y)
    fill = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color(
            "status:N",
            title=None,
            scale=alt.Scale(domain=statuses, range=[CELL_STYLE[s][0] for s in kept]),
            legend=alt.Legend(columns=2 if short or len(years) < 3 else 0, symbolType="square"),
        ),
        description=alt.Description("status:N"),
    )
    marks = base.mark_text(fontSize=text_size(width), fontWeight="bold").encode(
        text="mark:N", color=alt.Color("ink:N", scale=None)
    )
    chart = alt.layer(
        fill.properties(name="cells"), marks.properties(name="cell_marks")
    ).properties(height=max(len(members), 1) * ROW_HEIGHT)
    # a column need not be wider than its year: a year or two make a narrow grid
    used = min(width, row_labels(width)["labelLimit"] + 40 + COLUMN_WIDTH * len(years))
    return themed(chart.to_dict(), used, _("Each member's report, year by year"))


def grid_table(found: Sequence[Cell], labels: Mapping[str, str]) -> Table:
    years = sorted({c.year for c in found})
    status = {(c.member, c.year): c.status for c in found}
    members = sorted({c.member for c in found}, key=lambda m: labels[m].casefold())
    return Table(
        caption=_("Reports by member and year"),
        headers=(_("Member"), *(str(y) for y in years)),
        rows=tuple((labels[m], *(_(status.get((m, y), NOT_OWED)) for y in years)) for m in members),
    )


def grid_summary(found: Sequence[Cell]) -> str:
    if not found:
        return _("No report was owed in the years shown.")
    years = sorted({c.year for c in found})
    counts = {s: sum(1 for c in found if c.status == s) for s in CELL_STYLE}
    told = formatting.items(
        [
            _("%(count)s: %(status)s") % {"count": reading.count(n), "status": _(s)}
            for s, n in counts.items()
            if n
        ]
    )
    if len(years) > 1:
        return _("Reports owed from %(first)s to %(last)s: %(counts)s.") % {
            "first": years[0],
            "last": years[-1],
            "counts": told,
        }
    return _("Reports owed in %(year)s: %(counts)s.") % {"year": years[0], "counts": told}


def grid_picture(found: Sequence[Cell], names: Mapping[str, str]) -> Picture:
    members = dict.fromkeys(c.member for c in found)
    if len(members) > DRAWN_ROWS:
        why = _(
            "Not drawn: one row for each of %(num)s members would be too tall to read. The "
            "table of members by state gives each member's report for the year shown."
        ) % {"num": reading.count(len(members))}
        return nothing_to_draw(
            "reporting-grid", _("Reports year by year"), grid_summary(found) + " " + why
        )
    labels = unique_labels((m, names.get(m, m)) for m in members)
    return drawn(
        "reporting-grid",
        _("Reports year by year"),
        grid_summary(found),
        grid_table(found, labels),
        lambda width: grid_spec(found, labels, width),
        (found, labels),
    )


def load_spec(found: Sequence[Load], labels: Mapping[str, str], width: int) -> dict[str, Any]:
    """One bar for each reviewing member, in parts: reviewed, open, open past due."""
    import altair as alt

    short = width < 400
    rows = [
        {"reviewer": labels[load.reviewer], "kind": _(kind), "count": count, "order": i}
        for load in found
        for i, (kind, count) in enumerate(
            ((DONE, load.done), (OPEN, load.open), (REVIEW_LATE, load.late))
        )
        if count
    ]
    kept = [k for k in LOAD_COLOURS if any(r["kind"] == _(k) for r in rows)]
    kinds = [_(k) for k in kept]
    ticks = whole_ticks(max((load.total for load in found), default=0))
    y = alt.Y(
        "reviewer:N",
        sort=[labels[load.reviewer] for load in found],
        title=None,
        axis=alt.Axis(**row_labels(width)),
    )
    x = alt.X(
        "sum(count):Q",
        title=_("Reviews assigned"),
        scale=alt.Scale(domain=[0, ticks[-1]], nice=False),
        axis=alt.Axis(format="d", values=ticks, **title_under_labels(short)),
    )
    chart = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_bar(height={"band": 0.7})
        .encode(
            y=y,
            x=x,
            color=alt.Color(
                "kind:N",
                title=None,
                sort=kinds,
                scale=alt.Scale(domain=kinds, range=[LOAD_COLOURS[k] for k in kept]),
                legend=alt.Legend(columns=2 if short else 0, symbolType="square"),
            ),
            order=alt.Order("order:Q"),
            description=alt.Description("kind:N"),
        )
        .properties(height=max(len(found), 1) * ROW_HEIGHT, name="load")
    )
    return themed(chart.to_dict(), width, _("Reviews assigned to each reviewing member"))


def load_table(found: Sequence[Load], labels: Mapping[str, str]) -> Table:
    return Table(
        caption=_("Reviews assigned to each reviewing member"),
        headers=(_("Reviewing member"), _(DONE), _(OPEN), _(REVIEW_LATE), _("All")),
        rows=tuple(
            (
                labels[x.reviewer],
                reading.count(x.done),
                reading.count(x.open),
                reading.count(x.late),
                reading.count(x.total),
            )
            for x in found
        ),
    )


def load_summary(found: Sequence[Load], year: int) -> str:
    if not found:
        return _("No review is assigned for %(year)s.") % {"year": year}
    total = sum(x.total for x in found)
    done = sum(x.done for x in found)
    return ngettext(
        "%(count)s review for %(year)s across %(members)s reviewing members, %(done)s done; "
        "the most for one member: %(most)s.",
        "%(count)s reviews for %(year)s across %(members)s reviewing members, %(done)s done; "
        "the most for one member: %(most)s.",
        total,
    ) % {
        "count": reading.count(total),
        "year": year,
        "members": reading.count(len(found)),
        "done": reading.count(done),
        "most": reading.count(found[0].total),
    }


def load_picture(found: Sequence[Load], names: Mapping[str, str], year: int) -> Picture:
    if len(found) > DRAWN_ROWS:
        why = _(
            "Not drawn: one bar for each of %(num)s reviewing members would be too tall to read. "
            "The table of members by state gives the reviews each member owes."
        ) % {"num": reading.count(len(found))}
        return nothing_to_draw(
            "reviewer-load", _("Reviewer load"), load_summary(found, year) + " " + why
        )
    labels = unique_labels((x.reviewer, names.get(x.reviewer, x.reviewer)) for x in found)
    return drawn(
        "reviewer-load",
        _("Reviewer load"),
        load_summary(found, year),
        load_table(found, labels),
        lambda width: load_spec(found, labels, width),
        (found, labels),
    )
