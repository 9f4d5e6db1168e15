"""Rule version 2's min-cost flow: the same network and objective as `solver.flow`, built from
numpy arrays in one call per layer instead of one Python call per arc.

At 20,000 members the candidate graph has about 160,000 arcs; adding them one at a time cost
about as much as the solve itself. The arcs are added layer by layer (source, report x pillar,
candidates, sink), not report by report as in version 1, so ties between equal-cost optima
may fall differently: that is one reason the arrays serve version 2 only.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from governance.reports.peer_review.solver import (
    Solution,
    Spec,
    Weights,
    bounded_weights,
    pillar_count,
    weights,
)

Ints = npt.NDArray[np.int64]


def _arcs(
    net: min_cost_flow.SimpleMinCostFlow, tail: Ints, head: Ints, cap: Ints, cost: Ints
) -> Ints:
    if not len(tail):
        return np.zeros(0, dtype=np.int64)
    arcs = net.add_arcs_with_capacity_and_unit_cost(
        tail.astype(np.int32), head.astype(np.int32), cap.astype(np.int64), cost.astype(np.int64)
    )
    return np.asarray(arcs, dtype=np.int64)


def _solved(net: min_cost_flow.SimpleMinCostFlow, supplies: Ints, picks: Ints) -> Ints | None:
    """The flow on each of `picks` at the optimum, or None when no flow meets the supplies."""
    net.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = net.solve()
    if status == net.INFEASIBLE:
        return None
    if status != net.OPTIMAL:
        # a cost range or balance error is a bug in the model, not an answer about the rules
        raise RuntimeError(f"min-cost flow could not be solved: status {status}")
    flows: Ints = np.asarray(net.flows(picks)) if len(picks) else np.zeros(0, dtype=np.int64)
    return flows


def _weights(spec: Spec, costs: Ints, reviewers: int, layer_nodes: int) -> Weights:
    """`solver.flow_weights`, counted with numpy."""
    if not spec.cycle_weights:
        return weights(spec)
    largest = int(costs.max(initial=0))
    return bounded_weights(largest * min(reviewers, layer_nodes))


def flow(spec: Spec) -> Solution | None:
    """The optimum of the flow model (no reciprocity rule), or None when none exists."""
    net = min_cost_flow.SimpleMinCostFlow()
    n_reports, n_reviewers = len(spec.need), len(spec.base_load)
    n_pillars = pillar_count(spec)
    source, sink, report_node = 0, 1, 2
    pillar_node = report_node + n_reports
    reviewer_node = pillar_node + n_reports * n_pillars
    need = np.asarray(spec.need, dtype=np.int64)
    lengths = np.fromiter((len(c) for c in spec.candidates), dtype=np.int64, count=n_reports)
    r = np.repeat(np.arange(n_reports, dtype=np.int64), lengths)
    v = np.fromiter((x for c in spec.candidates for x in c), dtype=np.int64, count=len(r))
    c = np.fromiter((x for cs in spec.costs for x in cs), dtype=np.int64, count=len(r))
    pillar = np.asarray(spec.reviewer_pillar, dtype=np.int64)
    reports = np.arange(n_reports, dtype=np.int64)
    layer = np.unique(r * n_pillars + pillar[v])
    used = np.unique(v)
    w = _weights(spec, c, len(used), len(layer))

    _arcs(
        net,
        np.full(n_reports, source),
        report_node + reports,
        need,
        np.zeros(n_reports, dtype=np.int64),
    )
    lr = layer // n_pillars
    # (report, pillar) keys a reviewer already has: few, and only for late reports
    existing = np.array(
        [a * n_pillars + b for a, ps in enumerate(spec.existing_pillars) for b in ps],
        dtype=np.int64,
    )
    first = ~np.isin(layer, existing)
    node = pillar_node + layer
    ones = np.ones(int(first.sum()), dtype=np.int64)
    _arcs(net, report_node + lr[first], node[first], ones, np.zeros_like(ones))
    _arcs(net, report_node + lr, node, need[lr], np.full(len(layer), w.repeat))
    picks = _arcs(
        net, pillar_node + r * n_pillars + pillar[v], reviewer_node + v, np.ones_like(v), c
    )

    base = np.asarray(spec.base_load, dtype=np.int64)
    floor_units = np.maximum(spec.lower - base[used], 0)
    first_level = base[used] + floor_units + 1
    count = np.maximum(spec.upper + 1 - first_level, 0)
    who = np.repeat(used, count)
    level = np.repeat(first_level, count) + (
        np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    )
    level_cost = np.where(
        level <= spec.floor_avg, -w.spread, np.where(level > spec.ceil_avg, w.spread, 0)
    )
    _arcs(net, reviewer_node + who, np.full(len(who), sink), np.ones_like(who), level_cost)

    supplies = np.zeros(reviewer_node + n_reviewers, dtype=np.int64)
    supplies[source] = int(need.sum())
    supplies[reviewer_node + used] = -floor_units
    supplies[sink] = int(floor_units.sum()) - int(need.sum())
    flows = _solved(net, supplies, picks)
    if flows is None:
        return None
    chosen: list[list[int]] = [[] for _ in spec.need]
    picked_r, picked_v = r[flows > 0], v[flows > 0]
    for a, b in zip(picked_r.tolist(), picked_v.tolist(), strict=True):
        chosen[a].append(b)
    return _scored_arrays(spec, chosen, picked_r, picked_v, existing, used)


def _scored_arrays(
    spec: Spec, chosen: list[list[int]], r: Ints, v: Ints, existing: Ints, used: Ints
) -> Solution:
    """`solver._scored` with numpy: a report's repeats are its reviewers (existing and new)
    less its distinct pillars, so all reports' are the (report, pillar) keys less the distinct
    ones; the spread is each in-scope reviewer's load outside [floor, ceil] of the average."""
    n_pillars = pillar_count(spec)
    pillar = np.asarray(spec.reviewer_pillar, dtype=np.int64)
    keys = np.concatenate((existing, r * n_pillars + pillar[v]))
    repeats = len(keys) - len(np.unique(keys))
    load = np.asarray(spec.base_load, dtype=np.int64) + np.bincount(
        v, minlength=len(spec.base_load)
    )
    at = load[used]
    spread = int(np.maximum(at - spec.ceil_avg, 0).sum() + np.maximum(spec.floor_avg - at, 0).sum())
    return Solution(chosen, int(repeats), spread, True)
