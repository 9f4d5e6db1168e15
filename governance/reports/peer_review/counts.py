"""How many members may review each report, and each reviewer how many reports, without
looking at every pair.

The dense exclusions depend only on pillar, country and group, so the members they remove are
counted from tallies of (pillar, country), (pillar, group) and (pillar, country, group), by
inclusion and exclusion; itself and the listed pairs are then taken off one by one. At 20,000
members this replaces a pass over 400 million pairs with a few passes over 20,000 members.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from governance.reports.peer_review.graph import PILLARS, Rules, Side

Counts = npt.NDArray[np.int64]


class _Tally:
    """How many of some integer keys equal each asked key (sparse: keys can be large).

    Keys below a `bound` not much above their number are counted in a table read directly
    (a (pillar, country) key at 20,000 members), the others looked up in their sorted values.
    """

    def __init__(self, keys: npt.NDArray[np.int64], bound: int | None = None) -> None:
        self.table: Counts | None = None
        if bound is not None and bound <= 8 * len(keys) + (1 << 16):
            self.table = np.bincount(keys, minlength=bound).astype(np.int64)
            return
        self.keys, self.counts = np.unique(keys, return_counts=True)

    def __getitem__(self, asked: npt.NDArray[np.int64]) -> Counts:
        if self.table is not None:
            return self.table[asked]
        at = np.searchsorted(self.keys, asked)
        at = np.minimum(at, max(len(self.keys) - 1, 0))
        if not len(self.keys):
            return np.zeros(len(asked), dtype=np.int64)
        return np.where(self.keys[at] == asked, self.counts[at], 0).astype(np.int64)


class _Keys:
    """Combined integer keys of (pillar, country), (pillar, group), (pillar, country, group)."""

    def __init__(self, side: Side, n_codes: int) -> None:
        self.n_codes = n_codes
        self.pc = side.pillar * n_codes + side.country
        group = np.where(side.group < 0, 0, side.group)
        self.pg = side.pillar * n_codes + group
        self.pcg = (side.pillar * n_codes + side.country) * n_codes + group
        self.has_group = side.group >= 0


def _removed(
    rules: Rules,
    counted: Side,
    other: Side,
    allowed: npt.NDArray[np.bool_],
) -> Counts:
    """For each member of `other`, how many members of `counted` that its pillar pairs with
    (allowed[other pillar, counted pillar]) the dense country and group exclusions remove."""
    review = rules.review
    n_codes = (
        int(
            max(
                counted.country.max(initial=0),
                counted.group.max(initial=0),
                other.country.max(initial=0),
                other.group.max(initial=0),
            )
        )
        + 1
    )
    keys = _Keys(counted, n_codes)
    n_p = len(PILLARS)
    # every (pillar, country) and (pillar, group) key, asked or counted, is below this
    bound = n_p * n_codes
    by_pc = _Tally(keys.pc, bound)
    grouped = keys.has_group
    by_pg = _Tally(keys.pg[grouped], bound)
    by_pcg = _Tally(keys.pcg[grouped])
    removed = np.zeros(len(other.members), dtype=np.int64)
    other_group = np.where(other.group < 0, 0, other.group)
    for p in range(n_p):
        pairs = allowed[other.pillar, p]
        if not pairs.any():
            continue
        country = np.zeros(len(other.members), dtype=np.int64)
        group = np.zeros(len(other.members), dtype=np.int64)
        both = np.zeros(len(other.members), dtype=np.int64)
        if review.exclude_same_country:
            country = by_pc[p * n_codes + other.country]
        if review.exclude_same_group:
            group = np.where(other.group >= 0, by_pg[p * n_codes + other_group], 0)
        if review.exclude_same_country and review.exclude_same_group:
            key = (p * n_codes + other.country) * n_codes + other_group
            both = np.where(other.group >= 0, by_pcg[key], 0)
        removed += np.where(pairs, country + group - both, 0)
    return removed


def allowed_counts(rules: Rules, sparse: dict[int, set[int]]) -> tuple[Counts, Counts]:
    """(per report: members allowed to review it, per reviewer: reports it may review)."""
    reports, reviewers = rules.reports, rules.reviewers
    n_p = len(PILLARS)
    allowed = np.zeros((n_p, n_p), dtype=bool)  # reported pillar x reviewing pillar
    for reported, reviewing in rules.review.reviewers_for.items():
        for pillar in reviewing:
            allowed[PILLARS.index(reported), PILLARS.index(pillar)] = True
    reviewers_in = np.bincount(reviewers.pillar, minlength=n_p)
    reports_in = np.bincount(reports.pillar, minlength=n_p)
    per_report = (allowed.astype(np.int64) @ reviewers_in)[reports.pillar]
    per_reviewer = (allowed.T.astype(np.int64) @ reports_in)[reviewers.pillar]
    per_report = per_report - _removed(rules, reviewers, reports, allowed)
    per_reviewer = per_reviewer - _removed(rules, reports, reviewers, allowed.T)
    # itself, and the listed pairs, when the dense rules have not removed them already
    own = rules.self_index
    selves = np.nonzero(own >= 0)[0]
    # a member is one report and one reviewer: each index below appears once
    counted = selves[dense_ok_pairs(rules, selves, own[selves])]
    per_report[counted] -= 1
    per_reviewer[own[counted]] -= 1
    for r, struck in sparse.items():
        for v in struck:
            if v != own[r] and dense_ok(rules, r, v):
                per_report[r] -= 1
                per_reviewer[v] -= 1
    return per_report, per_reviewer


def dense_ok_pairs(
    rules: Rules, r: npt.NDArray[np.int64], v: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """`dense_ok` for the pairs (r[i], v[i]) at once."""
    reports, reviewers, review = rules.reports, rules.reviewers, rules.review
    ok: npt.NDArray[np.bool_] = rules.pillar_ok[reports.pillar[r], v]
    if review.exclude_same_country:
        ok &= reports.country[r] != reviewers.country[v]
    if review.exclude_same_group:
        ok &= (reports.group[r] < 0) | (reports.group[r] != reviewers.group[v])
    return ok


def dense_ok(rules: Rules, r: int, v: int) -> bool:
    """Whether pillar, country and group allow reviewer `v` for report `r` (self not checked)."""
    reports, reviewers, review = rules.reports, rules.reviewers, rules.review
    if not rules.pillar_ok[reports.pillar[r], v]:
        return False
    if review.exclude_same_country and reports.country[r] == reviewers.country[v]:
        return False
    group = reports.group[r]
    return not (review.exclude_same_group and group >= 0 and reviewers.group[v] == group)
