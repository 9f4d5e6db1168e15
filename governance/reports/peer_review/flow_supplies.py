"""Rule version 5's min-cost flow: version 4's objective and weights (`solver.flow_weights`) on
a smaller network, where each report's own supplies stand in for the source and report nodes.

Version 4's network sends each report's reviews from a source through a report node, then
through one node per (report, reviewing pillar) whose first unit is free and whose others pay
a repeat, to the reviewers. When a report needs exactly as many reviews as it has pillars
without a reviewer yet (the common case: two reviews, two reviewing pillars, none assigned),
the same costs come from a supply of one on each of those pillar nodes and a transfer arc, one
repeat per unit, from each of its pillar nodes to each other: a unit moved from one pillar to
another is a second reviewer of the same pillar. Any other report (a late one, more reviews
than pillars) keeps a node of its own, with its reviews as its supply, and version 4's two
arcs per pillar. Every node is one that can carry flow: no source, no empty (report, pillar)
slot, no reviewer outside every list.

The same levels and the same optimum's value, on fewer nodes, with costs scaled by fewer nodes
inside OR-Tools' cost-scaling solve (measured: about a quarter faster at 20,000 members). The
cycle bound of version 4 holds as it was argued (ARCHITECTURE.md, peer review, version 5):
the candidate arcs are the same, each still starting at its own (report, pillar) node and
ending at its reviewer, and the load arcs still all end at the sink. Where several assignments
tie on every level, the solver may pick another of them than on version 4's network, which is
why this is a new rule version.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from governance.reports.peer_review.flow_arrays import _arcs, _scored_arrays, _solved, _weights
from governance.reports.peer_review.solver import Solution, Spec, pillar_count

Ints = npt.NDArray[np.int64]


def _transfers(first: Ints, count: Ints) -> tuple[Ints, Ints]:
    """Every ordered pair of distinct nodes within each run of `count` nodes from `first`."""
    tails, heads = [], []
    for step in range(1, int(count.max(initial=0))):
        has = count > step
        start, size = first[has], count[has]
        for at in range(int(size.max(initial=0))):
            own = size > at
            tails.append(start[own] + at)
            heads.append(start[own] + (at + step) % size[own])
    if not tails:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(tails), np.concatenate(heads)


def flow(spec: Spec) -> Solution | None:
    """The optimum of the flow model (no reciprocity rule), or None when none exists."""
    r, v, c, existing = _arrays(spec)
    need = np.asarray(spec.need, dtype=np.int64)
    picked = _picked(spec, _Common.of(spec), need, r, v, c, existing)
    if picked is None:
        return None
    return _solution(spec, r[picked], v[picked], existing, np.unique(v))


def flow_in_blocks(
    spec: Spec, arcs: tuple[Ints, Ints, Ints], report_block: Ints, reviewer_block: Ints
) -> Solution | None:
    """`flow` on each independent part of the candidate graph, the parts being the blocks of
    the rings (`Rings`) joined by any candidate arc between two of them. The objective is a sum
    over reports and reviewers, and no constraint spans two parts, so the parts' optima
    together are the whole graph's; each part's weights come from its own cycle bound.

    `arcs` are the candidates (report, reviewer, seeded cost), in report order, as arrays:
    `spec`'s own lists are not read (the caller need not make them, `with_lists`)."""
    r, v, c = arcs
    existing = _existing(spec)
    blocks = int(max(report_block.max(initial=0), reviewer_block.max(initial=0))) + 1
    parent = list(range(blocks))

    def root(b: int) -> int:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    # the pairs of blocks an arc joins, as one integer each (sorting pairs as rows is slow)
    joined = np.bincount(report_block[r] * blocks + reviewer_block[v], minlength=blocks * blocks)
    across = np.nonzero(joined)[0]
    for a, b in zip((across // blocks).tolist(), (across % blocks).tolist(), strict=True):
        parent[root(a)] = root(b)
    part = np.array([root(b) for b in range(blocks)], dtype=np.int64)[report_block]
    need = np.asarray(spec.need, dtype=np.int64)
    common = _Common.of(spec)
    picked = np.zeros(len(r), dtype=bool)
    # each part's arcs and reports, in their own order, without a pass over all of them per
    # part: a part's network numbers its reports from 0 in the same order, so it is the same
    # network as over every report with the others needing nothing
    arc_part = part[r]
    # parts number at most the blocks: a stable sort of small integers is a radix sort
    small = np.int16 if blocks < 2**15 else np.int64
    by_part = np.argsort(arc_part.astype(small), kind="stable")
    sorted_part = arc_part[by_part]
    report_order = np.argsort(part.astype(small), kind="stable")
    sorted_report_part = part[report_order]
    n_pillars = common.n_pillars
    for p in np.unique(part).tolist():
        lo, hi = np.searchsorted(sorted_part, [p, p + 1]).tolist()
        mine = by_part[lo:hi]
        lo, hi = np.searchsorted(sorted_report_part, [p, p + 1]).tolist()
        theirs = report_order[lo:hi]
        at = np.searchsorted(theirs, r[mine])
        had = existing // n_pillars
        ours = np.isin(had, theirs)
        local = np.searchsorted(theirs, had[ours]) * n_pillars + existing[ours] % n_pillars
        found = _picked(spec, common, need[theirs], at, v[mine], c[mine], local)
        if found is None:
            return None
        picked[mine[found]] = True
    used = np.nonzero(np.bincount(v, minlength=len(spec.base_load)))[0]
    return _solution(spec, r[picked], v[picked], existing, used)


def _arrays(spec: Spec) -> tuple[Ints, Ints, Ints, Ints]:
    """`arcs_of` and `_existing`."""
    return (*arcs_of(spec), _existing(spec))


def arcs_of(spec: Spec) -> tuple[Ints, Ints, Ints]:
    """The spec's candidate arcs (report, reviewer, seeded cost) as arrays, in report order."""
    n_reports = len(spec.need)
    lengths = np.fromiter((len(c) for c in spec.candidates), dtype=np.int64, count=n_reports)
    r = np.repeat(np.arange(n_reports, dtype=np.int64), lengths)
    v = np.fromiter((x for c in spec.candidates for x in c), dtype=np.int64, count=len(r))
    c = np.fromiter((x for cs in spec.costs for x in cs), dtype=np.int64, count=len(r))
    return r, v, c


def with_lists(spec: Spec, arcs: tuple[Ints, Ints, Ints]) -> Spec:
    """The spec with `arcs` (in report order) as its candidate and cost lists."""
    r, v, c = arcs
    bounds = np.concatenate(([0], np.cumsum(np.bincount(r, minlength=len(spec.need))))).tolist()
    listed_v, listed_c = v.tolist(), c.tolist()
    return replace(
        spec,
        candidates=[listed_v[a:b] for a, b in itertools.pairwise(bounds)],
        costs=[listed_c[a:b] for a, b in itertools.pairwise(bounds)],
    )


def _existing(spec: Spec) -> Ints:
    """The (report, pillar) keys that already have a reviewer."""
    if not any(spec.existing_pillars):  # a first assignment
        return np.zeros(0, dtype=np.int64)
    n_pillars = pillar_count(spec)
    return np.array(
        [a * n_pillars + b for a, ps in enumerate(spec.existing_pillars) for b in ps],
        dtype=np.int64,
    )


@dataclass(frozen=True, slots=True)
class _Common:
    """The spec's per-reviewer lists as arrays, made once for all the blocks rather than
    again for each (40 blocks of 20,000 reviewers at 20,000 members)."""

    pillar: Ints
    n_pillars: int
    base: Ints

    @classmethod
    def of(cls, spec: Spec) -> _Common:
        pillar = np.asarray(spec.reviewer_pillar, dtype=np.int64)
        n_pillars = pillar_count(spec)
        return cls(pillar, n_pillars, np.asarray(spec.base_load, dtype=np.int64))


def _picked(
    spec: Spec, common: _Common, need: Ints, r: Ints, v: Ints, c: Ints, existing: Ints
) -> npt.NDArray[np.bool_] | None:
    """Which of the arcs (r, v) the optimum takes, or None when there is no assignment; `r`
    indexes `need` (and `existing`'s reports)."""
    n_reports = len(need)
    n_pillars, pillar = common.n_pillars, common.pillar
    layer, arc_layer = np.unique(r * n_pillars + pillar[v], return_inverse=True)
    used, arc_reviewer = np.unique(v, return_inverse=True)
    w = _weights(spec, c, len(used), len(layer))
    lr = layer // n_pillars
    free = ~np.isin(layer, existing) if len(existing) else np.ones(len(layer), dtype=bool)
    free_per_report = np.bincount(lr[free], minlength=n_reports)
    direct = (need > 0) & (free_per_report == need)
    hub_reports = np.nonzero((need > 0) & ~direct)[0]

    # nodes: the sink, the (report, pillar) nodes, the other reports' own nodes, the reviewers
    sink, layer_node = 0, 1
    hub_node = layer_node + len(layer)
    reviewer_node = hub_node + len(hub_reports)
    supplies = np.zeros(reviewer_node + len(used), dtype=np.int64)
    net = min_cost_flow.SimpleMinCostFlow()

    supplies[layer_node + np.nonzero(direct[lr] & free)[0]] = 1
    firsts = np.searchsorted(lr, np.nonzero(direct)[0])
    tail, head = _transfers(firsts, np.bincount(lr, minlength=n_reports)[direct])
    _arcs(
        net,
        layer_node + tail,
        layer_node + head,
        need[lr[tail]],
        np.full(len(tail), w.repeat, dtype=np.int64),
    )

    hub_of = np.full(n_reports, -1, dtype=np.int64)
    hub_of[hub_reports] = np.arange(len(hub_reports))
    supplies[hub_node + np.arange(len(hub_reports))] = need[hub_reports]
    own = np.nonzero(hub_of[lr] >= 0)[0]
    start = own[free[own]]
    ones = np.ones(len(start), dtype=np.int64)
    _arcs(net, hub_node + hub_of[lr[start]], layer_node + start, ones, np.zeros_like(ones))
    _arcs(
        net,
        hub_node + hub_of[lr[own]],
        layer_node + own,
        need[lr[own]],
        np.full(len(own), w.repeat, dtype=np.int64),
    )

    picks = _arcs(net, layer_node + arc_layer, reviewer_node + arc_reviewer, np.ones_like(v), c)

    base = common.base[used]
    floor_units = np.maximum(spec.lower - base, 0)
    first_level = base + floor_units + 1
    count = np.maximum(spec.upper + 1 - first_level, 0)
    who = np.repeat(np.arange(len(used), dtype=np.int64), count)
    level = np.repeat(first_level, count) + (
        np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    )
    level_cost = np.where(
        level <= spec.floor_avg, -w.spread, np.where(level > spec.ceil_avg, w.spread, 0)
    )
    _arcs(net, reviewer_node + who, np.full(len(who), sink), np.ones_like(who), level_cost)

    supplies[reviewer_node:] = -floor_units
    supplies[sink] = int(floor_units.sum()) - int(need.sum())
    flows = _solved(net, supplies, picks)
    if flows is None:
        return None
    picked: npt.NDArray[np.bool_] = flows > 0
    return picked


def _solution(spec: Spec, r: Ints, v: Ints, existing: Ints, used: Ints) -> Solution:
    """The picked arcs (in report order) as each report's reviewers, scored."""
    bounds = np.searchsorted(r, np.arange(len(spec.need) + 1)).tolist()
    listed = v.tolist()
    chosen = [listed[a:b] for a, b in itertools.pairwise(bounds)]
    return _scored_arrays(spec, chosen, r, v, existing, used)
