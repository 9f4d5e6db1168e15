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
from govsched.http.web.charts import reading
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
from govsched.i18n.current import gettext as _
from govsched.i18n.current import ngettext
from govsched.i18n.marking import N_

PILLAR_COLOURS = {Pillar.GOVERNMENT: BLUE, Pillar.COMPANY: ORANGE, Pillar.NGO: PURPLE}
# Kept in English, shown through the catalog (`_pillar`, `_kind`).
PILLAR_NAMES = {
    Pillar.GOVERNMENT: N_("Governments"),
    Pillar.COMPANY: N_("Companies"),
    Pillar.NGO: N_("NGOs"),
}
PRESENTS = N_("Presents this year")
WAITING = N_("Presented before")
NEVER = N_("Not presented yet")
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


def _pillar(pillar: Pillar) -> str:
    return _(PILLAR_NAMES[pillar])


def _year_label(share: PillarShare, joiner: str = " ") -> str:
    if not share.forecast:
        return str(share.year)
    return _("%(year)s (forecast)").replace(" ", joiner, 1) % {"year": share.year}


def shares_spec(found: Sequence[PillarShare], width: int) -> dict[str, Any]:
    """One bar for each pillar in each year, and a tick at the pillar's target share."""
    import altair as alt

    rows = [
        {
            # on two lines (the theme breaks lines at "\n"; chart text never holds one)
            "year": _year_label(s, "\n"),
            "pillar": _pillar(s.pillar),
            "share": round(s.share, 4),
            "target": round(s.target, 4),
            "slots": _slots(s),
        }
        for s in found
    ]
    pillars = [_pillar(p) for p in PILLAR_COLOURS if any(s.pillar is p for s in found)]
    colours = [c for p, c in PILLAR_COLOURS.items() if any(s.pillar is p for s in found)]
    years = list(dict.fromkeys(_year_label(s, "\n") for s in found))
    x = alt.X(
        "year:N",
        sort=years,
        title=None,
        axis=alt.Axis(labelAngle=0, labelFontSize=text_size(width)),
    )
    offset = alt.XOffset("pillar:N", sort=pillars, scale=alt.Scale(paddingInner=0.1))
    y = alt.Y("share:Q", title=_("Share of presenters"), axis=alt.Axis(format="%", tickCount=5))
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
        chart.to_dict(), width, _("Each pillar's share of presenters by year against its target")
    )


def _slots(share: PillarShare) -> str:
    return _("%(slots)s of %(total)s") % {
        "slots": reading.count(share.slots),
        "total": reading.count(share.total),
    }


def shares_table(found: Sequence[PillarShare]) -> Table:
    return Table(
        caption=_("Pillar shares of presenters against their targets"),
        headers=(_("Year"), _("Pillar"), _("Presenters"), _("Share"), _("Target share")),
        rows=tuple(
            (
                _year_label(s),
                _pillar(s.pillar),
                _slots(s),
                reading.share(s.share),
                reading.share(s.target),
            )
            for s in found
        ),
    )


def shares_summary(found: Sequence[PillarShare]) -> str:
    if not found:
        return _("No roster or forecast has presenters yet.")
    worst = max(found, key=lambda s: abs(s.share - s.target))
    years = sorted({s.year for s in found})
    if len(years) > 1:
        span = _(
            "Pillar shares of presenters for %(first)s to %(last)s; "
            "the dark tick is each pillar's target."
        ) % {"first": years[0], "last": years[-1]}
    else:
        span = _(
            "Pillar shares of presenters for %(year)s; the dark tick is each pillar's target."
        ) % {"year": years[0]}
    gap = _("The largest gap is %(pillar)s in %(year)s: %(share)s against %(target)s.") % {
        "pillar": _pillar(worst.pillar),
        "year": _year_label(worst),
        "share": reading.share(worst.share),
        "target": reading.share(worst.target),
    }
    return reading.sentences([span, gap])


def shares_picture(found: Sequence[PillarShare]) -> Picture:
    return drawn(
        "pillar-shares",
        _("Pillar shares against targets"),
        shares_summary(found),
        shares_table(found),
        lambda width: shares_spec(found, width),
        found,
    )


def _next(wait: Wait) -> str:
    if wait.presents:
        return _("this year")
    if wait.next_turn is None:
        return ""
    return _("next %(year)s") % {"year": wait.next_turn}


def waits_spec(
    found: Sequence[Wait], labels: Mapping[str, str], cycle: int, width: int
) -> dict[str, Any]:
    """One row for each member: the years since its last presentation (or since it became Full,
    if it has not presented yet), the rotation's cycle as a line, the next turn beside it."""
    import altair as alt

    short = width < 400
    rows = [
        {
            "member": labels[w.member],
            "years": w.years,
            "kind": _(w.kind),
            "next": _next(w),
        }
        for w in found
    ]
    order = [labels[w.member] for w in found]
    most = max([cycle, *(w.years for w in found)])
    kept = [k for k in TURN_COLOURS if any(w.kind == k for w in found)]
    kinds = [_(k) for k in kept]
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
        title=_("Years since the last presentation"),
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
            scale=alt.Scale(domain=kinds, range=[TURN_COLOURS[k] for k in kept]),
            legend=alt.Legend(columns=1 if short else 0, symbolType="square"),
        ),
    )
    # the next turn in a column of its own at the right, clear of the bars and the line
    notes = base.mark_text(align="right", fontSize=text_size(width), color=INK).encode(
        x=alt.datum(end), text="next:N"
    )
    line = (
        alt.Chart(alt.InlineData(values=[{"cycle": cycle, "label": _cycle(cycle)}]))
        .mark_rule(color=INK, strokeDash=[5, 3], strokeWidth=2)
        .encode(x=alt.X("cycle:Q"), description=alt.Description("label:N"))
    )
    chart = alt.layer(
        bars.properties(name="waits"),
        line.properties(name="cycle"),
        notes.properties(name="next_turns"),
    ).properties(height=max(len(rows), 1) * ROW_HEIGHT)
    return themed(chart.to_dict(), width, _("Years since each member's last presentation"))


def _cycle(cycle: int) -> str:
    return ngettext("cycle: %(count)s year", "cycle: %(count)s years", cycle) % {
        "count": reading.count(cycle)
    }


def waits_table(found: Sequence[Wait], labels: Mapping[str, str]) -> Table:
    return Table(
        caption=_("Years since each member's last presentation"),
        headers=(_("Member"), _("Pillar"), _("Last presented"), _("Years"), _("Next turn")),
        rows=tuple(
            (
                labels[w.member],
                _pillar(w.pillar),
                str(w.last) if w.last is not None else _("not yet (years since Full)"),
                reading.count(w.years),
                str(w.next_turn) if w.next_turn is not None else _("beyond the forecast"),
            )
            for w in found
        ),
    )


def waits_summary(found: Sequence[Wait], cycle: int) -> str:
    if not found:
        return _("No member is eligible to present.")
    beyond = [w for w in found if w.years > cycle and not w.presents]
    told = [
        ngettext(
            "%(count)s eligible member, longest wait first; the dashed line is the "
            "%(cycle)s-year cycle in which every member presents.",
            "%(count)s eligible members, longest wait first; the dashed line is the "
            "%(cycle)s-year cycle in which every member presents.",
            len(found),
        )
        % {"count": reading.count(len(found)), "cycle": reading.count(cycle)}
    ]
    if beyond:
        told.append(
            ngettext(
                "%(count)s waited longer than the cycle and does not present this year.",
                "%(count)s waited longer than the cycle and do not present this year.",
                len(beyond),
            )
            % {"count": reading.count(len(beyond))}
        )
    return reading.sentences(told)


def waits_picture(found: Sequence[Wait], names: Mapping[str, str], cycle: int) -> Picture:
    labels = unique_labels((w.member, names.get(w.member, w.member)) for w in found)
    return drawn(
        "presentation-waits",
        _("Years since each member's last presentation"),
        waits_summary(found, cycle),
        waits_table(found, labels),
        lambda width: waits_spec(found, labels, cycle, width),
        (found, labels, cycle),
    )
