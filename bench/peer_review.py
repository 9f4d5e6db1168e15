"""Peer review assignment against a bare min-cost flow on the same arcs.

Every member reports and may review (the VPI's pillar mix, countries and groups drawn from a
seeded generator). The anchor, timed on the same registry in the same run, is OR-Tools'
`SimpleMinCostFlow` alone on the arcs the rule's own solve works on (source -> report ->
reviewer -> sink, each candidate arc with its seeded cost, each reviewer capped at the load
ceiling): what any exact assignment on those candidates has to pay, without the rule's
candidate search, its objective's levels (pillar repeats, load spread) or its reasons. Both
sides are timed in processor seconds of this process (both run on one thread), which other
jobs on a shared machine do not inflate as they do elapsed time; the rule from its input (the
input's own validation is the caller's). The rule's time is split into phases by wrapping the
assignment module's steps; memory is each side's peak resident set above its process's base,
in one fresh process per side.
"""

from __future__ import annotations

import gc
import itertools
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from bench.report import machine, median, write_section
from governance.kernel.model import Pillar
from governance.reports.peer_review import assignment, flow_arrays, flow_supplies, solver
from governance.reports.peer_review.assignment import AssignmentInput, Reviewable, assign_reviewers
from governance.reports.peer_review.version import RULE_VERSION
from governance.rulebook.model import Rulebook

MIX = ((Pillar.GOVERNMENT, 0.19), (Pillar.COMPANY, 0.56), (Pillar.NGO, 0.25))
PHASES = ("graph", "solve", "reasons")


def registry(size: int) -> tuple[Reviewable, ...]:
    rnd = random.Random(size)
    members = []
    for pillar, share in MIX:
        for k in range(round(size * share)):
            group = f"g{rnd.randrange(size // 5 + 1)}" if rnd.random() < 0.3 else None
            country = f"c{rnd.randrange(max(5, size // 10))}"
            members.append(
                Reviewable(
                    member=f"{pillar.value[:3]}-{k:05d}",
                    pillar=pillar,
                    country=country,
                    group=group,
                )
            )
    return tuple(members)


def _input(members: tuple[Reviewable, ...]) -> AssignmentInput:
    return AssignmentInput(year=2027, seed="bench", reports=members, reviewers=members)


def the_rule(members: tuple[Reviewable, ...], rulebook: Rulebook) -> int:
    return len(assign_reviewers(_input(members), rulebook))


def _clock() -> float:
    return time.process_time()


@dataclass
class Captured:
    phases: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))
    # what each solve was given: a problem, or (version 5) a problem and its arcs as arrays
    given: list[solver.Spec | tuple[solver.Spec, Any]] = field(default_factory=list)

    @property
    def specs(self) -> list[solver.Spec]:
        """The problems solved, with lists: made here, after the rule's clock stopped (at
        20,000 members making them inside the run added about 15 ms to the rule's time)."""
        return [
            g if isinstance(g, solver.Spec) else flow_supplies.with_lists(*g) for g in self.given
        ]


@contextmanager
def _phases() -> Iterator[Captured]:
    """Time the assignment's steps (and keep the problems it solved) while the rule runs."""
    seen = Captured()
    wrapped = {
        (assignment, "_prepared"): "graph",
        (assignment, "_assignments"): "reasons",
        (flow_arrays, "flow"): "solve",
        (flow_supplies, "flow_in_blocks"): "solve",
        (solver, "solve"): "solve",
    }
    originals = {target: getattr(*target) for target in wrapped}

    def timed(target: tuple[Any, str], phase: str) -> Callable[..., Any]:
        inner = originals[target]

        def call(*args: Any, **kwargs: Any) -> Any:
            if phase == "solve":
                # version 5 solves from arrays: its lists are made once the rule has run; other
                # problems' lists are copied, as the reasons empty the graph's once read
                blocks = target == (flow_supplies, "flow_in_blocks")
                seen.given.append((args[0], args[1]) if blocks else _copied(args[0]))
            started = _clock()
            try:
                return inner(*args, **kwargs)
            finally:
                seen.phases[phase] += _clock() - started

        return call

    for target, phase in wrapped.items():
        setattr(*target, timed(target, phase))
    try:
        yield seen
    finally:
        for target, inner in originals.items():
            setattr(*target, inner)


def _copied(spec: solver.Spec) -> solver.Spec:
    return replace(
        spec,
        candidates=[list(c) for c in spec.candidates],
        costs=[list(c) for c in spec.costs],
    )


def bare_flow(spec: solver.Spec) -> float:
    """Processor seconds for OR-Tools' min-cost flow alone on the spec's candidate arcs."""
    from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

    lengths = np.array([len(c) for c in spec.candidates], dtype=np.int64)
    r = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    v = np.array([x for c in spec.candidates for x in c], dtype=np.int64)
    cost = np.array([x for c in spec.costs for x in c], dtype=np.int64)
    need = np.asarray(spec.need, dtype=np.int64)
    n_reports, n_reviewers = len(lengths), len(spec.base_load)
    gc.collect()
    started = _clock()
    net = min_cost_flow.SimpleMinCostFlow()
    reports = np.arange(n_reports, dtype=np.int32)
    reviewers = np.arange(n_reviewers, dtype=np.int32)
    net.add_arcs_with_capacity_and_unit_cost(
        np.zeros(n_reports, np.int32), 2 + reports, need, np.zeros(n_reports, np.int64)
    )
    net.add_arcs_with_capacity_and_unit_cost(
        (2 + r).astype(np.int32), (2 + n_reports + v).astype(np.int32), np.ones_like(r), cost
    )
    net.add_arcs_with_capacity_and_unit_cost(
        2 + n_reports + reviewers,
        np.ones(n_reviewers, np.int32),
        np.full(n_reviewers, spec.upper, np.int64),
        np.zeros(n_reviewers, np.int64),
    )
    supplies = np.zeros(2 + n_reports + n_reviewers, dtype=np.int64)
    supplies[0], supplies[1] = int(need.sum()), -int(need.sum())
    net.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    if net.solve() != net.OPTIMAL:
        raise RuntimeError("the bare flow found no assignment on the rule's arcs")
    return _clock() - started


@dataclass
class Round:
    rule: float
    anchor: float
    phases: dict[str, float]
    arcs: int
    elapsed: float  # the rule's elapsed seconds, beside its processor seconds


def one_round(members: tuple[Reviewable, ...]) -> Round:
    inp, rulebook = _input(members), Rulebook()
    gc.collect()
    with _phases() as seen:
        started, wall = _clock(), time.perf_counter()
        made = assign_reviewers(inp, rulebook)
        rule, elapsed = _clock() - started, time.perf_counter() - wall
    assert made, "the benchmark's registry must be assignable"
    spec = seen.specs[-1]
    arcs = sum(len(c) for c in spec.candidates)
    return Round(rule, bare_flow(spec), seen.phases, arcs, elapsed)


_PEAK = """
import json, sys
from pathlib import Path
def rss(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
from bench import peer_review as b
from governance.rulebook.model import Rulebook
members = b.registry(int(sys.argv[1]))
inp = b._input(members)
if sys.argv[2] == "anchor":
    with b._phases() as seen:
        b.the_rule(members, Rulebook())
    spec = seen.specs[-1]
    del seen
base = rss("VmRSS:")
if sys.argv[2] == "anchor":
    b.bare_flow(spec)
else:
    b.assign_reviewers(inp, Rulebook())
print(json.dumps({"base": base, "peak": rss("VmHWM:")}))
"""


def peak_above_base(size: int, side: str) -> float:
    """MiB of peak resident set above the process's base, in a fresh process (one per side,
    so both are compared with equal numbers of processes). For the anchor the arcs are made
    first, outside what is measured; the rule is measured from its validated input."""
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, str(size), side],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    return float(found["peak"]) - float(found["base"])


@dataclass
class Result:
    size: int
    rounds: list[Round]
    rule_peak: float | None = None
    anchor_peak: float | None = None

    def ratios(self) -> list[float]:
        return [r.rule / r.anchor for r in self.rounds]

    def phase(self, name: str) -> float:
        return median([r.phases[name] for r in self.rounds])


def run(sizes: tuple[int, ...], rounds: int, memory: bool = True) -> list[Result]:
    results = []
    for size in sizes:
        members = registry(size)
        result = Result(size, [one_round(members) for _ in range(rounds)])
        if memory:
            result.rule_peak = peak_above_base(size, "rule")
            result.anchor_peak = peak_above_base(size, "anchor")
        results.append(result)
    return results


def _spread(values: list[float], scale: float = 1.0, digits: int = 0) -> str:
    mid = median(values) * scale
    low, high = min(values) * scale, max(values) * scale
    return f"{mid:,.{digits}f} ({low:,.{digits}f}-{high:,.{digits}f})"


def report(results: list[Result], rounds: int) -> str:
    lines = [
        "## Peer review assignment: against a bare min-cost flow on the same arcs",
        "",
        f"Machine: {machine()}.",
        "",
        "Method: registries in the VPI's pillar mix where every member reports and may review, "
        "two reviewers per report, the VPI rulebook's exclusions (same country, same group, no "
        "reciprocal pairs, load within one of the average), rule version "
        f"{RULE_VERSION} (ARCHITECTURE.md, peer review). The anchor, in the same run on the "
        "same registry, is OR-Tools' "
        "`SimpleMinCostFlow` alone on the arcs the rule's solve used (source, report, "
        "reviewer, sink; each candidate arc with its seeded cost; each reviewer capped at the "
        "load ceiling), built from arrays: what any exact assignment over those candidates "
        "pays, without the candidate search, the objective's pillar and load levels, or the "
        "reasons. Times are processor milliseconds of the measuring process (both sides run on "
        "one thread; other jobs on the machine inflate elapsed time, not these), the rule from "
        "its validated input; the rule's elapsed milliseconds are beside them. "
        f"{rounds} rounds, median with the range in brackets. Peak memory: each side's peak "
        "resident set above its own process's base, one fresh process per side.",
        "",
        "| members | arcs | rule ms | anchor ms | ratio | graph ms | solve ms | reasons ms | "
        "rule elapsed ms | rule peak MiB | anchor peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        peaks = ["-" if p is None else f"{p:.1f}" for p in (r.rule_peak, r.anchor_peak)]
        lines.append(
            f"| {r.size:,} | {r.rounds[0].arcs:,} | "
            f"{_spread([x.rule for x in r.rounds], 1000)} | "
            f"{_spread([x.anchor for x in r.rounds], 1000)} | "
            f"{_spread(r.ratios(), digits=1)} | "
            + " | ".join(f"{r.phase(p) * 1000:,.0f}" for p in PHASES)
            + f" | {_spread([x.elapsed for x in r.rounds], 1000)}"
            + f" | {peaks[0]} | {peaks[1]} |"
        )
    pairs = [(a, b) for a, b in itertools.pairwise(results) if a.size >= 2_000]
    for small, large in pairs:
        per = large.size / small.size
        grown = ", ".join(
            f"{p} x{large.phase(p) / max(small.phase(p), 1e-9) / per:.2f}" for p in PHASES
        )
        anchor = median([x.anchor for x in large.rounds]) / median([x.anchor for x in small.rounds])
        lines += [
            "",
            f"Growth per member from {small.size:,} to {large.size:,} (1.00 = linear): "
            f"{grown}; the anchor x{anchor / per:.2f}.",
        ]
    lines += ["", CLOSING]
    return "\n".join(lines) + "\n"


CLOSING = (
    "Where the time goes. Rule version 5 (ARCHITECTURE.md, peer review) cuts the seeded rings "
    "into blocks of about 500 reports, each block with every pillar's share of the reports and "
    "of the reviewers and its reports interleaved evenly on each arc, and solves the blocks one "
    "by one, each with its own cycle bound, on a network where each report's supplies stand in "
    "for the source and report nodes; the cyclic garbage collector is paused while the rule "
    "runs. The anchor solves the same block-diagonal arcs in one flow. Since the last run here "
    "(8.2x at 2,000 members, 3.9x at 20,000, peak 47 MiB) the rule gives the same assignments "
    "and reasons, byte for byte, in less time: the graph, the orientation of reciprocal "
    "candidates and the blocks' parts made with arrays (one sort of a packed word where three "
    "sorts were, lookups in increasing order, no pass over all arcs per block), the reasons "
    "written from parts shared by many reports with the graph's lists let go as they are read, "
    "the reviewers' side sharing the reports' rows when one registry is both; "
    "and the benchmark no longer charges the rule for making its own copy of the solved "
    "problem. What is left is mostly OR-Tools' own solve of the objective's levels, measured "
    "while writing this (processor time of `SimpleMinCostFlow.solve` alone, the rule's blocks): "
    "about 35 ms at 2,000 members, 3.3 times the whole anchor, and about 350 ms at 20,000, "
    "1.8 times; at 2,000 members the same network with the repeat and spread weights alone "
    "(seeded costs 0) took 28 ms, with the seeded costs alone 19 ms, with every cost 0 3.5 ms. "
    "So 3 times the anchor cannot be reached at 2,000 members with this solver and these "
    "levels, whatever the rest costs. Tried without a gain: the seeded order (0-12) or 4 bits "
    "of the seeded cost instead of 10 bits as the last level (the solve no faster, 37 ms at "
    "2,000 and 361 ms at 20,000 against 34 and 348 with 10 bits; the anchor slower on those "
    "costs, 14 and 278 ms against 11 and 195), blocks of 250 or 1,000 reports (no faster at "
    "20,000 members), no load floor in the flow (slower). The peak holds the result (40,000 "
    "assignments at 20,000 members, each with its reason) and the candidate lists the reasons "
    "rank among. At 80 members the graph is complete and CP-SAT settles reciprocity exactly, "
    "which the anchor does not attempt: that row's ratio says nothing."
)


def main(sizes: tuple[int, ...], rounds: int, write: bool) -> str:
    body = report(run(sizes, rounds), rounds)
    if write:
        write_section("peer_review", body)
    return body
