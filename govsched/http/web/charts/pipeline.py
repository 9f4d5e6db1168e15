"""The application pipeline: how many applications are in each state, and for how long.

Ages are counted from the day an application entered its current state. They come from its
history, which only readers of the whole record (`application_access.entitled`) may see; for
anyone else an application counts in its state with no age, so the picture tells nobody more
than the page's table does.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from governance.applications.access import entitled, may_see
from governance.applications.model import ApplicationRecord, ApplicationState
from governance.kernel.actor import Actor
from governance.kernel.timekeeping import local_date
from govsched.http.web.charts import reading
from govsched.http.web.charts.picture import (
    BLUE,
    INK,
    Picture,
    Table,
    drawn,
    row_labels,
    text_size,
    themed,
    title_under_labels,
    whole_ticks,
)
from govsched.http.web.labels import words
from govsched.i18n import formatting
from govsched.i18n.current import gettext as _
from govsched.i18n.current import ngettext


@dataclass(frozen=True)
class Stage:
    state: ApplicationState
    count: int
    # how many of them the reader may see the age of, and those ages in days
    aged: int
    oldest_days: int | None
    median_days: float | None

    @property
    def label(self) -> str:
        return state_label(self.state)


def state_label(state: ApplicationState) -> str:
    """The state as the application pages name it, in the reader's language, as a label."""
    text = words(state)
    return text[:1].upper() + text[1:]


def entered_state(record: ApplicationRecord) -> datetime:
    """When the application entered the state it is in: the first step of its last run of
    steps in that state (a recommendation, say, is a step that keeps the state)."""
    entered, previous = record.submitted_at, None
    for step in record.history:
        if step.state is not previous:
            entered, previous = step.at, step.state
    return entered


def days_in_state(record: ApplicationRecord, today: date, tz: str) -> int:
    return max((today - local_date(entered_state(record), tz)).days, 0)


def stages(entries: Iterable[tuple[ApplicationState, int | None]]) -> list[Stage]:
    """Each state in the order of the process, with its count and ages; `entries` are the
    applications as (state, days in it, or None where the reader may not see it)."""
    by_state: dict[ApplicationState, list[int | None]] = {s: [] for s in ApplicationState}
    for state, age in entries:
        by_state[state].append(age)
    found = []
    for state, ages in by_state.items():
        known = sorted(a for a in ages if a is not None)
        found.append(
            Stage(
                state=state,
                count=len(ages),
                aged=len(known),
                oldest_days=known[-1] if known else None,
                median_days=float(statistics.median(known)) if known else None,
            )
        )
    return found


def _note(stage: Stage, short: bool) -> str:
    if stage.oldest_days is None or stage.median_days is None:
        return reading.count(stage.count)
    values = {
        "count": reading.count(stage.count),
        "oldest": reading.count(stage.oldest_days),
        "median": formatting.number(round(stage.median_days, 1)),
    }
    if short:
        return _("%(count)s · %(oldest)s / %(median)s d") % values
    return _("%(count)s · oldest %(oldest)s d, median %(median)s d") % values


def spec(found: list[Stage], width: int) -> dict[str, Any]:
    """One bar for each state, with its count and ages written beside it."""
    import altair as alt

    short = width < 400
    rows = [
        {"state": s.label, "count": s.count, "note": _note(s, short), "order": i}
        for i, s in enumerate(found)
    ]
    most = max((s.count for s in found), default=0)
    y = alt.Y(
        "state:N",
        sort=[s.label for s in found],
        title=None,
        axis=alt.Axis(**row_labels(width)),
    )
    # room on the right for the notes: the count axis ends well past the longest bar
    x = alt.X(
        "count:Q",
        title=[_("Applications"), _("(beside: oldest / median days)")]
        if short
        else _("Applications"),
        scale=alt.Scale(domain=[0, max(most, 1) * (2.6 if short else 2.2)], nice=False),
        axis=alt.Axis(
            format="d",
            values=whole_ticks(most),
            **title_under_labels(short),
        ),
    )
    base = alt.Chart(alt.InlineData(values=rows)).encode(y=y, x=x)
    bars = base.mark_bar(color=BLUE, height={"band": 0.7})
    notes = base.mark_text(align="left", dx=4, color=INK, fontSize=text_size(width)).encode(
        text="note:N"
    )
    chart = alt.layer(bars.properties(name="bars"), notes.properties(name="notes")).properties(
        height=len(rows) * 26
    )
    return themed(chart.to_dict(), width, _("Applications in each state, with their ages"))


def table(found: list[Stage]) -> Table:
    rows = tuple(
        (
            s.label,
            reading.count(s.count),
            reading.days(s.oldest_days),
            reading.days(s.median_days),
        )
        for s in found
        if s.count
    )
    return Table(
        caption=_("Applications by state"),
        headers=(
            _("State"),
            _("Applications"),
            _("Oldest in this state"),
            _("Median time in this state"),
        ),
        rows=rows,
    )


def summary(found: list[Stage]) -> str:
    total = sum(s.count for s in found)
    if total == 0:
        return _("No application to show.")
    states = [s for s in found if s.count]
    values = {"count": reading.count(total), "states": reading.count(len(states))}
    busiest = [s for s in states if s.count == max(x.count for x in states)]
    if len(busiest) == 1 and len(states) > 1:
        values |= {"state": words(busiest[0].state), "most": reading.count(busiest[0].count)}
        sentences = [
            ngettext(
                "%(count)s application in %(states)s of the states; the most in %(state)s "
                "(%(most)s).",
                "%(count)s applications in %(states)s of the states; the most in %(state)s "
                "(%(most)s).",
                total,
            )
            % values
        ]
    else:
        sentences = [
            ngettext(
                "%(count)s application in %(states)s of the states.",
                "%(count)s applications in %(states)s of the states.",
                total,
            )
            % values
        ]
    aged = [s for s in found if s.oldest_days is not None]
    if aged:
        oldest = max(aged, key=lambda s: s.oldest_days or 0)
        sentences.append(
            _("The longest wait is %(days)s in %(state)s.")
            % {"days": reading.days(oldest.oldest_days), "state": words(oldest.state)}
        )
    if any(s.aged < s.count for s in found):
        sentences.append(_("Ages are shown only for applications whose history you may read."))
    return reading.sentences(sentences)


def picture(found: list[Stage]) -> Picture:
    return drawn(
        "pipeline",
        _("The pipeline"),
        summary(found),
        table(found),
        lambda width: spec(found, width),
        found,
    )


def for_reader(
    records: Iterable[ApplicationRecord], reader: Actor, today: date, tz: str
) -> list[Stage]:
    """The stages of the applications `reader` may know of, aged where it may read them."""
    return stages(
        (r.state, days_in_state(r, today, tz) if entitled(r, reader) else None)
        for r in records
        if may_see(r, reader)
    )
