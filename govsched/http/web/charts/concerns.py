"""Concerns by state over time: how many cases stood in each state at the end of each month.

Counts only, ever: no case id, member, filer or date of a single case is in the data, the
drawing or its table. The counts are over the cases the reader may know of
(`concern_access.may_see`), from their histories as `concern_access.history_view` shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from governance.concerns.access import StepView
from governance.concerns.model import ConcernState
from governance.kernel.timekeeping import local_date
from govsched.http.web.charts import reading
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
    themed,
    whole_ticks,
)
from govsched.http.web.labels import words
from govsched.i18n.current import gettext as _

# At most this many months, the latest: two years of a process that runs for months a case;
# at least a year, so that one new case is one bar among the months before it.
MONTHS = 24
LEAST_MONTHS = 12
STATE_COLOURS = {
    ConcernState.FILED: ORANGE,
    ConcernState.DIALOGUE: BLUE,
    ConcernState.REVIEW: PURPLE,
    ConcernState.AWAITING_DECISION: RED,
    ConcernState.DECIDED: GREEN,
    ConcernState.WITHDRAWN: GREY,
}


@dataclass(frozen=True)
class MonthCount:
    month: date  # its first day
    state: ConcernState
    count: int


def state_label(state: ConcernState) -> str:
    """The state as the concern pages name it, in the reader's language, as a label."""
    text = words(state)
    return text[:1].upper() + text[1:]


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date, today: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return min(date.fromordinal(following.toordinal() - 1), today)


def months(histories: Sequence[Sequence[StepView]], today: date, tz: str) -> list[MonthCount]:
    """For each month from the first filing to this one (the last `MONTHS`), how many cases
    were in each state on its last day (today, for this month)."""
    dated = [[(local_date(s.at, tz), s.state) for s in h] for h in histories if h]
    if not dated:
        return []
    start = min(steps[0][0] for steps in dated)
    this_month = date(today.year, today.month, 1)
    span = (today.year - start.year) * 12 + today.month - start.month + 1
    result = []
    for back in reversed(range(min(max(span, LEAST_MONTHS), MONTHS))):
        month = _months_before(this_month, back)
        end = _month_end(month, today)
        counts = dict.fromkeys(ConcernState, 0)
        for steps in dated:
            states = [state for day, state in steps if day <= end]
            if states:
                counts[states[-1]] += 1
        result += [MonthCount(month, s, n) for s, n in counts.items()]
    return result


def _month_label(month: date, short: bool) -> str:
    return reading.axis_month(month, short)


def spec(found: Sequence[MonthCount], width: int) -> dict[str, Any]:
    """A stacked bar for each month, one part for each state."""
    import altair as alt

    short = width < 400
    rows = [
        {
            "month": _month_label(m.month, short),
            "state": state_label(m.state),
            "count": m.count,
            "order": list(ConcernState).index(m.state),
        }
        for m in found
        if m.count
    ]
    order = list(dict.fromkeys(_month_label(m.month, short) for m in found))
    states = [state_label(s) for s in STATE_COLOURS if any(m.state is s and m.count for m in found)]
    colours = [c for s, c in STATE_COLOURS.items() if any(m.state is s and m.count for m in found)]
    totals: dict[date, int] = {}
    for m in found:
        totals[m.month] = totals.get(m.month, 0) + m.count
    ticks = whole_ticks(max(totals.values(), default=0))
    angle = (-90 if len(order) > 8 else 0) if short else (-45 if len(order) > 12 else 0)
    chart = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_bar()
        .encode(
            x=alt.X(
                "month:O",
                sort=order,
                # every month is a place on the axis, those with no case too
                scale=alt.Scale(domain=order),
                title=None,
                axis=alt.Axis(labelAngle=angle),
            ),
            y=alt.Y(
                "sum(count):Q",
                title=_("Cases"),
                scale=alt.Scale(domain=[0, ticks[-1]], nice=False),
                axis=alt.Axis(format="d", values=ticks),
            ),
            color=alt.Color(
                "state:N",
                title=None,
                sort=states,
                scale=alt.Scale(domain=states, range=colours),
                legend=alt.Legend(columns=2 if short else 0, symbolType="square"),
            ),
            order=alt.Order("order:Q"),
            description=alt.Description("state:N"),
        )
        .properties(height=220, name="counts")
    )
    return themed(chart.to_dict(), width, _("Concerns by state at the end of each month"))


def table(found: Sequence[MonthCount]) -> Table:
    states = [s for s in ConcernState if any(m.state is s and m.count for m in found)]
    by_month: dict[date, dict[ConcernState, int]] = {}
    for m in found:
        by_month.setdefault(m.month, {})[m.state] = m.count
    return Table(
        caption=_("Concerns by state at the end of each month"),
        headers=(_("Month"), *(state_label(s) for s in states), _("All")),
        rows=tuple(
            (
                reading.month(month),
                *(reading.count(counts.get(s, 0)) for s in states),
                reading.count(sum(counts.values())),
            )
            for month, counts in by_month.items()
        ),
    )


def summary(found: Sequence[MonthCount]) -> str:
    if not found:
        return _("No concern has been filed.")
    last = max(m.month for m in found)
    now = {m.state: m.count for m in found if m.month == last}
    closed = now.get(ConcernState.DECIDED, 0) + now.get(ConcernState.WITHDRAWN, 0)
    open_now = sum(now.values()) - closed
    return _(
        "Counts only, no case is named. Now: %(open)s open "
        "and %(closed)s closed (decided or withdrawn)."
    ) % {"open": reading.count(open_now), "closed": reading.count(closed)}


def picture(found: Sequence[MonthCount]) -> Picture:
    return drawn(
        "concerns-over-time",
        _("Concerns by state over time"),
        summary(found),
        table(found),
        lambda width: spec(found, width),
        found,
    )
