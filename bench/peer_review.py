"""Peer review assignment's solve time, for generated registries of three sizes.

Every member reports and may review (the VPI's pillar mix, countries and groups drawn from a
seeded generator). The baseline, timed on the same registry in the same run, is a plain
round-robin: each report takes the next members of its reviewing pillars in turn, skipping only
itself and its country, with no load, reciprocity or optimality. The ratio says what the exact,
explained assignment costs over that.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.report import machine, median, write_section
from governance.kernel.model import Pillar
from governance.reports.peer_review.assignment import AssignmentInput, Reviewable, assign_reviewers
from governance.rulebook.model import Rulebook

MIX = ((Pillar.GOVERNMENT, 0.19), (Pillar.COMPANY, 0.56), (Pillar.NGO, 0.25))


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


def the_rule(members: tuple[Reviewable, ...], rulebook: Rulebook) -> int:
    inp = AssignmentInput(year=2027, seed="bench", reports=members, reviewers=members)
    return len(assign_reviewers(inp, rulebook))


def round_robin(members: tuple[Reviewable, ...], rulebook: Rulebook) -> int:
    review = rulebook.peer_review
    pools = {p: [m for m in members if m.pillar is p] for p in Pillar}
    turn = dict.fromkeys(Pillar, 0)
    made = 0
    for report in members:
        pillars = review.reviewers_for.get(report.pillar, [])
        taken = 0
        while taken < review.reviewers_per_report and pillars:
            pillar = pillars[(made + taken) % len(pillars)]
            pool = pools[pillar]
            candidate = pool[turn[pillar] % len(pool)]
            turn[pillar] += 1
            if candidate.member != report.member and candidate.country != report.country:
                taken += 1
        made += taken
    return made


def _timed(
    run: Callable[[tuple[Reviewable, ...], Rulebook], int], members: tuple[Reviewable, ...]
) -> float:
    gc.collect()
    started = time.perf_counter()
    run(members, Rulebook())
    return time.perf_counter() - started


@dataclass
class Result:
    size: int
    rule_seconds: float
    baseline_seconds: float


def run(sizes: tuple[int, ...], rounds: int) -> list[Result]:
    results = []
    for size in sizes:
        members = registry(size)
        rule, baseline = [], []
        for _ in range(rounds):
            baseline.append(_timed(round_robin, members))
            rule.append(_timed(the_rule, members))
        results.append(Result(size, median(rule), median(baseline)))
    return results


def report(results: list[Result], rounds: int) -> str:
    lines = [
        "## Peer review assignment: solve time",
        "",
        f"Machine: {machine()}.",
        "",
        "Method: registries in the VPI's pillar mix where every member reports and may review, "
        "two reviewers per report, the VPI rulebook's exclusions (same country, same group, no "
        "reciprocal pairs, load within one of the average). The rule builds the candidate "
        "graph, solves it exactly (min-cost flow; CP-SAT when a small instance's flow optimum "
        "has a reciprocal pair) and writes a reason per assignment. The baseline, on the same "
        "registry in the same run, is a round-robin over the reviewing pillars that skips only "
        f"the member itself and its country. Median of {rounds} rounds.",
        "",
        "| members | rule ms | baseline ms | time ratio |",
        "|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.size:,} | {r.rule_seconds * 1000:.0f} | {r.baseline_seconds * 1000:.1f} | "
            f"{r.rule_seconds / r.baseline_seconds:,.0f} |"
        )
    lines += [
        "",
        "Where the time goes at 20,000 members (profiled once): about half in the min-cost "
        "flow, solved twice because the first optimum contains reciprocal pairs and the graph "
        "is then oriented (ARCHITECTURE.md); about a quarter building the candidate graph, "
        "every report's allowed reviewers among all 20,000 (400 million pairs, in numpy "
        "blocks) to keep the 8 cheapest under the seeded cost. At 80 members the graph is "
        "complete and CP-SAT settles reciprocity exactly; the round-robin baseline does "
        "almost nothing, hence the large ratios.",
    ]
    return "\n".join(lines) + "\n"


def main(sizes: tuple[int, ...], rounds: int, write: bool) -> str:
    body = report(run(sizes, rounds), rounds)
    if write:
        write_section("peer_review", body)
    return body
