"""An independent answer to "does any peer-review assignment exist?", for the property tests.

It shares nothing with the solver but the rulebook's wording (assignment.py's docstring): it
lists, report by report, every set of allowed reviewers, keeping the loads within the bounds
around the average and no two members reviewing each other, and stops at the first complete
assignment. Two counting arguments cut branches that cannot succeed: the reviews still to give
must fit the reviewers' remaining room, and must cover the reviews still owed to reach each
reviewer's floor, counting only reports that reviewer may still take.
"""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction

from governance.reports.peer_review.assignment import Assignment, AssignmentInput, Reviewable
from governance.rulebook.model import Rulebook


def _allowed(v: Reviewable, r: Reviewable, inp: AssignmentInput, rb: Rulebook) -> bool:
    review = rb.peer_review
    return (
        v.member != r.member
        and v.pillar in review.reviewers_for[r.pillar]
        and not (review.exclude_same_country and v.country == r.country)
        and not (review.exclude_same_group and r.group is not None and v.group == r.group)
        and (v.member, r.member) not in inp.conflicts
        and not (review.forbid_repeat_of_previous_year and (v.member, r.member) in inp.previous)
    )


def an_assignment_exists(inp: AssignmentInput, rb: Rulebook) -> bool:
    """True if some assignment of new reviewers (no existing ones) meets every hard rule."""
    assert not inp.existing, "the search covers a first draw only"
    review = rb.peer_review
    need = review.reviewers_per_report
    reports = list(inp.reports)
    candidates = {
        r.member: [v.member for v in inp.reviewers if _allowed(v, r, inp, rb)] for r in reports
    }
    if any(len(c) < need for c in candidates.values()):
        return False  # a report with fewer possible reviewers than it needs
    scope = sorted({v for c in candidates.values() for v in c})
    total = need * len(reports)
    average = Fraction(total, len(scope))
    upper = math.floor(average + review.load_tolerance)
    lower = max(0, math.ceil(average - review.load_tolerance))
    load = dict.fromkeys(scope, 0)
    chosen: set[tuple[str, str]] = set()  # (reviewer, reported)
    # the most constrained report first: fewer branches near the root
    order = sorted(reports, key=lambda r: (len(candidates[r.member]), r.member))

    def promising(index: int) -> bool:
        ahead = order[index:]
        units = need * len(ahead)
        room = sum(upper - load[v] for v in scope)
        if units > room:
            return False
        owed = 0
        for v in scope:
            deficit = lower - load[v]
            if deficit <= 0:
                continue
            reachable = sum(1 for r in ahead if v in candidates[r.member])
            if reachable < deficit:
                return False
            owed += deficit
        return owed <= units

    def search(index: int) -> bool:
        if index == len(order):
            return all(load[v] >= lower for v in scope)
        if not promising(index):
            return False
        report = order[index].member
        open_ = [
            v
            for v in candidates[report]
            if load[v] < upper and not (review.forbid_reciprocal_pairs and (report, v) in chosen)
        ]
        for group in itertools.combinations(open_, need):
            for v in group:
                load[v] += 1
                chosen.add((v, report))
            if search(index + 1):
                return True
            for v in group:
                load[v] -= 1
                chosen.discard((v, report))
        return False

    return search(0)


# Rule version 3 widens the load tolerance when the rulebook's admits no assignment, and says so
# in every reason; the tests read the tolerance applied back from there.
_WIDENED = re.compile(r"load tolerance widened from the rulebook's (\d+) to (\d+)")
# a tolerance no load reaches: the load rule binds nobody
UNBOUNDED = 100_000


def tolerance_applied(new: tuple[Assignment, ...], rb: Rulebook) -> int:
    """The tolerance the assignments were made within: the rulebook's unless they name another
    (then all of them name the same, widened from the rulebook's)."""
    named = {m.groups() for a in new if (m := _WIDENED.search(a.reason))}
    if not named:
        return rb.peer_review.load_tolerance
    assert len(named) == 1, named
    assert all(_WIDENED.search(a.reason) for a in new)
    ((start, applied),) = named
    assert int(start) == rb.peer_review.load_tolerance
    assert int(applied) > int(start)
    return int(applied)


def at_tolerance(rb: Rulebook, tolerance: int) -> Rulebook:
    """The rulebook with another load tolerance (past the rulebook's own limit of 10, unchecked,
    for UNBOUNDED)."""
    review = rb.peer_review.model_copy(update={"load_tolerance": tolerance})
    return rb.model_copy(update={"peer_review": review})
