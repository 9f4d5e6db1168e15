"""The year as a timeline: the plenary, its milestones, the reporting cycle's deadlines and the
Chair handover, each on a row at its date, with a line for today and overdue work marked.

The rows are what the year page lists (its milestones and handover checklist, with the same
status), plus the reporting cycle's dates, which every member is told.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from governance.kernel.model import Plenary
from governance.reports.cycle import CycleDates
from governance.rulebook.model import Rulebook
from governance.year.handover.calendar import handover_day
from governance.year.handover.rules import Handover, HandoverItemState
from governance.year.milestones import PROGRESS_LABELS, MilestoneProgress, PlannedMilestone
from govsched.http.web.charts import reading
from govsched.http.web.charts.picture import (
    BLUE,
    GREEN,
    GREY,
    INK,
    PURPLE,
    RED,
    Picture,
    Table,
    chart_text,
    drawn,
    row_labels,
    themed,
)
from govsched.i18n import formatting
from govsched.i18n.current import gettext as _
from govsched.i18n.current import ngettext
from govsched.i18n.marking import N_

# A dated fact is not work: it has no status, it is simply ahead or behind. Statuses are kept
# in English (the year page's PROGRESS_LABELS) and shown through the catalog.
DATE = N_("Date")
PLENARY = N_("Plenary")
STATUS_STYLE = {
    PLENARY: (PURPLE, "cross"),
    PROGRESS_LABELS[MilestoneProgress.COMPLETED]: (GREEN, "circle"),
    PROGRESS_LABELS[MilestoneProgress.OPEN]: (BLUE, "diamond"),
    PROGRESS_LABELS[MilestoneProgress.OVERDUE]: (RED, "triangle-up"),
    DATE: (GREY, "square"),
}
ROW_HEIGHT = 24


@dataclass(frozen=True)
class Event:
    label: str
    lane: str
    start: date
    # the last day, for what lasts more than a day (the plenary)
    end: date | None
    status: str

    @property
    def overdue(self) -> bool:
        return self.status == PROGRESS_LABELS[MilestoneProgress.OVERDUE]


def events(
    plenary: Plenary,
    milestones: Sequence[tuple[PlannedMilestone, MilestoneProgress]],
    handover: Handover | None,
    checklist: Sequence[tuple[HandoverItemState, MilestoneProgress]],
    cycle: CycleDates | None,
    rulebook: Rulebook,
    label: Callable[[str], str] = str,
) -> list[Event]:
    """Everything dated in the plenary's year, earliest first; `label` gives a rulebook label
    (a milestone's or handover item's title) in the reader's language."""
    found = [
        Event(
            _("Plenary %(year)s") % {"year": plenary.year},
            "Plenary",
            plenary.starts,
            plenary.ends,
            PLENARY,
        ),
        *(
            Event(chart_text(label(m.title)), "Milestone", m.due, None, PROGRESS_LABELS[status])
            for m, status in milestones
        ),
    ]
    if cycle is not None:
        found += [
            Event(_("Reporting opens"), "Reporting", cycle.opens, None, DATE),
            Event(_("Reports due"), "Reporting", cycle.due, None, DATE),
            Event(_("Reviews due"), "Reporting", cycle.review_due, None, DATE),
        ]
    if handover is not None:
        done = handover.completed_at is not None
        found.append(
            Event(
                _("Chair handover"),
                "Handover",
                # the day it ends (the plenary's last), as the handover section and calendar
                handover_day(handover, rulebook),
                None,
                PROGRESS_LABELS[MilestoneProgress.COMPLETED] if done else DATE,
            )
        )
        found += [
            Event(
                _("Handover: %(item)s") % {"item": chart_text(label(i.title))},
                "Handover",
                i.due,
                None,
                PROGRESS_LABELS[s],
            )
            for i, s in checklist
        ]
    return sorted(found, key=lambda e: (e.start, e.end or e.start))


def window(found: Sequence[Event], today: date) -> tuple[date, date]:
    """The span the chart shows: every event and today, with a margin on each side."""
    first = min([today, *(e.start for e in found)])
    last = max([today, *((e.end or e.start) for e in found)])
    margin = max(timedelta(days=7), (last - first) / 30)
    return first - margin, last + margin


def _rows(found: Sequence[Event]) -> list[str]:
    """A unique row name for each event (two milestones may share a title)."""
    rows: list[str] = []
    for event in found:
        name, number = event.label, 2
        while name in rows:
            name, number = f"{event.label} ({number})", number + 1
        rows.append(name)
    return rows


def spec(found: Sequence[Event], today: date, width: int) -> dict[str, Any]:
    import altair as alt

    short = width < 400
    names = _rows(found)
    first, last = window(found, today)
    rows = [
        {
            "row": name,
            "start": e.start.isoformat(),
            "status": _(e.status),
            "about": _("%(event)s: %(day)s, %(status)s")
            % {"event": name, "day": formatting.day(e.start), "status": _(e.status)},
        }
        for name, e in zip(names, found, strict=True)
    ]
    height = max(len(rows), 1) * ROW_HEIGHT
    kept = [s for s in STATUS_STYLE if any(e.status == s for e in found)]
    statuses = [_(s) for s in kept]
    x_scale = alt.Scale(type="utc", domain=[first.isoformat(), last.isoformat()], nice=False)
    axis = alt.Axis(
        format=reading.time_axis_format(short),
        tickCount=4 if short else 8,
        orient="top",
        labelOverlap=True,
        # a month's name is longer in some languages (2027年7月): labels that would touch
        # are thinned out, not run together
        labelSeparation=8,
    )
    x = alt.X("start:T", title=None, scale=x_scale, axis=axis)
    on_today = alt.X("today:T", title=None, scale=x_scale, axis=axis)
    y = alt.Y(
        "row:N",
        sort=names,
        title=None,
        axis=alt.Axis(**row_labels(width)),
    )
    data = alt.InlineData(values=rows)
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=110, opacity=1, strokeWidth=0)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=statuses, range=[STATUS_STYLE[s][0] for s in kept]),
                legend=alt.Legend(columns=2 if short else 0),
            ),
            shape=alt.Shape(
                "status:N",
                title=None,
                scale=alt.Scale(domain=statuses, range=[STATUS_STYLE[s][1] for s in kept]),
            ),
            description=alt.Description("about:N"),
        )
    )
    today_data = alt.InlineData(values=[{"today": today.isoformat(), "label": _("Today")}])
    today_rule = (
        alt.Chart(today_data)
        .mark_rule(color=INK, strokeDash=[5, 3], strokeWidth=2)
        .encode(x=on_today, description=alt.Description("label:N"))
    )
    today_label = (
        alt.Chart(today_data)
        .mark_text(align="center", baseline="top", dy=4, fontWeight="bold", color=INK)
        .encode(x=on_today, y=alt.value(height), text="label:N")
    )
    chart = alt.layer(
        today_rule.properties(name="today"),
        points.properties(name="events"),
        today_label.properties(name="today_label"),
    ).properties(height=height)
    return themed(chart.to_dict(), width, _("The year's dates on a timeline, with today marked"))


def table(found: Sequence[Event]) -> Table:
    return Table(
        caption=_("The year's dates"),
        headers=(_("Date"), _("What"), _("Status")),
        rows=tuple(
            (
                formatting.day_range(e.start, e.end) if e.end else formatting.day(e.start),
                e.label,
                _(e.status) if e.status not in (DATE, PLENARY) else "",
            )
            for e in found
        ),
    )


def summary(found: Sequence[Event], today: date) -> str:
    overdue = [e for e in found if e.overdue]
    # what falls due today and is not done is still ahead: today is its last day
    ahead = [
        e
        for e in found
        if e.start > today
        or (e.start == today and e.status != PROGRESS_LABELS[MilestoneProgress.COMPLETED])
    ]
    told = [
        ngettext(
            "%(count)s date; today is %(today)s.",
            "%(count)s dates; today is %(today)s.",
            len(found),
        )
        % {"count": reading.count(len(found)), "today": formatting.day(today)}
    ]
    if ahead:
        told.append(
            _("Next: %(event)s, %(day)s.")
            % {"event": ahead[0].label, "day": formatting.day(ahead[0].start)}
        )
    if overdue:
        told.append(
            _("Overdue: %(count)s (%(events)s).")
            % {
                "count": reading.count(len(overdue)),
                "events": formatting.items([e.label for e in overdue]),
            }
        )
    else:
        told.append(_("Nothing is overdue."))
    return reading.sentences(told)


def picture(found: Sequence[Event], today: date) -> Picture:
    return drawn(
        "timeline",
        _("The year on a timeline"),
        summary(found, today),
        table(found),
        lambda width: spec(found, today, width),
        (found, today),
    )
