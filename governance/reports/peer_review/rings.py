"""Short candidate lists without a pass over every report x reviewer pair (rule version 2).

Each reviewing pillar's members stand on a ring in the order of their seeded keys. The reports
that pillar may review are laid out in the order of theirs and spread evenly around the same
ring: report i of n starts at place floor(i x m / n) of the m reviewers. A report's candidates
in that pillar are the first allowed reviewers from its place onwards, clockwise; its share of
the k candidates is split evenly over its reviewing pillars. Because the starting places are
spread evenly, every reviewer falls in the windows of about k x n / m reports, and one the
exclusions pushed out of every window it fell in is added, while the lists are made, to the
reports whose windows start just before it (`Rings.cover`). Sorting the keys is the n log n;
the windows are k places per report, in numpy.

Each candidate keeps version 1's seeded pair cost (a 64-bit mix of the two members' seeded
keys), which orders a report's list and breaks the solver's ties; only which reviewers make
the lists changed. Anyone with the seed recomputes the rings, the windows and the costs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from governance.reports.peer_review.counts import dense_ok, dense_ok_pairs
from governance.reports.peer_review.graph import PILLARS, Graph, Rules, mix

Ints = npt.NDArray[np.int64]
# the fewest reviewers of one pillar on a block's arc (rule version 5): a window's width is 12
# places for two reviewers per report, so an arc this long rarely sends a report round it
MIN_ARC = 64


@dataclass(frozen=True, slots=True)
class Ring:
    """One reviewing pillar: its reviewers in seeded order, its reports and their places."""

    reviewers: Ints  # reviewer indices, seeded order
    reports: Ints  # report indices, seeded order
    start: Ints  # per entry of `reports`: its place on the ring (non-decreasing)


def _reviewing(rules: Rules) -> npt.NDArray[np.bool_]:
    allowed = np.zeros((len(PILLARS), len(PILLARS)), dtype=bool)
    for reported, reviewing in rules.review.reviewers_for.items():
        for pillar in reviewing:
            allowed[PILLARS.index(reported), PILLARS.index(pillar)] = True
    return allowed


def _pair_ok(
    rules: Rules, r: Ints, v: Ints, struck: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Elementwise: may reviewer v[i] review report r[i]? `struck`: sorted r x n + v keys."""
    ok = dense_ok_pairs(rules, r, v)
    ok &= rules.self_index[r] != v
    if len(struck):
        ok &= ~np.isin(r * len(rules.reviewers.members) + v, struck)
    return ok


class Rings:
    """The rings of one instance and the candidate graph they give for a list length `k`.

    With `block_reports` (rule version 5) the rings are cut into blocks of about that many
    reports: block j holds the reports whose seeded rank within their pillar falls in the j-th
    of equal parts, and on each pillar's ring the j-th of equal arcs; a report's windows then
    turn on its block's arc of each ring. The candidate graph falls into independent blocks
    (`report_block`, `reviewer_block`) that the flow solves one by one; a report or reviewer
    its block cannot serve reaches the whole ring, joining the two blocks.
    """

    def __init__(
        self, rules: Rules, sparse: dict[int, set[int]], block_reports: int | None = None
    ) -> None:
        self.rules = rules
        self.sparse = sparse
        n_reviewers = len(rules.reviewers.members)
        self.struck = np.array(
            sorted(r * n_reviewers + v for r, vs in sparse.items() for v in vs), dtype=np.int64
        )
        reports, reviewers = rules.reports, rules.reviewers
        allowed = _reviewing(rules)
        present = np.bincount(reviewers.pillar, minlength=len(PILLARS)) > 0
        # how many of each reported pillar's reviewing pillars have members to share k over
        self.pillars_of = (allowed & present[None, :]).sum(axis=1)
        self.rings: dict[int, Ring] = {}
        # each reviewer's place on its pillar's ring (a lookup per reviewer `cover` adds)
        self.place = np.zeros(n_reviewers, dtype=np.int64)
        reviewing = present & allowed[np.unique(reports.pillar)].any(axis=0)
        self.blocks = _blocks(
            reviewers.pillar[reviewing[reviewers.pillar]], block_reports, len(reports.members)
        )
        # a report's block by its seeded rank within its own pillar, so that every block has
        # the same share of each pillar's reports (as each ring's arcs have of its reviewers)
        self.report_block = np.zeros(len(reports.members), dtype=np.int64)
        # and its place within its pillar, as a fraction: a block's arcs take the reports of
        # its pillars interleaved in that order, evenly, not by the raw keys (whose ranges
        # differ from pillar to pillar within a block and would crowd one pillar's reports
        # onto a few reviewers at the arc's middle)
        fraction = np.zeros(len(reports.members), dtype=np.float64)
        for p in np.unique(reports.pillar).tolist():
            theirs = np.nonzero(reports.pillar == p)[0]
            ranked = theirs[np.argsort(reports.key[theirs], kind="stable")]
            self.report_block[ranked] = np.arange(len(ranked)) * self.blocks // len(ranked)
            fraction[ranked] = (np.arange(len(ranked)) + 0.5) / len(ranked)
        self.reviewer_block = np.zeros(n_reviewers, dtype=np.int64)
        # the arcs windows turn on: the whole rings, or each ring's block arcs
        self.arcs: list[tuple[Ring, Ring]] = []  # (arc, the whole ring it is cut from)
        self.cut = block_reports is not None
        self.arc_of = np.full(n_reviewers, -1, dtype=np.int64)
        self.arc_place = np.zeros(n_reviewers, dtype=np.int64)
        for p in np.nonzero(present)[0].tolist():
            on = np.nonzero(reviewers.pillar == p)[0]
            ring = on[np.argsort(reviewers.key[on], kind="stable")]
            self.place[ring] = np.arange(len(ring))
            self.reviewer_block[ring] = np.arange(len(ring)) * self.blocks // len(ring)
            mine = np.nonzero(allowed[reports.pillar, p])[0]
            if not len(mine):
                continue
            order = mine[np.argsort(reports.key[mine], kind="stable")]
            start = (np.arange(len(order), dtype=np.int64) * len(ring)) // len(order)
            whole = self.rings[p] = Ring(ring, order, start)
            # each block's arc of the ring, and its reports in index order, as slices
            arc_at = np.searchsorted(self.reviewer_block[ring], np.arange(self.blocks + 1))
            by_block = mine[np.argsort(self.report_block[mine], kind="stable")]
            report_at = np.searchsorted(self.report_block[by_block], np.arange(self.blocks + 1))
            for j in range(self.blocks):
                cut = ring[arc_at[j] : arc_at[j + 1]]
                theirs = by_block[report_at[j] : report_at[j + 1]]
                theirs = theirs[np.lexsort((reports.key[theirs], fraction[theirs]))]
                if not self.cut:
                    arc = whole
                else:
                    spread = np.arange(len(theirs), dtype=np.int64) * len(cut)
                    arc = Ring(cut, theirs, spread // max(len(theirs), 1))
                self.arc_of[cut] = len(self.arcs)
                self.arc_place[cut] = np.arange(len(cut))
                self.arcs.append((arc, whole))

    def graph(self, k: int, per_report: Ints, per_reviewer: Ints) -> Graph:
        """Each report's candidates: its share of `k` from each reviewing pillar's ring."""
        rules = self.rules
        rows: list[Ints] = []
        cols: list[Ints] = []
        for ring, whole in self.arcs:
            share = -(-k // self.pillars_of[rules.reports.pillar[ring.reports]])
            r, v = self._windows(ring, whole, share)
            rows.append(r)
            cols.append(v)
        r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        v = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        return _lists(rules, r, v, per_report, per_reviewer, self.sparse)

    def _windows(self, ring: Ring, whole: Ring, share: Ints) -> tuple[Ints, Ints]:
        m = len(ring.reviewers)
        width = min(m, int(share.max(initial=0)) * 2 + 4)
        places = (ring.start[:, None] + np.arange(width)[None, :]) % m
        r = np.broadcast_to(ring.reports[:, None], places.shape)
        v = ring.reviewers[places]
        ok = _pair_ok(self.rules, r.ravel(), v.ravel(), self.struck).reshape(places.shape)
        taken = ok & (np.cumsum(ok, axis=1) <= share[:, None])
        out_r, out_v = [r[taken]], [v[taken]]
        # rows the window left short walk on around the ring (rare: many exclusions in a row),
        # then, on a block's arc, on around the whole ring
        for i in np.nonzero(taken.sum(axis=1) < share)[0].tolist():
            report = int(ring.reports[i])
            want = int(share[i]) - int(taken[i].sum())
            extra: list[int] = []
            if width < m:
                extra = self._walk(report, ring, int(ring.start[i]) + width, m - width, want, [])
            if len(extra) < want and ring is not whole:
                have = [*v[i][taken[i]].tolist(), *extra]
                first = int(self.place[ring.reviewers[ring.start[i]]]) if m else 0
                more = self._walk(report, whole, first, len(whole.reviewers), want, have)
                extra += more[: want - len(extra)]
            out_r.append(np.full(len(extra), report, dtype=np.int64))
            out_v.append(np.array(extra, dtype=np.int64))
        return np.concatenate(out_r), np.concatenate(out_v)

    def _walk(
        self, report: int, ring: Ring, first: int, steps: int, want: int, have: list[int]
    ) -> list[int]:
        """Up to `want` reviewers allowed for `report` and not in `have`, clockwise from
        place `first` of `ring`, over `steps` places."""
        m = len(ring.reviewers)
        extra: list[int] = []
        for step in range(steps):
            reviewer = int(ring.reviewers[(first + step) % m])
            if reviewer not in have and self.allowed(report, reviewer):
                extra.append(reviewer)
                if len(extra) == want:
                    break
        return extra

    def allowed(self, r: int, v: int) -> bool:
        if v == self.rules.self_index[r] or v in self.sparse.get(r, ()):
            return False
        return dense_ok(self.rules, r, v)

    def cover(self, graph: Graph, short: dict[int, int], depth: int) -> None:
        """Add each reviewer of `short` (reviewer: lists it is on) to the lists of the reports
        whose windows start just before its place, until it is on `depth` lists (or on every
        list it may join): on its block's arc first, then on the whole ring."""
        rules = self.rules
        for v, on in sorted(short.items()):
            ring = self.rings.get(int(rules.reviewers.pillar[v]))
            if ring is None:
                continue
            if self.cut and self.arc_of[v] >= 0:
                arc, _ = self.arcs[int(self.arc_of[v])]
                on = self._cover_on(graph, v, on, depth, arc, int(self.arc_place[v]))
            self._cover_on(graph, v, on, depth, ring, int(self.place[v]))

    def _cover_on(self, graph: Graph, v: int, on: int, depth: int, ring: Ring, place: int) -> int:
        rules = self.rules
        n = len(ring.reports)
        first = int(np.searchsorted(ring.start, place, side="right")) - 1
        for step in range(n):
            if on >= depth:
                break
            r = int(ring.reports[(first - step) % n])
            if v in graph.candidates[r] or not self.allowed(r, v):
                continue
            cost = mix(np.array([rules.reports.key[r] ^ rules.reviewers.key[v]]))[0]
            graph.candidates[r].append(v)
            graph.costs[r].append(int(cost >> np.uint64(54)))
            graph.appended.append((r, v, graph.costs[r][-1]))
            graph.unsorted.add(r)
            on += 1
        return on


def _blocks(pillars: Ints, block_reports: int | None, n_reports: int) -> int:
    """How many blocks: about `block_reports` reports each, and every reviewing pillar's arc
    long enough for a window to turn on (`MIN_ARC` reviewers); `pillars`: the reviewing
    pillars' members."""
    if block_reports is None or not len(pillars):
        return 1
    sizes = np.bincount(pillars)
    smallest = int(sizes[sizes > 0].min())
    return max(1, min(n_reports // block_reports, smallest // MIN_ARC))


def _lists(
    rules: Rules,
    r: Ints,
    v: Ints,
    per_report: Ints,
    per_reviewer: Ints,
    sparse: dict[int, set[int]],
) -> Graph:
    """The candidate pairs as per-report lists, cheapest seeded cost first."""
    reports, reviewers = rules.reports, rules.reviewers
    value = mix(reports.key[r] ^ reviewers.key[v])
    order = _by_report_and_value(r, v, value, len(reports.members))
    r, v, value = r[order], v[order], value[order]
    bounds = np.searchsorted(r, np.arange(len(reports.members) + 1))
    cost = (value >> np.uint64(54)).astype(np.int64)
    # one int object per value, shared by every list that holds it, not one per candidate: at
    # 20,000 members that was 320,000 ints (10 MiB) held until the reasons are written
    shared = np.arange(max(len(reviewers.members), 1 << 10)).astype(object)
    v_list, c_list = shared[v].tolist(), shared[cost].tolist()
    candidates = [v_list[a:b] for a, b in itertools.pairwise(bounds.tolist())]
    costs = [c_list[a:b] for a, b in itertools.pairwise(bounds.tolist())]
    complete = bool((np.diff(bounds) == per_report).all())
    graph = Graph(reports, reviewers, candidates, costs, per_report, per_reviewer, complete, sparse)
    graph.arcs = (r, v, cost)
    return graph


def _by_report_and_value(r: Ints, v: Ints, value: npt.NDArray[np.uint64], n_reports: int) -> Ints:
    """`np.lexsort((v, value, r))`, from one sort of a word holding the report above the top
    bits of the value: when no two words are equal that is the same order (a report's values
    differ in their top bits), at a tenth of the three passes' time; otherwise the three passes.
    """
    bits = max((n_reports - 1).bit_length(), 1)
    if len(r) and bits < 64:
        word = (r.astype(np.uint64) << np.uint64(64 - bits)) | (value >> np.uint64(bits))
        order: Ints = np.argsort(word)
        ordered = word[order]
        if not (ordered[1:] == ordered[:-1]).any():
            return order
    return np.lexsort((v, value, r))
