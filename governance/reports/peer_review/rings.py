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

from governance.reports.peer_review.counts import dense_ok
from governance.reports.peer_review.graph import PILLARS, Graph, Rules, mix

Ints = npt.NDArray[np.int64]


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
    reports, reviewers, review = rules.reports, rules.reviewers, rules.review
    ok: npt.NDArray[np.bool_] = rules.pillar_ok[reports.pillar[r], v]
    if review.exclude_same_country:
        ok &= reports.country[r] != reviewers.country[v]
    if review.exclude_same_group:
        ok &= (reports.group[r] < 0) | (reports.group[r] != reviewers.group[v])
    ok &= rules.self_index[r] != v
    if len(struck):
        ok &= ~np.isin(r * len(reviewers.members) + v, struck)
    return ok


class Rings:
    """The rings of one instance and the candidate graph they give for a list length `k`."""

    def __init__(self, rules: Rules, sparse: dict[int, set[int]]) -> None:
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
        for p in np.nonzero(present)[0].tolist():
            on = np.nonzero(reviewers.pillar == p)[0]
            ring = on[np.argsort(reviewers.key[on], kind="stable")]
            self.place[ring] = np.arange(len(ring))
            mine = np.nonzero(allowed[reports.pillar, p])[0]
            if not len(mine):
                continue
            order = mine[np.argsort(reports.key[mine], kind="stable")]
            start = (np.arange(len(order), dtype=np.int64) * len(ring)) // len(order)
            self.rings[p] = Ring(ring, order, start)

    def graph(self, k: int, per_report: Ints, per_reviewer: Ints) -> Graph:
        """Each report's candidates: its share of `k` from each reviewing pillar's ring."""
        rules = self.rules
        rows: list[Ints] = []
        cols: list[Ints] = []
        for ring in self.rings.values():
            share = -(-k // self.pillars_of[rules.reports.pillar[ring.reports]])
            r, v = self._windows(ring, share)
            rows.append(r)
            cols.append(v)
        r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        v = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        return _lists(rules, r, v, per_report, per_reviewer, self.sparse)

    def _windows(self, ring: Ring, share: Ints) -> tuple[Ints, Ints]:
        m = len(ring.reviewers)
        width = min(m, int(share.max(initial=0)) * 2 + 4)
        places = (ring.start[:, None] + np.arange(width)[None, :]) % m
        r = np.broadcast_to(ring.reports[:, None], places.shape)
        v = ring.reviewers[places]
        ok = _pair_ok(self.rules, r.ravel(), v.ravel(), self.struck).reshape(places.shape)
        taken = ok & (np.cumsum(ok, axis=1) <= share[:, None])
        out_r, out_v = [r[taken]], [v[taken]]
        # rows the window left short walk on around the ring (rare: many exclusions in a row)
        for i in np.nonzero(taken.sum(axis=1) < share)[0].tolist():
            if width >= m:
                continue
            report = int(ring.reports[i])
            want = int(share[i]) - int(taken[i].sum())
            extra = []
            for step in range(width, m):
                reviewer = int(ring.reviewers[(ring.start[i] + step) % m])
                if self.allowed(report, reviewer):
                    extra.append(reviewer)
                    if len(extra) == want:
                        break
            out_r.append(np.full(len(extra), report, dtype=np.int64))
            out_v.append(np.array(extra, dtype=np.int64))
        return np.concatenate(out_r), np.concatenate(out_v)

    def allowed(self, r: int, v: int) -> bool:
        if v == self.rules.self_index[r] or v in self.sparse.get(r, ()):
            return False
        return dense_ok(self.rules, r, v)

    def cover(self, graph: Graph, short: dict[int, int], depth: int) -> None:
        """Add each reviewer of `short` (reviewer: lists it is on) to the lists of the reports
        whose windows start just before its place, until it is on `depth` lists (or on every
        list it may join)."""
        rules = self.rules
        for v, on in sorted(short.items()):
            ring = self.rings.get(int(rules.reviewers.pillar[v]))
            if ring is None:
                continue
            place = self.place[v]
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
                on += 1


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
    order = np.lexsort((v, value, r))
    r, v, value = r[order], v[order], value[order]
    bounds = np.searchsorted(r, np.arange(len(reports.members) + 1))
    cost = (value >> np.uint64(54)).astype(np.int64)
    v_list, c_list = v.tolist(), cost.tolist()
    candidates = [v_list[a:b] for a, b in itertools.pairwise(bounds.tolist())]
    costs = [c_list[a:b] for a, b in itertools.pairwise(bounds.tolist())]
    complete = bool((np.diff(bounds) == per_report).all())
    return Graph(reports, reviewers, candidates, costs, per_report, per_reviewer, complete, sparse)
