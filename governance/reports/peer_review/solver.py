"""The exact part of peer review assignment, over the candidate graph.

The objective is lexicographic: first the fewest same-pillar repeats among a report's reviewers,
then the fewest load units outside the two integers around the average, then the smallest sum of
seeded tie-break costs. It is one integer cost per unit of flow, with weights derived from the
instance so that each level outweighs everything below it (`weights`).

Without the reciprocity rule this is a min-cost flow with convex arc costs (source -> report ->
report's pillar -> reviewer -> sink), solved exactly by OR-Tools; the load floor is a demand on
each reviewer node and the ceiling an arc capacity. Reciprocity (A reviews B and B reviews A) is
not a flow constraint: when the flow optimum contains no reciprocal pair it is also the optimum
with the rule; otherwise CP-SAT solves the same objective with the rule added, bounded below by
the flow optimum. CP-SAT runs with one worker, a fixed seed and a deterministic work limit (never
a wall-clock limit, whose result would depend on the machine's load).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]
from ortools.sat.python import cp_model

# Roughly seconds of single-core search; reaching it is said in every reason.
WORK_LIMIT = 30.0
# Above this many candidate pairs CP-SAT with reciprocity is too slow on two cores (measured:
# 47 s at 2,000 members with 16,000 candidate pairs), so reciprocal candidates are oriented
# instead (`oriented`).
EXACT_RECIPROCITY_PAIRS = 5_000
TIE_BREAK_RANGE = 1024  # the graph's seeded costs are 10-bit
SOLVER_SEED = 20261122


@dataclass(frozen=True, slots=True)
class Spec:
    """What the solver needs, by report and reviewer index."""

    need: list[int]
    candidates: list[list[int]]
    costs: list[list[int]]
    reviewer_pillar: list[int]
    existing_pillars: list[list[int]]  # per report: pillars of reviewers it already has
    base_load: list[int]  # per reviewer: existing assignments
    lower: int
    upper: int
    floor_avg: int
    ceil_avg: int
    # edges (report, reviewer) that would make a reciprocal pair with each other
    reciprocal: list[tuple[tuple[int, int], tuple[int, int]]]
    # rule version 4: the flow weighs the levels by the cycle bound (`flow_weights`)
    cycle_weights: bool = False


@dataclass(frozen=True, slots=True)
class Solution:
    chosen: list[list[int]]  # per report: the reviewer indices
    repeats: int
    spread: int
    proven: bool


@dataclass(frozen=True, slots=True)
class Weights:
    spread: int
    repeat: int


def pillar_count(spec: Spec) -> int:
    """How many pillar codes the (report, pillar) keys keep apart: the reviewers' and those of
    the reports' existing reviewers. The assignment only ever gives existing pillars its
    reviewers have, but a problem naming another must not read as a repeat elsewhere."""
    existing = (p for pillars in spec.existing_pillars for p in pillars)
    return max(max(spec.reviewer_pillar, default=0), max(existing, default=0)) + 1


def weights(spec: Spec) -> Weights:
    """Each level's weight exceeds the largest possible total of the levels below it."""
    units = sum(spec.need)
    spread = units * TIE_BREAK_RANGE + 1
    deviation = units + spec.floor_avg * len(spec.base_load) + 1
    return Weights(spread=spread, repeat=spread * deviation)


def flow_weights(spec: Spec) -> Weights:
    """The weights of the min-cost flow: `weights` up to rule version 3; from version 4 much
    smaller ones that a bound on the network's cycles proves exact, so that the costs stay
    small (a cost-scaling solve takes longer the larger they are: `weights` reach about 3e12 at
    20,000 members, these about 6e7).

    Why they suffice: a flow is optimal exactly when no cycle of its residual network lowers
    the cost, and lexicographically optimal exactly when no such cycle lowers the levels in
    order; both need only simple cycles (any cycle splits into simple ones). A simple cycle
    meets the sink at most once, so it changes the spread level by at most 2 (each reviewer's
    load arcs end at the sink, each one unit of spread at most); it changes the seeded costs by
    at most the largest cost times its candidate arcs taken forward, each of which ends at
    another reviewer and starts at another report x pillar node. With `tie` that bound, a
    spread unit weighing `tie` + 1 and a repeat two spread units + `tie` + 1, a cycle that
    lowers a level without raising one above it costs less than zero and one that raises a
    level costs more, so the weighted optimum is the lexicographic one. That holds for the
    flow alone: CP-SAT's model adds the reciprocity rule, which is not a flow, and keeps
    `weights`.
    """
    if not spec.cycle_weights:
        return weights(spec)
    used = {v for cands in spec.candidates for v in cands}
    nodes = sum(len({spec.reviewer_pillar[v] for v in cands}) for cands in spec.candidates)
    largest = max((max(c) for c in spec.costs if c), default=0)
    return bounded_weights(largest * min(len(used), nodes))


def bounded_weights(tie: int) -> Weights:
    """`flow_weights` from version 4, for `tie` the bound on a simple cycle's seeded change."""
    spread = tie + 1
    return Weights(spread=spread, repeat=2 * spread + tie + 1)


def _level_cost(level: int, spec: Spec, w: Weights) -> int:
    """The spread cost of a reviewer's `level`-th review (convex in level)."""
    if level <= spec.floor_avg:
        return -w.spread
    return w.spread if level > spec.ceil_avg else 0


def flow(spec: Spec) -> Solution | None:
    """The optimum without the reciprocity rule, or None when the loads make it impossible."""
    w = flow_weights(spec)
    net = min_cost_flow.SimpleMinCostFlow()
    n_reports, n_reviewers = len(spec.need), len(spec.base_load)
    source, sink = 0, 1
    report_node = 2
    pillar_node = report_node + n_reports
    n_pillars = max(spec.reviewer_pillar, default=0) + 1
    reviewer_node = pillar_node + n_reports * n_pillars
    supplies = [0] * (reviewer_node + n_reviewers)
    supplies[source] = sum(spec.need)
    edges: list[tuple[int, int, int]] = []  # (arc, report, reviewer)
    used = sorted({v for cands in spec.candidates for v in cands})
    for r, cands in enumerate(spec.candidates):
        net.add_arc_with_capacity_and_unit_cost(source, report_node + r, spec.need[r], 0)
        for p in sorted({spec.reviewer_pillar[v] for v in cands}):
            node = pillar_node + r * n_pillars + p
            first = 1 if spec.existing_pillars[r].count(p) == 0 else 0
            if first:
                net.add_arc_with_capacity_and_unit_cost(report_node + r, node, 1, 0)
            net.add_arc_with_capacity_and_unit_cost(report_node + r, node, spec.need[r], w.repeat)
        for v, cost in zip(cands, spec.costs[r], strict=True):
            node = pillar_node + r * n_pillars + spec.reviewer_pillar[v]
            arc = net.add_arc_with_capacity_and_unit_cost(node, reviewer_node + v, 1, cost)
            edges.append((arc, r, v))
    forced = 0
    for v in used:
        floor_units = max(spec.lower - spec.base_load[v], 0)
        supplies[reviewer_node + v] = -floor_units
        forced += floor_units
        for level in range(spec.base_load[v] + floor_units + 1, spec.upper + 1):
            cost = _level_cost(level, spec, w)
            net.add_arc_with_capacity_and_unit_cost(reviewer_node + v, sink, 1, cost)
    supplies[sink] = forced - sum(spec.need)
    for node, supply in enumerate(supplies):
        net.set_node_supply(node, supply)
    status = net.solve()
    if status == net.INFEASIBLE:
        return None
    if status != net.OPTIMAL:
        # a cost range or balance error is a bug in the model, not an answer about the rules
        raise RuntimeError(f"min-cost flow could not be solved: status {status}")
    chosen: list[list[int]] = [[] for _ in spec.need]
    for arc, r, v in edges:
        if net.flow(arc):
            chosen[r].append(v)
    return _scored(spec, chosen, proven=True)


def _scored(spec: Spec, chosen: list[list[int]], proven: bool) -> Solution:
    repeats = 0
    load = list(spec.base_load)
    for r, vs in enumerate(chosen):
        pillars = spec.existing_pillars[r] + [spec.reviewer_pillar[v] for v in vs]
        repeats += len(pillars) - len(set(pillars))
        for v in vs:
            load[v] += 1
    used = {v for cands in spec.candidates for v in cands}
    spread = sum(max(load[v] - spec.ceil_avg, 0) + max(spec.floor_avg - load[v], 0) for v in used)
    return Solution(chosen, repeats, spread, proven)


def _reciprocal_in(spec: Spec, chosen: list[list[int]]) -> bool:
    picked = {(r, v) for r, vs in enumerate(chosen) for v in vs}
    return any(a in picked and b in picked for a, b in spec.reciprocal)


def solve(spec: Spec) -> Solution | None:
    """The lexicographic optimum on the candidate graph, or None when there is no assignment."""
    relaxed = flow(spec)
    if relaxed is None or not _reciprocal_in(spec, relaxed.chosen):
        return relaxed
    if sum(len(c) for c in spec.candidates) <= EXACT_RECIPROCITY_PAIRS:
        return _with_reciprocity(spec, relaxed)
    return flow(oriented(spec))


def oriented(spec: Spec) -> Spec:
    """The graph with, of each pair of edges that could be reciprocal, only the seeded-cheaper.

    Any assignment on it is free of reciprocal pairs, so the flow alone solves it; the price is
    that the optimum is over this smaller graph (said in ARCHITECTURE.md).
    """
    cost = {
        (r, v): c
        for r, cands in enumerate(spec.candidates)
        for v, c in zip(cands, spec.costs[r], strict=True)
    }
    dropped = {max(a, b, key=lambda e: (cost[e], e)) for a, b in spec.reciprocal}
    candidates, costs = [], []
    for r, cands in enumerate(spec.candidates):
        keep = [i for i, v in enumerate(cands) if (r, v) not in dropped]
        candidates.append([cands[i] for i in keep])
        costs.append([spec.costs[r][i] for i in keep])
    return replace(spec, candidates=candidates, costs=costs, reciprocal=[])


def _with_reciprocity(spec: Spec, relaxed: Solution) -> Solution | None:
    w = weights(spec)
    model = cp_model.CpModel()
    x = {
        (r, v): model.new_bool_var(f"x{r}_{v}")
        for r, cands in enumerate(spec.candidates)
        for v in cands
    }
    objective: list[cp_model.LinearExprT] = []
    by_reviewer: dict[int, list[cp_model.IntVar]] = {}
    for r, cands in enumerate(spec.candidates):
        model.add(sum(x[r, v] for v in cands) == spec.need[r])
        by_pillar: dict[int, list[cp_model.IntVar]] = {}
        for v, cost in zip(cands, spec.costs[r], strict=True):
            by_pillar.setdefault(spec.reviewer_pillar[v], []).append(x[r, v])
            by_reviewer.setdefault(v, []).append(x[r, v])
            objective.append(cost * x[r, v])
        for p, vars_ in by_pillar.items():
            already = spec.existing_pillars[r].count(p)
            extra = model.new_int_var(0, len(vars_) + already, f"d{r}_{p}")
            model.add(extra >= sum(vars_) + already - 1)
            objective.append(w.repeat * extra)
    for v, vars_ in sorted(by_reviewer.items()):
        load = sum(vars_) + spec.base_load[v]
        model.add_linear_constraint(load, spec.lower, spec.upper)
        over = model.new_int_var(0, len(vars_) + spec.base_load[v], f"o{v}")
        under = model.new_int_var(0, spec.floor_avg, f"u{v}")
        model.add(over >= load - spec.ceil_avg)
        model.add(under >= spec.floor_avg - load)
        objective += [w.spread * over, w.spread * under]
    for a, b in spec.reciprocal:
        model.add_at_most_one(x[a], x[b])
    for (r, v), var in x.items():
        model.add_hint(var, v in relaxed.chosen[r])
    model.minimize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    # the LP relaxation of the flow structure proves optimality where search alone stalls
    solver.parameters.linearization_level = 2
    solver.parameters.random_seed = SOLVER_SEED
    solver.parameters.max_deterministic_time = WORK_LIMIT
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = [
        [v for v in cands if solver.value(x[r, v])] for r, cands in enumerate(spec.candidates)
    ]
    return _scored(spec, chosen, proven=status == cp_model.OPTIMAL)


def feasible_without_reciprocity(spec: Spec) -> bool:
    return flow(spec) is not None
