"""Peer review rule version 6: every reviewer in scope keeps the load floor, also one whose
only candidates were the dearer halves of reciprocal pairs and were oriented away.

Found by the property tests' exploration (`make explore`): seven members of one country, four
of them reporting, reciprocal pairs forbidden, tolerance 1. Four governments may review the one
company's report, which needs two of them; the average is 8 reviews over 7 reviewers, so the
floor is 1 and cannot hold for all four. The complete graph widens the tolerance to 2 and says
so; on short lists version 5 kept tolerance 1 and left two governments with no review.
"""

from __future__ import annotations

from collections import Counter

import pytest

from governance.kernel.model import Pillar
from governance.reports.peer_review import assignment
from governance.reports.peer_review.assignment import AssignmentInput, Reviewable, assign_reviewers
from tests.governance.reports.exhaustive_review import tolerance_applied
from tests.governance.reports.test_peer_review import check_hard_constraints, check_loads, rulebook

PILLARS = [Pillar.COMPANY, *[Pillar.GOVERNMENT] * 4, Pillar.COMPANY, Pillar.COMPANY]
MEMBERS = tuple(
    Reviewable(member=f"m{i:02d}", pillar=p, country="Ωmega", group=None)
    for i, p in enumerate(PILLARS)
)
RULES = rulebook(
    exclude_same_country=False,
    exclude_same_group=False,
    forbid_reciprocal_pairs=True,
    load_tolerance=1,
)


def _assigned(version: int, short_lists: bool) -> tuple[assignment.Assignment, ...]:
    inp = AssignmentInput(
        year=2027, seed="s", reports=MEMBERS[:4], reviewers=MEMBERS, rule_version=version
    )
    with pytest.MonkeyPatch.context() as patch:
        if short_lists:
            patch.setattr(assignment, "FULL_GRAPH_PAIRS", 0)
        return assign_reviewers(inp, RULES)


@pytest.mark.parametrize("short_lists", [False, True])
def test_the_floor_holds_for_every_reviewer_in_scope_or_the_tolerance_widens(
    short_lists: bool,
) -> None:
    made = _assigned(6, short_lists)
    inp = AssignmentInput(year=2027, seed="s", reports=MEMBERS[:4], reviewers=MEMBERS)
    check_hard_constraints(inp, RULES, made)
    check_loads(inp, RULES, made)
    assert tolerance_applied(made, RULES) == 2
    assert all("tolerance" in a.reason for a in made)


def test_version_5_on_short_lists_still_recomputes_as_it_was() -> None:
    """A year assigned under version 5 recomputes to what was recorded, floor and all."""
    made = _assigned(5, short_lists=True)
    assert tolerance_applied(made, RULES) == 1
    load = Counter(a.reviewer for a in made)
    assert sorted(m.member for m in MEMBERS if load[m.member] == 0) == ["m01", "m02"]
