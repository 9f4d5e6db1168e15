"""Roster fairness: each pillar's share of the presenters against the share the rule aims at,
year by year (published rosters, then the forecast), and how long each member has waited since
its last presentation, with the forecast's next turn.

A pillar's target is its exact share (`roster.exact_shares`): the rulebook's shares if it sets
them, otherwise the pillar's part of the eligible members. The rule keeps each pillar within one
slot of it, so with few presenters a share may differ from its target by that one slot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from governance.kernel.model import Pillar
from governance.roster.document import RosterDocument
from governance.roster.rule import (
    PresentationOutcome,
    RosterRules,
    Slot,
    eligible,
    eligible_by_pillar,
    exact_shares,
)
from govsched.http.web.charts.picture import (
    BLUE,
    GREEN,
    INK,
    ORANGE,
    PURPLE,
    Picture,
    Table,
    drawn,
    row_labels,
    text_size,
    themed,
    title_under_labels,
    unique_labels,
    whole_ticks,
)

PILLAR_COLOURS = {Pillar.GOVERNMENT: BLUE, Pillar.COMPANY: ORANGE, Pillar.NGO: PURPLE}
PILLAR_NAMES = {Pillar.GOVERNMENT: "Governments", Pillar.COMPANY: "Companies", Pillar.NGO: "NGOs"}
PRESENTS = "Presents this year"
WAITING = "Presented before"
NEVER = "Not presented yet"
TURN_COLOURS = {PRESENTS: GREEN, WAITING: BLUE, NEVER: ORANGE}
ROW_HEIGHT = 20
# The years the shares picture shows: the latest published rosters and the forecast after them.
SHARE_YEARS = 6


@dataclass(frozen=True)
class YearPlan:
    """One year's presenters, with what the shares were measured against."""

    year: int
    slots: tuple[Slot, ...]
    eligible: Mapping[Pillar, int]
    rules: RosterRules
    forecast: bool


@dataclass(frozen=True)
class PillarShare:
    year: int
    pillar: Pillar
    slots: int
    total: int
    # the share of the year's slots the rule aims at, 0 to 1
    target: float
    forecast: bool

    @property
    def share(self) -> float:
        return self.slots / self.total if self.total else 0.0


@dataclass(frozen=True)
class Wait:
    member: str
    pillar: Pillar
    # the year of its last presentation, None if it has not presented yet
    last: int | None
    # years since then, or since it became Full if it has not presented yet
    years: int
    presents: bool
    # the first year, from this one, in which it presents or is forecast to
    next_turn: int | None

    @property
    def kind(self) -> str:
        return PRESENTS if self.presents else (WAITING if self.last is not None else NEVER)


def plans(
    documents: Sequence[RosterDocument],
    forecast: Sequence[tuple[int, tuple[Slot, ...], Mapping[Pillar, int]]],
    rules: RosterRules,
) -> list[YearPlan]:
    """The published rosters, then the forecast's years that have none yet."""
    found = [
        YearPlan(
            d.year,
            d.slots,
            eligible_by_pillar(d.members, d.year, d.drawn_on, d.rules),
            d.rules,
            False,
        )
        for d in documents
    ]
    published = {d.year for d in documents}
    found += [
        YearPlan(year, slots, counts, rules, True)
        for year, slots, counts in forecast
        if year not in published
    ]
    return sorted(found, key=lambda p: p.year)


def shares(found: Sequence[YearPlan]) -> list[PillarShare]:
    """One share for each presenting pillar in each year with presenters."""
    result = []
    for plan in found:
        total = len(plan.slots)
        if total == 0:
            continue
        exact = exact_shares(dict(plan.eligible), total, plan.rules)
        for pillar in plan.rules.presenting_pillars:
            result.append(
                PillarShare(
                    year=plan.year,
                    pillar=pillar,
                    slots=sum(1 for s in plan.slots if s.pillar is pillar),
                    total=total,
                    target=exact.get(pillar, 0.0) / total,
                    forecast=plan.forecast,
                )
            )
    return result


def waits(document: RosterDocument, found: Sequence[YearPlan]) -> list[Wait]:
    """Every member eligible for the document's year, longest wait first."""
    year = document.year
    presented: dict[str, int] = {}
    for entry in document.ledger:
        if entry.outcome is PresentationOutcome.PRESENTED and entry.year < year:
            presented[entry.member] = max(entry.year, presented.get(entry.member, entry.year))
    drawn_now = {s.member for s in document.slots}
    turns: dict[str, int] = {}
    for plan in found:
        if plan.year >= year:
            for slot in plan.slots:
                turns.setdefault(slot.member, plan.year)
    result = []
    for member, since in eligible(document.members, year, document.drawn_on, document.rules):
        last = presented.get(member.id)
        result.append(
            Wait(
                member=member.id,
                pillar=member.pillar,
                last=last,
                years=year - (last if last is not None else since.year),
                presents=member.id in drawn_now,
                next_turn=year if member.id in drawn_now else turns.get(member.id),
            )
        )
    return sorted(result, key=lambda w: (-w.years, w.member))


def _year_label(share: PillarShare, joiner: str = " ") -> str:
    return f"{share.year}{joiner}(forecast)" if share.forecast else str(share.year)


def shares_spec(found: Sequence[PillarShare], width: int) -> dict[str, Any]:
    """One bar for each pillar in each year, and a tick at the pillar's target share."""
    rows = [
        {
            # on two lines (the theme breaks lines at "\n"; chart text never holds one)
            "year": _year_label(s, "\n"),
            "pillar": PILLAR_NAMES[s.pillar],
            "share": round(s.share, 4),
            "target": round(s.target, 4),
            "slots": f"{s.slots} of {s.total}",
        }
        for s in found
    ]
    pillars = [PILLAR_NAMES[p] for p in PILLAR_COLOURS if any(s.pillar is p for s in found)]
    colours = [c for p, c in PILLAR_COLOURS.items() if any(s.pillar is p for s in found)]
    years = list(dict.fromkeys(_year_label(s, "\n") for s in found))
    x = alt.X(
        "year:N",
        sort=years,
        title=None,
        axis=alt.Axis(labelAngle=0, labelFontSize=text_size(width)),
    )
    offset = alt.XOffset("pillar:N", sort=pillars, scale=alt.Scale(paddingInner=0.1))
    y = alt.Y("share:Q", title="Share of presenters", axis=alt.Axis(format="%", tickCount=5))
    colour = alt.Color(
        "pillar:N",
        title=None,
        scale=alt.Scale(domain=pillars, range=colours),
        legend=alt.Legend(symbolType="square"),
    )
    base = alt.Chart(alt.InlineData(values=rows))
    bars = base.mark_bar().encode(
        x=x, xOffset=offset, y=y, color=colour, description=alt.Description("slots:N")
    )
    # the target: a bar of no height whose top edge is drawn, exactly as wide as the pillar's
    targets = base.mark_bar(stroke=INK, strokeWidth=3, fillOpacity=0).encode(
        x=x,
        xOffset=offset,
        y=alt.Y("target:Q"),
        y2=alt.Y2("target:Q"),
        description=alt.Description("target:Q"),
    )
    chart = alt.layer(
        bars.properties(name="shares"), targets.properties(name="targets")
    ).properties(height=220)
    return themed(
        chart.to_dict(), width, "Each pillar's share of presenters by year against its target"
    )


def shares_table(found: Sequence[PillarShare]) -> Table:
    return Table(
        caption="Pillar shares of presenters against their targets",
        headers=("Year", "Pillar", "Presenters", "Share", "Target share"),
        rows=tuple(
            (
                _year_label(s),
                PILLAR_NAMES[s.pillar],
                f"{s.slots} of {s.total}",
                f"{s.share:.0%}",
                f"{s.target:.0%}",
            )
            for s in found
        ),
    )


def shares_summary(found: Sequence[PillarShare]) -> str:
    if not found:
        return "No roster or forecast has presenters yet."
    worst = max(found, key=lambda s: abs(s.share - s.target))
    years = sorted({s.year for s in found})
    return (
        f"Pillar shares of presenters for {years[0]}"
        + (f" to {years[-1]}" if len(years) > 1 else "")
        + "; the dark tick is each pillar's target. The largest gap is "
        f"{PILLAR_NAMES[worst.pillar]} in {_year_label(worst)}: {worst.share:.0%} against "
        f"{worst.target:.0%}."
    )


def shares_picture(found: Sequence[PillarShare]) -> Picture:
    return drawn(
        "pillar-shares",
        "Pillar shares against targets",
        shares_summary(found),
        shares_table(found),
        lambda width: shares_spec(found, width),
        found,
    )


def _next(wait: Wait) -> str:
    if wait.presents:
        return "this year"
    return f"next {wait.next_turn}" if wait.next_turn is not None else ""


def waits_spec(
    found: Sequence[Wait], labels: Mapping[str, str], cycle: int, width: int
) -> dict[str, Any]:
    """One row for each member: the years since its last presentation (or since it became Full,
    if it has not presented yet), the rotation's cycle as a line, the next turn beside it."""
    short = width < 400
    rows = [
        {
            "member": labels[w.member],
            "years": w.years,
            "kind": w.kind,
            "next": _next(w),
        }
        for w in found
    ]
    order = [labels[w.member] for w in found]
    most = max([cycle, *(w.years for w in found)])
    kinds = [k for k in TURN_COLOURS if any(w.kind == k for w in found)]
    y = alt.Y(
        "member:N",
        sort=order,
        title=None,
        axis=alt.Axis(**row_labels(width)),
    )
    # room on the right for the next turns
    end = most * (1.6 if short else 1.35)
    x = alt.X(
        "years:Q",
        title="Years since the last presentation",
        scale=alt.Scale(domain=[0, end], nice=False),
        axis=alt.Axis(
            format="d",
            values=[t for t in whole_ticks(most) if t <= most],
            **title_under_labels(short),
        ),
    )
    base = alt.Chart(alt.InlineData(values=rows)).encode(y=y, x=x)
    bars = base.mark_bar(height={"band": 0.7}).encode(
        description=alt.Description("member:N"),
        color=alt.Color(
            "kind:N",
            title=None,
            scale=alt.Scale(domain=kinds, range=[TURN_COLOURS[k] for k in kinds]),
            legend=alt.Legend(columns=1 if short else 0, symbolType="square"),
        ),
    )
    # the next turn in a column of its own at the right, clear of the bars and the line
    notes = base.mark_text(align="right", fontSize=text_size(width), color=INK).encode(
        x=alt.datum(end), text="next:N"
    )
    line = (
        alt.Chart(alt.InlineData(values=[{"cycle": cycle, "label": f"cycle: {cycle} years"}]))
        .mark_rule(color=INK, strokeDash=[5, 3], strokeWidth=2)
        .encode(x=alt.X("cycle:Q"), description=alt.Description("label:N"))
    )
    chart = alt.layer(
        bars.properties(name="waits"),
        line.properties(name="cycle"),
        notes.properties(name="next_turns"),
    ).properties(height=max(len(rows), 1) * ROW_HEIGHT)
    return themed(chart.to_dict(), width, "Years since each member's last presentation")


def waits_table(found: Sequence[Wait], labels: Mapping[str, str]) -> Table:
    return Table(
        caption="Years since each member's last presentation",
        headers=("Member", "Pillar", "Last presented", "Years", "Next turn"),
        rows=tuple(
            (
                labels[w.member],
                PILLAR_NAMES[w.pillar],
                str(w.last) if w.last is not None else "not yet (years since Full)",
                str(w.years),
                str(w.next_turn) if w.next_turn is not None else "beyond the forecast",
            )
            for w in found
        ),
    )


def waits_summary(found: Sequence[Wait], cycle: int) -> str:
    if not found:
        return "No member is eligible to present."
    beyond = [w for w in found if w.years > cycle and not w.presents]
    text = (
        f"{len(found)} eligible members, longest wait first; the dashed line is the "
        f"{cycle}-year cycle in which every member presents."
    )
    if beyond:
        text += f" {len(beyond)} waited longer than the cycle and do not present this year."
    return text


def waits_picture(found: Sequence[Wait], names: Mapping[str, str], cycle: int) -> Picture:
    labels = unique_labels((w.member, names.get(w.member, w.member)) for w in found)
    return drawn(
        "presentation-waits",
        "Years since each member's last presentation",
        waits_summary(found, cycle),
        waits_table(found, labels),
        lambda width: waits_spec(found, labels, cycle, width),
        (found, labels, cycle),
    )
