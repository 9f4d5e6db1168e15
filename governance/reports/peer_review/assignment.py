"""Peer review assignment: which members review each submitted annual report, and why.

Hard constraints (the rulebook's `peer_review` section): each report gets `reviewers_per_report`
reviewers in all (those it already has count), from the pillars `reviewers_for` names for its
pillar; nobody reviews itself; declared conflicts are excluded, and so are members of the same
country or group when the rulebook says so; no two members review each other in the same year
(existing assignments count); no pair repeats last year's; and each reviewer's load stays within
`load_tolerance` of the average.

The average: all of this year's assignments (existing and new) divided by the number of
reviewers in scope, which are the members of `reviewers` allowed to review at least one report
of this input, plus every reviewer of an existing assignment. The whole assignment keeps each of
them within [average - tolerance, average + tolerance]. A late report (any existing assignment
given) only keeps every reviewer at most `tolerance` above the new average: the existing
assignments cannot move, so a floor recomputed from a slightly higher average could demand new
reviews from many members for one report; the ceiling is what protects reviewers.

Among the assignments meeting all of this, the chosen one is exactly optimal, lexicographically:
fewest reviewers sharing a pillar with another reviewer of the same report, then fewest load
units outside the two integers around the average, then the smallest sum of seeded costs (a hash
of seed, year and the two members), which makes ties vanish and lets anyone recompute the result.

Scale: with more than `FULL_GRAPH_PAIRS` report-reviewer pairs, each report's search is limited
to its `k` cheapest allowed reviewers under the seeded cost (k = 4 x reviewers_per_report at
first), plus, when the load floor is above zero, every in-scope reviewer joins the lists of its
cheapest allowed reports so the floor can be met. The result is optimal over that candidate
graph, not provably over all pairs: a pair outside it is more expensive by the seeded cost, but
could have helped pillar diversity or spread. If the graph has no assignment, k doubles (up to
all allowed reviewers, or the `MAX_PAIRS` size limit) and the solve repeats. That is rule
version 1; version 2 (`RULE_VERSION`) makes the short lists from seeded rings without looking at
every pair, counts the allowed pairs from tallies, and orients reciprocal candidates before one
flow (`rings.py`, `counts.py`, `flow_arrays.py`; ARCHITECTURE.md, peer review, versions).
Version 3 is version 2 except that the load rule alone never refuses: when the rulebook's
tolerance admits no assignment, the least larger tolerance that does is used, and every reason
names it (`_solve_widening`). Version 4 is version 3 with the flow's levels weighed by a bound
on the network's simple cycles, the same optimum with far smaller costs (`solver.flow_weights`).
Version 5 solves version 4's short lists on a smaller network, each report's supplies standing
in for the source and report nodes (`flow_supplies.py`); up to `FULL_GRAPH_PAIRS` it is version 4.
Version 6 is version 5 holding the load floor for every reviewer in scope (`_with_floor`).
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
from collections import Counter
from dataclasses import replace
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from governance.kernel.collector import no_cycle_collection
from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import Message, Terms, said, say
from governance.reports.peer_review import diagnosis, flow_arrays, flow_supplies, solver
from governance.reports.peer_review.counts import allowed_counts
from governance.reports.peer_review.graph import (
    PILLARS,
    Graph,
    Rules,
    build,
    cover,
    positions,
    seeded_keys,
    side,
)
from governance.reports.peer_review.plan import Assignment as Assignment
from governance.reports.peer_review.plan import AssignmentImpossible as AssignmentImpossible
from governance.reports.peer_review.plan import AssignmentInput as AssignmentInput
from governance.reports.peer_review.plan import Reviewable as Reviewable
from governance.reports.peer_review.plan import ReviewPlan as ReviewPlan
from governance.reports.peer_review.plan import SetAside as SetAside
from governance.reports.peer_review.rings import Rings
from governance.reports.peer_review.version import (
    CYCLE_WEIGHTS_VERSION,
    FLOOR_FOR_EVERY_REVIEWER_VERSION,
    SUPPLY_NETWORK_VERSION,
    WIDENING_VERSION,
)
from governance.rulebook.model import Rulebook

Ints = npt.NDArray[np.int64]
FULL_GRAPH_PAIRS = 250_000
MAX_PAIRS = 2_000_000
# rule version 5: the rings are cut into blocks of about this many reports, solved one by one
BLOCK_REPORTS = 500
# Version 2 finds the short lists on seeded rings instead of among all pairs (ARCHITECTURE.md,
# peer review, versions); up to FULL_GRAPH_PAIRS versions 1 and 2 are the same rule. Version 3
# is version 2 with the load tolerance widened when the rulebook's admits no assignment.


class _Setup:
    """The input in index form, with the load rule's numbers."""

    def __init__(self, inp: AssignmentInput, rulebook: Rulebook) -> None:
        review = rulebook.peer_review
        codes: dict[str, int] = {}
        fields = operator.attrgetter("member", "pillar", "country", "group")
        # by member: a member listed twice is refused just below, once the indexes show it
        by_member = operator.itemgetter(0)
        rows = sorted(map(fields, inp.reports), key=by_member)
        reports = side(inp.seed, inp.year, "report", rows, codes)
        self.report_at = {m: i for i, m in enumerate(reports.members)}
        if _same_members(inp.reports, inp.reviewers):
            # every member reports and reviews: the same rows and codes, keyed as reviewers
            keys = seeded_keys(inp.seed, inp.year, "reviewer", reports.members)
            reviewers = replace(reports, key=keys)
            self.reviewer_at = self.report_at
        else:
            rows = sorted(map(fields, inp.reviewers), key=by_member)
            reviewers = side(inp.seed, inp.year, "reviewer", rows, codes)
            self.reviewer_at = {m: i for i, m in enumerate(reviewers.members)}
        duplicates = len(self.report_at) < len(reports.members)
        if duplicates or len(self.reviewer_at) < len(reviewers.members):
            _validate(inp)  # refuses the input, naming each member listed twice
        self.rules = Rules(review, reports, reviewers, self.reviewer_at)
        self.sparse: dict[int, set[int]] = {}
        # per report, each struck reviewer's reasons (the first is the one counted)
        self.sparse_reason: list[dict[int, tuple[str, ...]]] = [{} for _ in reports.members]
        self._strike(inp, review.forbid_repeat_of_previous_year, review.forbid_reciprocal_pairs)
        have = Counter(a.report_of for a in inp.existing)
        per = review.reviewers_per_report
        if have:
            self.need = [max(per - have[m], 0) for m in reports.members]
        else:  # a first assignment: every report needs them all
            self.need = [max(per, 0)] * len(reports.members)
        self.existing_pillars: list[list[int]] = [[] for _ in reports.members]
        self.base = [0] * len(reviewers.members)
        for a in inp.existing:
            v, r = self.reviewer_at.get(a.reviewer), self.report_at.get(a.report_of)
            if v is not None:
                self.base[v] += 1
                if r is not None:
                    self.existing_pillars[r].append(int(reviewers.pillar[v]))
        self.late = bool(inp.existing)
        self.existing_count = len(inp.existing)
        self.existing_outside = {a.reviewer for a in inp.existing} - set(self.reviewer_at)
        self.tolerance = review.load_tolerance
        # the rulebook's tolerance, when version 3 had to widen it (said in every reason)
        self.widened_from: int | None = None
        self.version = inp.rule_version
        self.rings: Rings | None = None
        self.counts: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))

    def _strike(self, inp: AssignmentInput, previous: bool, reciprocal: bool) -> None:
        pairs = [(v, m, "declared a conflict") for v, m in inp.conflicts]
        if previous:
            pairs += [(v, m, "reviewed it last year") for v, m in inp.previous]
        pairs += [(a.reviewer, a.report_of, "already review it") for a in inp.existing]
        if reciprocal:
            pairs += [(a.report_of, a.reviewer, "reviewed by it this year") for a in inp.existing]
        for v_member, m_member, why in sorted(pairs):
            v, r = self.reviewer_at.get(v_member), self.report_at.get(m_member)
            if v is not None and r is not None:
                self.sparse.setdefault(r, set()).add(v)
                self.sparse_reason[r][v] = (*self.sparse_reason[r].get(v, ()), why)

    def loads(self, graph: Graph) -> None:
        """The average over the reviewers in scope and the bounds it gives (module docstring)."""
        self.in_scope = (graph.allowed_per_reviewer > 0) | (np.asarray(self.base) > 0)
        scope = int(self.in_scope.sum()) + len(self.existing_outside)
        total = self.existing_count + sum(self.need)
        self.average = Fraction(total, max(scope, 1))
        self.at_tolerance(self.tolerance)

    def at_tolerance(self, tolerance: int) -> None:
        """The load bounds for `tolerance` around the average (`loads` computed it)."""
        self.tolerance = tolerance
        self.upper = math.floor(self.average + tolerance)
        self.lower = 0 if self.late else max(math.ceil(self.average - tolerance), 0)


def _same_members(reports: tuple[Reviewable, ...], reviewers: tuple[Reviewable, ...]) -> bool:
    """Whether both sides list the very same objects, in the same order (the caller passed one
    registry as both): a check of identities, not a comparison of every field."""
    return len(reports) == len(reviewers) and all(
        a is b for a, b in zip(reports, reviewers, strict=True)
    )


def _validate(inp: AssignmentInput) -> None:
    problems = []
    member = operator.attrgetter("member")
    for name, items in (("reports", inp.reports), ("reviewers", inp.reviewers)):
        if len(set(map(member, items))) == len(items):
            continue
        counts = Counter(map(member, items))
        problems += [
            Problem(f"{name}[{m}]", say("listed more than once"))
            for m, n in counts.items()
            if n > 1
        ]
    if problems:
        raise InvalidInput(say("the assignment input is invalid"), sorted(problems, key=str))


def _spec(setup: _Setup, graph: Graph) -> solver.Spec:
    reviewers = setup.rules.reviewers
    reciprocal = []
    if setup.rules.review.forbid_reciprocal_pairs:
        as_set = [set(c) for c in graph.candidates]
        for r, cands in enumerate(graph.candidates):
            v_of_r = setup.reviewer_at.get(setup.rules.reports.members[r])
            for v in cands:
                r2 = setup.report_at.get(reviewers.members[v])
                if v_of_r is not None and r2 is not None and r < r2 and v_of_r in as_set[r2]:
                    reciprocal.append(((r, v), (r2, v_of_r)))
    return _spec_of(setup, graph.candidates, graph.costs, reciprocal)


def _spec_of(
    setup: _Setup,
    candidates: list[list[int]],
    costs: list[list[int]],
    reciprocal: list[tuple[tuple[int, int], tuple[int, int]]],
) -> solver.Spec:
    reviewers = setup.rules.reviewers
    return solver.Spec(
        need=setup.need,
        candidates=candidates,
        costs=costs,
        reviewer_pillar=reviewers.pillar.tolist(),
        existing_pillars=setup.existing_pillars,
        base_load=setup.base,
        lower=setup.lower,
        upper=setup.upper,
        floor_avg=math.floor(setup.average),
        ceil_avg=math.ceil(setup.average),
        reciprocal=reciprocal,
        cycle_weights=setup.version >= CYCLE_WEIGHTS_VERSION,
    )


def _oriented_spec(setup: _Setup, graph: Graph) -> solver.Spec:
    """Version 2's problem: the short lists with, of each two edges that would make a
    reciprocal pair, only the seeded-cheaper (as `solver.oriented`), decided before solving so
    that one flow solves it. The graph itself keeps every candidate (the reasons rank among
    them)."""
    spec = _spec_of(setup, graph.candidates, graph.costs, [])
    if not setup.rules.review.forbid_reciprocal_pairs:
        return spec
    return flow_supplies.with_lists(spec, _oriented_arcs(setup, graph))


def _oriented_arcs(setup: _Setup, graph: Graph) -> tuple[Ints, Ints, Ints]:
    """`_oriented_spec`'s candidates as arrays (report, reviewer, seeded cost), in the lists'
    order; version 5 solves from these without making lists of them."""
    r, v, cost = graph.arrays()
    # the lists stay (the reasons rank among them); their arrays are not kept past the solve
    graph.arcs, graph.appended = None, []
    if not setup.rules.review.forbid_reciprocal_pairs:
        return r, v, cost
    reports, reviewers = setup.rules.reports, setup.rules.reviewers
    n_v = len(reviewers.members)
    reviewer_of = setup.rules.self_index  # each report's member as a reviewer
    report_of = positions(reviewers.members, reports.members, setup.report_at)
    key = r * n_v + v
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    partner_r, partner_v = report_of[v], reviewer_of[r]
    partner = np.where((partner_r >= 0) & (partner_v >= 0), partner_r * n_v + partner_v, -1)
    # looked up in increasing order, each search starting where the last ended (at 20,000
    # members a third of the time of searching them in arc order)
    asked = np.argsort(partner)
    at = np.empty(len(partner), dtype=np.int64)
    at[asked] = np.searchsorted(ordered, partner[asked])
    at = np.minimum(at, max(len(key) - 1, 0))
    found = (partner >= 0) & (ordered[at] == partner) if len(key) else np.zeros(0, bool)
    p = order[at]
    # drop this edge if it is the dearer of the two: (cost, report, reviewer) as version 1
    dearer = (cost > cost[p]) | ((cost == cost[p]) & ((r > r[p]) | ((r == r[p]) & (v > v[p]))))
    keep = ~(found & dearer)
    return r[keep], v[keep], cost[keep]


def _cover(setup: _Setup, graph: Graph) -> None:
    """Make sure the load floor can be met on a graph of short lists (module docstring)."""
    if graph.complete or setup.lower == 0:
        return
    listed = np.fromiter(itertools.chain.from_iterable(graph.candidates), dtype=np.int64)
    seen = np.bincount(listed, minlength=len(setup.base))
    depth = setup.lower + setup.rules.review.reviewers_per_report
    short = np.nonzero(setup.in_scope & (seen < depth))[0].tolist()
    if setup.rings is not None:
        setup.rings.cover(graph, {v: int(seen[v]) for v in short}, depth)
    else:
        cover(graph, setup.rules, short, depth)


def _prechecks(setup: _Setup, graph: Graph) -> list[Problem]:
    problems = diagnosis.shortfalls(setup.rules, graph, setup.need, setup.sparse_reason)
    problems += diagnosis.load_floor(
        graph, setup.in_scope, setup.lower, setup.average, setup.tolerance
    )
    if not problems:
        problems += diagnosis.capacity(
            graph, setup.in_scope, setup.base, setup.upper, sum(setup.need), setup.tolerance
        )
    return problems


def _impossible(problems: list[Problem]) -> AssignmentImpossible:
    return AssignmentImpossible("peer reviewers cannot be assigned under the rulebook", problems)


def _prepared(inp: AssignmentInput, rulebook: Rulebook) -> tuple[_Setup, Graph, int | None]:
    """The input in index form, its candidate graph (short lists above `FULL_GRAPH_PAIRS`) and
    the length of those lists (None: complete)."""
    setup = _Setup(inp, rulebook)
    pairs = len(setup.report_at) * len(setup.reviewer_at)
    per = rulebook.peer_review.reviewers_per_report
    k: int | None = None if pairs <= FULL_GRAPH_PAIRS else 4 * per
    if k is not None and setup.version >= 2:
        blocks = BLOCK_REPORTS if setup.version >= SUPPLY_NETWORK_VERSION else None
        setup.rings = Rings(setup.rules, setup.sparse, blocks)
        setup.counts = allowed_counts(setup.rules, setup.sparse)
    graph = _graph(setup, k)
    setup.loads(graph)
    return setup, graph, k


def _graph(setup: _Setup, k: int | None) -> Graph:
    if setup.rings is not None and k is not None:
        return setup.rings.graph(k, *setup.counts)
    return build(setup.rules, setup.sparse, k)


class _Attempt(NamedTuple):
    """One search at the setup's load bounds: the graph it ended on, its problem (None when a
    necessary check already refused) and the assignment found (None: none)."""

    graph: Graph
    spec: solver.Spec | None
    found: solver.Solution | None


def _search(setup: _Setup, graph: Graph, k: int | None) -> _Attempt:
    """Versions 1 and 2's search at the setup's load bounds: on short lists, k doubles until an
    assignment is found, the graph is complete or it would pass `MAX_PAIRS`."""
    while True:
        _cover(setup, graph)
        if setup.rings is not None:
            if setup.version >= SUPPLY_NETWORK_VERSION:
                # solved from arrays; the lists only when a refusal looks at the problem again
                arcs, rings = _oriented_arcs(setup, graph), setup.rings
                blocks = rings.report_block, rings.reviewer_block
                bare = _spec_of(setup, [], [], [])
                found = _with_floor(setup, flow_supplies.flow_in_blocks(bare, arcs, *blocks))
                spec = flow_supplies.with_lists(bare, arcs) if found is None else None
            else:
                spec = _oriented_spec(setup, graph)
                found = _with_floor(setup, flow_arrays.flow(spec))
        else:
            spec = _spec(setup, graph)
            found = _with_floor(setup, solver.solve(spec))
        if found is not None:
            return _Attempt(graph, spec, found)
        if graph.complete or k is None or len(setup.report_at) * k * 2 > MAX_PAIRS:
            return _Attempt(graph, spec, None)
        k *= 2
        graph = _graph(setup, k)


def _with_floor(setup: _Setup, found: solver.Solution | None) -> solver.Solution | None:
    """From version 6, `found` only if every reviewer in scope is at the load floor or above.

    The flows demand the floor of the reviewers their candidate arcs reach; a reviewer in
    scope can be left without one when the candidate it shares with its own report's reviewer
    is the dearer of a reciprocal pair and oriented away (`_oriented_arcs`, `solver.oriented`),
    and was then left below the floor while the reasons named the rulebook's tolerance. Now
    that is no assignment at this tolerance: longer lists or a wider tolerance are tried, as
    for any other."""
    if found is None or setup.version < FLOOR_FOR_EVERY_REVIEWER_VERSION or setup.lower == 0:
        return found
    chosen = np.fromiter(itertools.chain.from_iterable(found.chosen), dtype=np.int64)
    load = np.asarray(setup.base, dtype=np.int64) + np.bincount(chosen, minlength=len(setup.base))
    return None if bool(np.any(setup.in_scope & (load < setup.lower))) else found


def _solve(setup: _Setup, graph: Graph, k: int | None) -> tuple[Assignment, ...]:
    if setup.version >= WIDENING_VERSION:
        return _solve_widening(setup, graph, k)
    problems = _prechecks(setup, graph)
    if problems:
        raise _impossible(problems)
    attempt = _search(setup, graph, k)
    if attempt.found is not None:
        return _assignments(setup, attempt.graph, attempt.found)
    assert attempt.spec is not None
    # The flow ignores only reciprocity: if it finds an assignment, reciprocity is what binds.
    reciprocity = solver.feasible_without_reciprocity(attempt.spec)
    raise _impossible([diagnosis.relaxed(reciprocity, not reciprocity, attempt.graph.complete)])


def _attempt_at(setup: _Setup, graph: Graph, k: int | None, tolerance: int) -> _Attempt:
    """Version 2's search with the load bounds of `tolerance`, from `graph`."""
    setup.at_tolerance(tolerance)
    if diagnosis.load_floor(graph, setup.in_scope, setup.lower, setup.average, tolerance) or (
        diagnosis.capacity(
            graph, setup.in_scope, setup.base, setup.upper, sum(setup.need), tolerance
        )
    ):
        return _Attempt(graph, None, None)
    return _search(setup, graph, k)


def _solve_widening(setup: _Setup, graph: Graph, k: int | None) -> tuple[Assignment, ...]:
    """Version 3: the rulebook's tolerance when it admits an assignment, otherwise the least
    tolerance above it that does (every reason says so). The load rule alone never refuses a
    year: with a tolerance as large as all the reviews there are, the bounds bind nobody, so a
    refusal is a report without enough allowed members, or reciprocity.

    Widening only loosens the bounds, so the tolerances that admit an assignment are every one
    from some least one up: galloping from the rulebook's (1, 2, 4, ... above it, up to that
    bound), then halving the gap, finds it with a few searches, each version 2's at that
    tolerance."""
    short = diagnosis.shortfalls(setup.rules, graph, setup.need, setup.sparse_reason)
    if short:
        raise _impossible(short)
    start = setup.tolerance
    first = _attempt_at(setup, graph, k, start)
    if first.found is not None:
        # the reasons need the graph, not the solved problem's own lists: let those go first
        # (at 20,000 members about 14 MiB of the assignment's peak)
        graph, found = first.graph, first.found
        del first
        return _assignments(setup, graph, found)

    def attempt(tolerance: int) -> _Attempt:
        # fresh short lists: the cover of an earlier attempt added candidates for its own floor
        return _attempt_at(setup, graph if graph.complete else _graph(setup, k), k, tolerance)

    # with this tolerance the bounds bind nobody: the last one worth trying
    unbound = max(setup.existing_count + sum(setup.need) + 1, start + 1)
    refused, step = start, 1
    while True:  # gallop: most years need one more, a few two
        tolerance = min(refused + step, unbound)
        best = attempt(tolerance)
        if best.found is not None:
            admits = tolerance
            break
        if tolerance == unbound:
            reciprocity = best.spec is not None and solver.feasible_without_reciprocity(best.spec)
            raise _impossible([diagnosis.relaxed(reciprocity, False, best.graph.complete)])
        refused, step = tolerance, step * 2
    tried: _Attempt | None = None
    while admits - refused > 1:
        middle = (refused + admits) // 2
        tried = attempt(middle)
        if tried.found is not None:
            admits, best = middle, tried
        else:
            refused = middle
    setup.at_tolerance(admits)
    setup.widened_from = start
    assert best.found is not None
    graph, found = best.graph, best.found
    del best
    tried = None
    return _assignments(setup, graph, found)


def assign_reviewers(inp: AssignmentInput, rulebook: Rulebook) -> tuple[Assignment, ...]:
    """The NEW assignments (existing ones untouched), sorted by (report_of, reviewer): all of
    them or none (`plan_reviews` assigns what can be assigned).

    Raises:
        InvalidInput: a member is listed twice.
        AssignmentImpossible: no assignment meets the hard constraints; the problems say which
            constraint binds, and for which report or reviewer.
    """
    # a member listed twice is refused while the input is indexed (`_Setup`)
    # at 20,000 members the collector's passes over the caller's objects were a third of this
    with no_cycle_collection():
        return _solve(*_prepared(inp, rulebook))


def plan_reviews(inp: AssignmentInput, rulebook: Rulebook) -> ReviewPlan:
    """Reviewers for every report that can have them; the others set aside, each saying why.

    A report fewer members may review than it needs (an observer's, when no pillar reviews
    observers; a tiny pillar's; one cut off by conflicts or countries) can be served by no
    assignment at all: it is set aside on its own, naming the rules that leave it short, and
    the rest are assigned without it (their average and load bounds as if it were not there).
    If the rest cannot be assigned together (the load rule or reciprocity binds the whole, not
    any one report), they are set aside together, naming that rule: which reports to leave out
    is for the Secretariat, by changing the rules.

    Raises:
        InvalidInput: a member is listed twice.
    """
    with no_cycle_collection():
        return _plan(inp, rulebook)


def _plan(inp: AssignmentInput, rulebook: Rulebook) -> ReviewPlan:
    setup, graph, k = _prepared(inp, rulebook)
    short = diagnosis.unservable(setup.rules, graph, setup.need, setup.sparse_reason)
    aside = [
        SetAside(report_of=s.report, rule=s.binding[0], reason=s.problem.reason, words=s.words)
        for s in short
    ]
    if short:
        skipped = {s.report for s in short}
        rest = tuple(r for r in inp.reports if r.member not in skipped)
        if not rest:
            return ReviewPlan(assignments=(), set_aside=tuple(aside))
        setup, graph, k = _prepared(inp.model_copy(update={"reports": rest}), rulebook)
    try:
        made = _solve(setup, graph, k)
    except AssignmentImpossible as refused:
        made = ()
        left = setup.rules.reports.members
        words = together_reason(refused.problems, len(left) > 1)
        aside += [
            SetAside(
                report_of=member, rule=refused.problems[0].path, reason=words.english(), words=words
            )
            for member in left
        ]
    return ReviewPlan(assignments=made, set_aside=tuple(sorted(aside, key=lambda a: a.report_of)))


def together_reason(problems: list[Problem], others: bool) -> Message:
    """Why the reports left could not be assigned: each binding rule with its reason."""
    together = Terms(
        messages=tuple(
            say("%(field)s: %(reason)s", field=p.path, reason=said(p.words or p.reason))
            for p in problems
        ),
        separator="; ",
    )
    if others:
        return say(
            "cannot be assigned together with the other reports left: %(problems)s",
            problems=together,
        )
    return say("cannot be assigned: %(problems)s", problems=together)


def _assignments(setup: _Setup, graph: Graph, found: solver.Solution) -> tuple[Assignment, ...]:
    """Each new assignment with its reason, sorted by (report_of, reviewer): both sides are
    numbered in member order, so walking reports in order and each one's reviewers in order is
    that sort. Built from the validated input without validating each pair again (at 20,000
    members that was most of this step). The graph's lists are emptied as they are read:
    nothing reads them after, and the reasons then fill the memory they held (the peak)."""
    reports, reviewers = setup.rules.reports, setup.rules.reviewers
    picked = np.fromiter(itertools.chain.from_iterable(found.chosen), dtype=np.int64)
    base = np.asarray(setup.base, dtype=np.int64)
    load = (base + np.bincount(picked, minlength=len(base))).tolist()
    pool = setup.rules.pillar_ok.sum(axis=1).tolist()
    names = [p.value for p in PILLARS]
    report_pillar, reviewer_pillar = reports.pillar.tolist(), reviewers.pillar.tolist()
    reviewer_name = [names[p] for p in reviewer_pillar]
    allowed = graph.allowed_per_report.tolist()
    bounds = f"{setup.lower}-{setup.upper}" if not setup.late else f"at most {setup.upper}"
    against = f" against an average of {float(setup.average):.2f} (allowed {bounds})"
    widened = (
        f"load tolerance widened from the rulebook's {setup.widened_from} to {setup.tolerance}: "
        f"no assignment within {setup.tolerance - 1}"
    )
    tail = (
        *(() if found.proven else ("solver work limit reached: not proven optimal",)),
        # version 1's reasons stay as they were stored, so a recompute matches them
        *(() if setup.version == 1 else (f"rule version {setup.version}",)),
    )
    # the parts every reason shares, joined once: at 20,000 members the reasons are 40,000
    suffix = "".join(f"; {part}" for part in tail)
    # " reviewer of a ... report; reviewers' pillars ...; " by the report's pillar and its
    # reviewers' pillars: a handful of texts for all the reports
    mixes: dict[tuple[int, ...], str] = {}
    # the part after the seeded order, by list length, members allowed and reported pillar
    afters: dict[tuple[int, int, int], str] = {}
    existing = setup.existing_pillars
    widening = "" if setup.widened_from is None else f"; {widened}"
    # "load n against ..." (and the widening) for each reviewer, written once per load
    at_load = {n: f"load {n}{against}{widening}" for n in set(load)}
    at_of = [at_load[n] for n in load]
    members, unsorted = reviewers.members, graph.unsorted
    # each assignment is `Assignment.model_construct` of its three fields without its general
    # search of the fields for aliases and defaults (an Assignment has none; the roster builds
    # its slots the same way): from the validated input, 40,000 of them at 20,000 members
    new = Assignment.__new__
    fields, fields_set, extra, private = _SLOTS
    result: list[Assignment] = []
    for r, chosen in enumerate(found.chosen):
        if not chosen:
            continue
        if len(chosen) == 2 and not existing[r]:  # most reports: two new reviewers
            a, b = chosen
            chosen = [a, b] if a < b else [b, a]
            pa, pb = reviewer_pillar[a], reviewer_pillar[b]
            mixed_by: tuple[int, ...] = (
                (report_pillar[r], pa, pb) if pa <= pb else (report_pillar[r], pb, pa)
            )
        else:
            chosen = sorted(chosen)
            mixed_by = (
                report_pillar[r],
                *sorted([*existing[r], *[reviewer_pillar[v] for v in chosen]]),
            )
        of_report = mixes.get(mixed_by)
        if of_report is None:
            of_report = mixes[mixed_by] = _of_report(names, mixed_by[0], mixed_by[1:])
        costs, candidates = graph.costs[r], graph.candidates[r]
        # each report's lists are let go once read: the reasons take their place in memory
        graph.costs[r] = graph.candidates[r] = _READ
        after_by = (len(costs), allowed[r], report_pillar[r])
        after = afters.get(after_by)
        if after is None:
            after = afters[after_by] = (
                f" of {len(costs)} candidates; {allowed[r]} of {pool[report_pillar[r]]} "
                f"reviewing-pillar members allowed after exclusions{suffix}"
            )
        ranked = sorted(costs) if r in unsorted else costs
        report_of = reports.members[r]
        for v in chosen:
            # its place among the candidates' seeded costs, ties taking the first
            order = 1 + bisect.bisect_left(ranked, costs[candidates.index(v)])
            reason = f"{reviewer_name[v]}{of_report}{at_of[v]}; seeded order {order}{after}"
            made = new(Assignment)
            fields(made, {"report_of": report_of, "reviewer": members[v], "reason": reason})
            fields_set(made, _GIVEN)
            extra(made, None)
            private(made, None)
            result.append(made)
    return tuple(result)


# what a report's lists are replaced with once its reasons are written
_READ: list[int] = []


def _of_report(names: list[str], reported: int, pillars: tuple[int, ...]) -> str:
    """The reason's part on the report: its pillar, and its reviewers' (existing and new)."""
    named = [names[p] for p in pillars]
    mix = "all different" if len(set(named)) == len(named) else "a repeat was unavoidable"
    mixed = f"reviewers' pillars {'+'.join(sorted(named))} ({mix})"
    return f" reviewer of a {names[reported]} report; {mixed}; "


# one set of the fields given for every assignment (frozen: nobody adds to it), not one each
_GIVEN = {"report_of", "reviewer", "reason"}
# the setters of what `model_construct` sets on a model, taken from pydantic's base class once
# rather than looked up by name for each of 40,000 assignments (a quarter of their making)
_SLOTS = tuple(
    vars(BaseModel)[name].__set__
    for name in (
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    )
)
