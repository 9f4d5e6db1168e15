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

import altair as alt

from governance.applications.access import entitled, may_see
from governance.applications.model import ApplicationRecord, ApplicationState
from governance.kernel.actor import Actor
from governance.kernel.timekeeping import local_date
from govsched.http.web.charts.picture import (
    BLUE,
    INK,
    Picture,
    Table,
    days,
    drawn,
    row_labels,
    text_size,
    themed,
    title_under_labels,
    whole_ticks,
)


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
    return state.value.replace("_", " ").capitalize()


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
    if stage.count == 0:
        return "0"
    if stage.oldest_days is None or stage.median_days is None:
        return str(stage.count)
    if short:
        return f"{stage.count} · {stage.oldest_days} / {stage.median_days:g} d"
    return f"{stage.count} · oldest {stage.oldest_days} d, median {stage.median_days:g} d"


def spec(found: list[Stage], width: int) -> dict[str, Any]:
    """One bar for each state, with its count and ages written beside it."""
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
        title=["Applications", "(beside: oldest / median days)"] if short else "Applications",
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
    return themed(chart.to_dict(), width, "Applications in each state, with their ages")


def table(found: list[Stage]) -> Table:
    rows = tuple(
        (
            s.label,
            str(s.count),
            days(s.oldest_days) if s.oldest_days is not None else "—",
            days(s.median_days),
        )
        for s in found
        if s.count
    )
    return Table(
        caption="Applications by state",
        headers=("State", "Applications", "Oldest in this state", "Median time in this state"),
        rows=rows,
    )


def summary(found: list[Stage]) -> str:
    total = sum(s.count for s in found)
    if total == 0:
        return "No application to show."
    states = [s for s in found if s.count]
    text = f"{total} application{'' if total == 1 else 's'} in {len(states)} of the states"
    busiest = [s for s in states if s.count == max(x.count for x in states)]
    if len(busiest) == 1 and len(states) > 1:
        text += f"; the most in {busiest[0].label.lower()} ({busiest[0].count})"
    text += "."
    aged = [s for s in found if s.oldest_days is not None]
    if aged:
        oldest = max(aged, key=lambda s: s.oldest_days or 0)
        text += f" The longest wait is {days(oldest.oldest_days)} in {oldest.label.lower()}."
    if any(s.aged < s.count for s in found):
        text += " Ages are shown only for applications whose history you may read."
    return text


def picture(found: list[Stage]) -> Picture:
    return drawn(
        "pipeline",
        "The pipeline",
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
