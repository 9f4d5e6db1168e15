"""Impact indicators year on year (issue 22): one picture per pillar, each comparable
indicator's figure for all countries in the earlier and the later year, with the change per
country in the picture's table.

Drawn from `governance.reports.indicators.comparison.compare` over the tables as the reader may
see them, so a cell kept from the reader (too few members) is never drawn nor listed: it reads
"hidden or none", the same as a cell no member gave a value for.

Every word of the picture is in the reader's language (issue 20); the drawing is kept per
version of its facts, and the words it draws are among them, so each language has its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from governance.kernel.model import Pillar
from governance.reports.indicators.aggregates import MEMBERS
from governance.reports.indicators.comparison import Change, Comparison
from governance.reports.indicators.model import IndicatorSet, IndicatorType
from govsched.http.web.charts.picture import (
    BLUE,
    ORANGE,
    Picture,
    Table,
    drawn,
    nothing_to_draw,
    row_labels,
    themed,
)
from govsched.http.web.labels import words
from govsched.i18n import formatting
from govsched.i18n.current import current_language, ngettext
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_

ALL_COUNTRIES = N_("All countries")
NONE_SHOWN = N_("hidden or none")
BAR_HEIGHT = 18
# The figure that stands for an indicator in the picture: a count, an average, how many said yes.
FIGURE = {
    IndicatorType.WHOLE_NUMBER: "sum",
    IndicatorType.PERCENTAGE: "mean",
    IndicatorType.YES_NO: "yes",
}
FIGURE_WORDS = {
    "sum": N_("total"),
    "mean": N_("average %"),
    "yes": N_("members saying yes"),
    MEMBERS: N_("members giving a value"),
}


def figure_text(value: Decimal | None) -> str:
    if value is None:
        return _(NONE_SHOWN)
    return formatting.number(value.quantize(Decimal("0.1")).normalize())


def _figure(change: Change, kinds: Mapping[str, IndicatorType]) -> bool:
    """The indicator's own figure, or how many members gave a value (kept in the table even
    when every other figure of the indicator is hidden)."""
    kind = kinds.get(change.indicator)
    return kind is not None and change.figure in (FIGURE.get(kind), MEMBERS)


def pillar_changes(
    comparison: Comparison, later_set: IndicatorSet, pillar: Pillar
) -> tuple[list[Change], dict[str, str]]:
    """The pillar's changes on each indicator's own figure, and the indicators' labels."""
    kinds = {i.key: i.type for i in later_set.indicators(pillar)}
    # the rulebook keys an indicator's wording by the bare language code ("zh", not "zh-Hans")
    language = current_language().value.split("-")[0]
    labels = {i.key: i.label(language) for i in later_set.indicators(pillar)}
    found = [c for c in comparison.changes if c.pillar is pillar and _figure(c, kinds)]
    return found, labels


def reported_in_later_year(changes: Sequence[Change]) -> bool:
    """Whether a member may have given a value in the later year: the pillar-wide count of
    members giving one is above nought, or kept from the reader (a few members' values are
    hidden, and so is how many gave them)."""
    return any(
        c.country is None and c.figure == MEMBERS and (c.later is None or c.later > 0)
        for c in changes
    )


def nothing_shown_text(changes: Sequence[Change], year: int) -> tuple[str, bool]:
    """Why a picture of `year` has nothing to draw, and whether its table still says something
    (cells hidden from the reader, each "hidden or none"; a table of noughts says nothing)."""
    if not reported_in_later_year(changes):
        return _("No values reported for %(year)s yet.") % {"year": year}, False
    return (
        _(
            "No figure for %(year)s can be shown: none was reported yet, or too few members "
            "gave one for it to be shown."
        )
        % {"year": year},
        True,
    )


def _drawn_words() -> tuple[str, str]:
    """The axis title and the chart's description, in the reader's language."""
    return (
        _("All countries:\ntotal, average %\nor count of yes"),
        _("Each indicator, the earlier year beside the later"),
    )


def spec(
    changes: Sequence[Change],
    labels: Mapping[str, str],
    years: tuple[int, int],
    width: int,
    drawn_words: tuple[str, str],
) -> dict[str, Any]:
    import altair as alt

    axis_title, description = drawn_words
    drawn_here = [c for c in changes if c.country is None and c.figure != MEMBERS]
    rows = [
        {"indicator": labels[c.indicator], "year": str(year), "value": float(value)}
        for c in drawn_here
        for year, value in zip(years, (c.earlier, c.later), strict=True)
        if value is not None
    ]
    indicators = list(dict.fromkeys(labels[c.indicator] for c in drawn_here))
    chart = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y("indicator:N", sort=indicators, title=None, axis=alt.Axis(**row_labels(width))),
            yOffset=alt.YOffset("year:N", sort=[str(y) for y in years]),
            x=alt.X("value:Q", title=axis_title),
            color=alt.Color(
                "year:N",
                title=None,
                sort=[str(y) for y in years],
                scale=alt.Scale(domain=[str(y) for y in years], range=[ORANGE, BLUE]),
            ),
            description=alt.Description("value:Q"),
        )
        .properties(height=max(len(indicators), 1) * BAR_HEIGHT * 2)
    )
    return themed(chart.to_dict(), width, description)


def table(changes: Sequence[Change], labels: Mapping[str, str], years: tuple[int, int]) -> Table:
    return Table(
        caption=_("Indicators %(earlier)s and %(later)s by country")
        % {"earlier": years[0], "later": years[1]},
        headers=(
            _("Indicator"),
            _("Country"),
            _("Figure"),
            str(years[0]),
            str(years[1]),
            _("Change"),
        ),
        rows=tuple(
            (
                labels[c.indicator],
                c.country or _(ALL_COUNTRIES),
                _(FIGURE_WORDS[c.figure]) if c.figure in FIGURE_WORDS else c.figure,
                figure_text(c.earlier),
                figure_text(c.later),
                _(NONE_SHOWN) if c.change is None else figure_text(c.change),
            )
            for c in changes
        ),
    )


def pillar_picture(comparison: Comparison, later_set: IndicatorSet, pillar: Pillar) -> Picture:
    changes, labels = pillar_changes(comparison, later_set, pillar)
    years = (comparison.earlier_year, comparison.later_year)
    shown = sum(
        1 for c in changes if c.country is None and c.figure != MEMBERS and c.later is not None
    )
    facts = {"pillar": words(pillar), "num": shown, "earlier": years[0], "later": years[1]}
    title = _("The %(pillar)s pillar, %(earlier)s and %(later)s") % facts
    drawable = any(
        c.country is None and c.figure != MEMBERS and (c.earlier, c.later) != (None, None)
        for c in changes
    )
    if not drawable:
        # empty axes would say nothing: the chart's place says why there is nothing to draw
        why, keep_table = nothing_shown_text(changes, years[1])
        facts_table = table(changes, labels, years) if keep_table else None
        return nothing_to_draw(f"indicators-{pillar.value}", title, why, facts_table)
    summary = (
        ngettext(
            "%(num)s indicator of the %(pillar)s pillar with a figure for %(later)s, "
            "beside %(earlier)s.",
            "%(num)s indicators of the %(pillar)s pillar with a figure for %(later)s, "
            "beside %(earlier)s.",
            shown,
        )
        % facts
    )
    drawn_words = _drawn_words()
    return drawn(
        f"indicators-{pillar.value}",
        title,
        summary,
        table(changes, labels, years),
        lambda width: spec(changes, labels, years, width, drawn_words),
        (changes, labels, years, drawn_words),
    )
