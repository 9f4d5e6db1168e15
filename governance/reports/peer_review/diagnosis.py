"""Why no assignment of peer reviewers exists, in words a Secretariat can act on.

Each check names the constraint that binds and where: a report with too few possible reviewers
(and how many each exclusion removed), a reviewer the load floor cannot be met for, or the
reviewers' total capacity. When every necessary condition holds and the solver still finds
nothing, the hard constraints are relaxed one at a time on the same graph to say which one
(reciprocity or the load rule) makes the difference.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from governance.kernel.errors import Problem
from governance.reports.peer_review.graph import PILLARS, Graph, Rules


def _pillars(rules: Rules, report: int) -> str:
    reported = PILLARS[int(rules.reports.pillar[report])]
    names = [p.value for p in rules.review.reviewers_for.get(reported, [])]
    return ", ".join(names) if names else "none"


def removed_by(rules: Rules, graph: Graph, report: int, reasons: dict[int, str]) -> str:
    """How many members of the reviewing pillars each exclusion removed, first rule first."""
    reports, reviewers = rules.reports, rules.reviewers
    left = rules.pillar_ok[reports.pillar[report]].copy()
    counts: list[tuple[str, int]] = [("of the reviewing pillars", int(left.sum()))]
    own = int(rules.self_index[report])
    if own >= 0 and left[own]:
        left[own] = False
        counts.append(("itself", 1))
    if rules.review.exclude_same_country:
        same = left & (reviewers.country == reports.country[report])
        counts.append(("same country", int(same.sum())))
        left &= ~same
    if rules.review.exclude_same_group and reports.group[report] >= 0:
        same = left & (reviewers.group == reports.group[report])
        counts.append(("same group", int(same.sum())))
        left &= ~same
    by_kind: dict[str, int] = {}
    for v in sorted(graph.sparse.get(report, ())):
        if left[v]:
            by_kind[reasons[v]] = by_kind.get(reasons[v], 0) + 1
            left[v] = False
    counts += sorted(by_kind.items())
    head, *rest = counts
    removed = "; ".join(f"{n} {label}" for label, n in rest if n)
    return f"{head[1]} {head[0]}" + (f", removed: {removed}" if removed else "")


def shortfalls(
    rules: Rules, graph: Graph, need: list[int], sparse_reasons: list[dict[int, str]]
) -> list[Problem]:
    """Reports that fewer members may review than they need."""
    problems = []
    for r, wanted in enumerate(need):
        have = int(graph.allowed_per_report[r])
        if have >= wanted:
            continue
        member = rules.reports.members[r]
        detail = removed_by(rules, graph, r, sparse_reasons[r])
        problems.append(
            Problem(
                f"reports[{member}]",
                f"needs {wanted} more reviewer(s) but only {have} member(s) may review it "
                f"(reviewers come from: {_pillars(rules, r)}; {detail})",
            )
        )
    return problems


def load_floor(
    graph: Graph, in_scope: np.ndarray, lower: int, average: Fraction, tolerance: int
) -> list[Problem]:
    """Reviewers that may review fewer reports than the load floor asks of everyone."""
    short = [
        v for v in np.nonzero(in_scope)[0].tolist() if int(graph.allowed_per_reviewer[v]) < lower
    ]
    if not short:
        return []
    names = ", ".join(
        f"{graph.reviewers.members[v]} ({graph.allowed_per_reviewer[v]})" for v in short[:5]
    )
    more = f" and {len(short) - 5} more" if len(short) > 5 else ""
    return [
        Problem(
            "load_tolerance",
            f"every eligible reviewer must review at least {lower} report(s) (average "
            f"{float(average):.2f}, tolerance {tolerance}), but {len(short)} may review fewer "
            f"(in brackets, how many they may review): {names}{more}. Raise the tolerance, "
            "or make these reviewers eligible for more reports.",
        )
    ]


def capacity(
    graph: Graph, in_scope: np.ndarray, base: list[int], upper: int, total_need: int, tol: int
) -> list[Problem]:
    """Whether the reviewers can take all the reviews needed without passing the load ceiling."""
    room = sum(
        min(max(upper - base[v], 0), int(graph.allowed_per_reviewer[v]))
        for v in np.nonzero(in_scope)[0].tolist()
    )
    if room >= total_need:
        return []
    return [
        Problem(
            "load_tolerance",
            f"{total_need} reviews are needed but the eligible reviewers can take only {room} "
            f"more without reviewing more than {upper} reports each (the average plus the "
            f"tolerance of {tol}). Raise the tolerance or widen reviewers_for.",
        )
    ]


def relaxed(reciprocity_binds: bool, loads_bind: bool, complete: bool) -> Problem:
    """The explanation when only the solver could tell that no assignment exists."""
    if reciprocity_binds:
        return Problem(
            "forbid_reciprocal_pairs",
            "every way of giving each report its reviewers makes two members review each "
            "other this year; allow reciprocal pairs, or add reviewers",
        )
    if loads_bind:
        return Problem(
            "load_tolerance",
            "the reviewers each report may have cannot share the reviews within the load "
            "tolerance (some reviewers would need more than their share); raise the tolerance",
        )
    scope = (
        "among all allowed reviewers"
        if complete
        else "among the candidates searched (the cheapest allowed reviewers of each report "
        "under the seeded order; the search stops widening at its size limit)"
    )
    return Problem(
        "reports",
        f"no assignment meets reciprocity and the load rule together {scope}; relax "
        "forbid_reciprocal_pairs or load_tolerance",
    )
