"""Impact indicators per country (issue 22): for each pillar, the later year's figure of each
indicator in each country, one bar per figure shown, beside the pillar's year-on-year picture.

Drawn from the same comparison as that picture (`governance.reports.indicators.comparison`),
which is made of the tables as the reader may see them: a country's cell made of fewer members
than the rulebook's minimum, or one that could be worked out by subtraction from the total and
the other countries shown with it, is suppressed there and so is never drawn here; the table
beside the drawing says "hidden or none" for it, as the page's tables do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from governance.kernel.model import Pillar
from governance.reports.indicators.aggregates import MEMBERS
from governance.reports.indicators.comparison import Change, Comparison
from governance.reports.indicators.model import IndicatorSet
from govsched.http.web.charts.indicators import (
    FIGURE_WORDS,
    NONE_SHOWN,
    figure_text,
    nothing_shown_text,
    pillar_changes,
)
from govsched.http.web.charts.picture import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    RED,
    Picture,
    Table,
    drawn,
    nothing_to_draw,
    row_labels,
    text_size,
    themed,
)
from govsched.http.web.labels import words
from govsched.i18n.current import gettext as _
from govsched.i18n.current import ngettext

BAR_HEIGHT = 16
# one colour per indicator of a pillar, told apart by the legend and the bar's own label too
PALETTE = [BLUE, ORANGE, GREEN, PURPLE, RED, GREY]


def country_changes(changes: Sequence[Change]) -> list[Change]:
    """The countries' rows of the indicators' own figures (not how many members gave one)."""
    return [c for c in changes if c.country is not None and c.figure != MEMBERS]


def _step(rows: Sequence[Mapping[str, Any]]) -> float:
    """Ticks a whole number apart when every figure is whole (counts), else as Vega chooses."""
    whole = all(float(r["value"]).is_integer() for r in rows)
    return 1 if whole else 0


def spec(
    changes: Sequence[Change],
    labels: Mapping[str, str],
    width: int,
    drawn_words: tuple[str, str],
) -> dict[str, Any]:
    import altair as alt

    axis_title, description = drawn_words
    rows = [
        {
            "country": c.country,
            "indicator": labels[c.indicator],
            "value": float(c.later),
            "shown": figure_text(c.later),
            "said": f"{c.country}, {labels[c.indicator]}: {figure_text(c.later)}",
        }
        for c in changes
        if c.later is not None
    ]
    countries = sorted(
        {c.country for c in changes if c.country is not None and c.later is not None}
    )
    indicators = list(dict.fromkeys(str(r["indicator"]) for r in rows))
    y = alt.Y("country:N", sort=countries, title=None, axis=alt.Axis(**row_labels(width)))
    offset = alt.YOffset("indicator:N", sort=indicators)
    # a legend of no indicator makes Vega size the drawing infinitely: no figure, no colours
    colour: dict[str, Any] = {}
    if indicators:
        colour["color"] = alt.Color(
            "indicator:N",
            title=None,
            sort=indicators,
            scale=alt.Scale(domain=indicators, range=PALETTE[: len(indicators)]),
            # one indicator a line: side by side, a phone showed only the first
            legend=alt.Legend(direction="vertical", columns=1, labelLimit=width - 30),
        )
    base = alt.Chart(alt.InlineData(values=rows)).encode(y=y, yOffset=offset)
    bars = base.mark_bar(color=BLUE).encode(
        x=alt.X("value:Q", title=axis_title, axis=alt.Axis(tickMinStep=_step(rows))),
        description=alt.Description("said:N"),
        **colour,
    )
    figures = base.mark_text(align="left", dx=3, fontSize=text_size(width)).encode(
        x=alt.X("value:Q"), text=alt.Text("shown:N"), description=alt.Description("said:N")
    )
    height = max(len(countries), 1) * max(len(indicators), 1) * BAR_HEIGHT
    chart = alt.layer(bars.properties(name="bars"), figures.properties(name="figures"))
    return themed(chart.properties(height=height).to_dict(), width, description)


def table(changes: Sequence[Change], labels: Mapping[str, str], year: int) -> Table:
    return Table(
        caption=_("Indicators %(year)s per country") % {"year": year},
        headers=(_("Country"), _("Indicator"), _("Figure"), str(year)),
        rows=tuple(
            (
                c.country or "",
                labels[c.indicator],
                _(FIGURE_WORDS[c.figure]) if c.figure in FIGURE_WORDS else c.figure,
                figure_text(c.later),
            )
            for c in sorted(changes, key=lambda c: (c.country or "", labels[c.indicator]))
        ),
    )


def country_picture(comparison: Comparison, later_set: IndicatorSet, pillar: Pillar) -> Picture:
    found, labels = pillar_changes(comparison, later_set, pillar)
    changes = country_changes(found)
    year = comparison.later_year
    shown = sum(1 for c in changes if c.later is not None)
    hidden = len(changes) - shown
    facts = {"pillar": words(pillar), "num": shown, "year": year, "hidden": hidden}
    title = _("The %(pillar)s pillar per country, %(year)s") % facts
    if not shown:
        # the picture draws the later year alone: with no figure shown its axes would be empty
        why, keep_table = nothing_shown_text(found, year)
        facts_table = table(changes, labels, year) if keep_table else None
        return nothing_to_draw(f"indicators-{pillar.value}-countries", title, why, facts_table)
    summary = (
        ngettext(
            "%(num)s figure of the %(pillar)s pillar's countries for %(year)s is shown.",
            "%(num)s figures of the %(pillar)s pillar's countries for %(year)s are shown.",
            shown,
        )
        % facts
    )
    if hidden:
        summary += " " + (
            ngettext(
                "%(hidden)s is hidden (too few members, or it could be worked out from the "
                "others) or had no value.",
                "%(hidden)s are hidden (too few members, or they could be worked out from the "
                "others) or had no value.",
                hidden,
            )
            % facts
        )
    drawn_words = (
        _("%(year)s: total, average %% or count of yes") % {"year": year},
        _("Each country's figure for each indicator"),
    )
    return drawn(
        f"indicators-{pillar.value}-countries",
        title,
        summary,
        table(changes, labels, year),
        lambda width: spec(changes, labels, width, drawn_words),
        (changes, labels, year, drawn_words, NONE_SHOWN),
    )
