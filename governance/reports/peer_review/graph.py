"""Who may review which report, and the candidate graph the exact solver works on.

Hard exclusions come in two kinds. Dense ones are a property of the two members (pillar, self,
country, group) and are evaluated for whole blocks of reports at once with numpy; sparse ones are
listed pairs (declared conflicts, last year's pairs, this year's existing assignments) and are
struck out one by one. Every allowed pair has a seeded cost: a 64-bit mix of the two members'
seeded hashes, so anyone holding the seed can recompute the order, and no pair hash has to be
computed one Python call at a time (20,000 x 20,000 pairs would take minutes).
"""

from __future__ import annotations

import hashlib
import itertools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from governance.kernel.model import Pillar
from governance.rulebook.model import PeerReview

U64 = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]
BLOCK = 256
_NEVER = np.uint64(2**64 - 1)
PILLARS: tuple[Pillar, ...] = tuple(Pillar)
_PILLAR_AT = {pillar: at for at, pillar in enumerate(PILLARS)}


@dataclass(frozen=True, slots=True)
class Side:
    """One side of the bipartite graph (reports or reviewers), sorted by member id."""

    members: tuple[str, ...]
    pillar: npt.NDArray[np.int64]
    country: npt.NDArray[np.int64]
    group: npt.NDArray[np.int64]  # -1: no group
    key: U64


def seeded_key(seed: str, year: int, role: str, member: str) -> int:
    digest = hashlib.blake2b(f"{seed}:{year}:{role}:{member}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def seeded_keys(seed: str, year: int, role: str, members: Iterable[str]) -> U64:
    """`seeded_key` of each member, read as big-endian words in one pass rather than one
    Python int each (40,000 of them at 20,000 members)."""
    # the text's shared start is hashed once; each member's hash continues from a copy of it
    start = hashlib.blake2b(f"{seed}:{year}:{role}:".encode(), digest_size=8)
    digests = []
    for member in members:
        each = start.copy()
        each.update(member.encode())
        digests.append(each.digest())
    return np.frombuffer(b"".join(digests), dtype=">u8").astype(np.uint64)


def side(
    seed: str,
    year: int,
    role: str,
    rows: Sequence[tuple[str, Pillar, str, str | None]],
    codes: dict[str, int],
) -> Side:
    """Encode members for vector work; `codes` numbers countries and groups across both sides."""

    # a new value takes the next number: the arguments are evaluated before it is added
    code = codes.setdefault
    members = tuple(map(operator.itemgetter(0), rows))
    return Side(
        members=members,
        pillar=np.array([_PILLAR_AT[r[1]] for r in rows], dtype=np.int64),
        country=np.array([code("c:" + r[2], len(codes)) for r in rows], dtype=np.int64),
        group=np.array(
            [-1 if r[3] is None else code("g:" + r[3], len(codes)) for r in rows], dtype=np.int64
        ),
        key=seeded_keys(seed, year, role, members),
    )


def mix(values: U64) -> U64:
    """splitmix64's finaliser: spreads the xor of two seeded keys over 64 bits."""
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


@dataclass
class Graph:
    """The allowed pairs as candidate lists: for each report, reviewer indices cheapest first."""

    reports: Side
    reviewers: Side
    candidates: list[list[int]]
    costs: list[list[int]]
    allowed_per_report: npt.NDArray[np.int64]
    allowed_per_reviewer: npt.NDArray[np.int64]
    complete: bool  # every allowed pair is a candidate
    sparse: dict[int, set[int]] = field(default_factory=dict)
    # the lists as arrays (report, reviewer, cost) when they were made from arrays, in the
    # lists' order, and the (report, reviewer, cost) a cover appended to them since, in order
    arcs: tuple[Ints, Ints, Ints] | None = None
    appended: list[tuple[int, int, int]] = field(default_factory=list)
    # the reports whose lists a cover appended to: the others' are in increasing seeded cost
    unsorted: set[int] = field(default_factory=set)

    def arrays(self) -> tuple[Ints, Ints, Ints]:
        """The candidates as arrays (report, reviewer, seeded cost), in the lists' order."""
        if self.arcs is None:
            n = len(self.candidates)
            lengths = np.fromiter((len(c) for c in self.candidates), dtype=np.int64, count=n)
            r = np.repeat(np.arange(n, dtype=np.int64), lengths)
            v = np.fromiter(itertools.chain.from_iterable(self.candidates), np.int64, len(r))
            cost = np.fromiter(itertools.chain.from_iterable(self.costs), np.int64, len(r))
            return r, v, cost
        r, v, cost = self.arcs
        if not self.appended:
            return r, v, cost
        more = np.array(self.appended, dtype=np.int64).reshape(-1, 3)
        # a report's appended candidates follow its own, in the order they were appended
        order = np.argsort(np.concatenate((r, more[:, 0])), kind="stable")
        return (
            np.concatenate((r, more[:, 0]))[order],
            np.concatenate((v, more[:, 1]))[order],
            np.concatenate((cost, more[:, 2]))[order],
        )


class Rules:
    """The rulebook's exclusions in vector form."""

    def __init__(
        self,
        review: PeerReview,
        reports: Side,
        reviewers: Side,
        index: dict[str, int] | None = None,
    ) -> None:
        """`index`: each reviewer's index by member, when the caller has it already."""
        allowed = np.zeros((len(PILLARS), len(PILLARS)), dtype=bool)
        for reported, reviewing in review.reviewers_for.items():
            for pillar in reviewing:
                allowed[PILLARS.index(reported), PILLARS.index(pillar)] = True
        self.review = review
        self.reports = reports
        self.reviewers = reviewers
        self.pillar_ok = allowed[:, reviewers.pillar]  # reported pillar x reviewer
        self.self_index = positions(reports.members, reviewers.members, index)

    def mask(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Dense exclusions for the reports `rows` (by index): True where the pair is allowed."""
        ok = self.pillar_ok[self.reports.pillar[rows]].copy()
        if self.review.exclude_same_country:
            ok &= self.reviewers.country[None, :] != self.reports.country[rows, None]
        if self.review.exclude_same_group:
            group = self.reports.group[rows, None]
            ok &= (self.reviewers.group[None, :] != group) | (group < 0)
        own = self.self_index[rows]
        hit = own >= 0
        ok[np.nonzero(hit)[0], own[hit]] = False
        return ok

    def column(self, v: int) -> npt.NDArray[np.bool_]:
        """Dense exclusions for reviewer `v` against every report: True where allowed."""
        reports, reviewers = self.reports, self.reviewers
        ok: npt.NDArray[np.bool_] = self.pillar_ok[reports.pillar, v].copy()
        if self.review.exclude_same_country:
            ok &= reports.country != reviewers.country[v]
        if self.review.exclude_same_group:
            ok &= (reports.group != reviewers.group[v]) | (reports.group < 0)
        ok &= self.self_index != v
        return ok


def positions(
    members: tuple[str, ...], among: tuple[str, ...], index: dict[str, int] | None = None
) -> Ints:
    """Each of `members`' place in `among` (-1: absent); `index`: `among`'s places by member,
    when the caller has it. When every member reports and reviews, the two sides are the
    same sorted members and the places are the positions themselves."""
    if members == among:
        return np.arange(len(members), dtype=np.int64)
    if index is None:
        index = {m: i for i, m in enumerate(among)}
    return np.array([index.get(m, -1) for m in members], dtype=np.int64)


def build(rules: Rules, sparse: dict[int, set[int]], k: int | None) -> Graph:
    """Each report's `k` cheapest allowed reviewers (all of them when `k` is None)."""
    reports, reviewers = rules.reports, rules.reviewers
    n_reports, n_reviewers = len(reports.members), len(reviewers.members)
    per_report = np.zeros(n_reports, dtype=np.int64)
    per_reviewer = np.zeros(n_reviewers, dtype=np.int64)
    candidates: list[list[int]] = []
    costs: list[list[int]] = []
    complete = True
    for start in range(0, n_reports, BLOCK):
        rows = np.arange(start, min(start + BLOCK, n_reports))
        ok = rules.mask(rows)
        for offset, row in enumerate(rows.tolist()):
            struck = list(sparse.get(row, ()))
            if struck:
                ok[offset, struck] = False
        per_report[rows] = ok.sum(axis=1)
        per_reviewer += ok.sum(axis=0)
        cost = mix(reviewers.key[None, :] ^ reports.key[rows, None])
        cost[~ok] = _NEVER
        take = n_reviewers if k is None else min(k, n_reviewers)
        if take < n_reviewers:
            order = np.argpartition(cost, take - 1, axis=1)[:, :take]
        else:
            order = np.broadcast_to(np.arange(n_reviewers), cost.shape)
        picked = np.take_along_axis(cost, order, axis=1)
        for offset in range(len(rows)):
            allowed = picked[offset] != _NEVER
            idx, val = order[offset][allowed], picked[offset][allowed]
            sort = np.argsort(val, kind="stable")
            candidates.append(idx[sort].tolist())
            # the top 10 bits: small enough that the weighted lexicographic objective fits in int64
            costs.append((val[sort] >> np.uint64(54)).astype(np.int64).tolist())
            complete &= len(candidates[-1]) == per_report[start + offset]
    return Graph(reports, reviewers, candidates, costs, per_report, per_reviewer, complete, sparse)


def cover(graph: Graph, rules: Rules, reviewers: Iterable[int], depth: int) -> None:
    """Add each of `reviewers` to the candidate lists of its `depth` cheapest allowed reports.

    A load floor can require a reviewer that no report's short list happens to contain.
    """
    reports = graph.reports
    for v in reviewers:
        ok = rules.column(v)
        for r, struck in graph.sparse.items():
            if v in struck:
                ok[r] = False
        cost = mix(reports.key ^ graph.reviewers.key[v])
        cost[~ok] = _NEVER
        for r in np.argsort(cost, kind="stable")[:depth].tolist():
            if cost[r] == _NEVER or v in graph.candidates[r]:
                continue
            graph.candidates[r].append(v)
            graph.costs[r].append(int(cost[r] >> np.uint64(54)))
            graph.unsorted.add(r)
