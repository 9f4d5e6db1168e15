"""Peer review rule version 2: short lists from seeded rings, exact counts without a pass over
all pairs, and the array-built flow, each checked against version 1's whole-graph answer."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from governance.kernel.model import Pillar
from governance.reports.peer_review import assignment, flow_arrays, flow_supplies, rings, solver
from governance.reports.peer_review.assignment import (
    AssignmentImpossible,
    AssignmentInput,
    Reviewable,
    assign_reviewers,
)
from governance.reports.peer_review.counts import allowed_counts
from governance.reports.peer_review.graph import Rules, build
from governance.reports.peer_review.version import RULE_VERSION
from governance.rulebook.model import PeerReview, Rulebook
from tests.governance.reports.test_peer_review import (
    check_hard_constraints,
    check_loads,
    rulebook,
)

PILLARS = (Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO, Pillar.OBSERVER)
VOTING = PILLARS[:3]
HOSTILE = ("Ωmega", "<script>", "a'b", "", *(f"c{i}" for i in range(8)))

row = st.tuples(
    # an observer now and then: nobody reviews its report under the default rulebook
    st.sampled_from((*VOTING * 4, Pillar.OBSERVER)),
    st.sampled_from(HOSTILE),
    st.one_of(st.none(), st.sampled_from(HOSTILE[:4])),
)
rows = st.lists(row, min_size=2, max_size=30)
# registries large enough to cut into several blocks of two reports
many_rows = st.lists(row, min_size=14, max_size=30)
flags = st.fixed_dictionaries(
    {
        "exclude_same_country": st.booleans(),
        "exclude_same_group": st.booleans(),
        "forbid_reciprocal_pairs": st.booleans(),
        "load_tolerance": st.integers(1, 3),
    }
)


def members_of(drawn: list[tuple[Pillar, str, str | None]]) -> tuple[Reviewable, ...]:
    return tuple(
        Reviewable(member=f"m{i:02d}", pillar=p, country=c or "none", group=g)
        for i, (p, c, g) in enumerate(drawn)
    )


def an_input(members: tuple[Reviewable, ...], data: st.DataObject) -> AssignmentInput:
    names = [m.member for m in members]
    pair = st.tuples(st.sampled_from(names), st.sampled_from(names))
    reporting = data.draw(st.lists(st.sampled_from(members), unique=True, min_size=1))
    # a reviewer listed with another country than its report (the input allows it)
    moved = data.draw(st.booleans())
    reviewers = tuple(
        m.model_copy(update={"country": "elsewhere"}) if moved and i == 0 else m
        for i, m in enumerate(members)
    )
    return AssignmentInput(
        year=2027,
        seed=data.draw(st.sampled_from(("s", "Ω seed", "x" * 40))),
        reports=tuple(reporting),
        reviewers=reviewers,
        conflicts=data.draw(st.frozensets(pair, max_size=3)),
        previous=data.draw(st.frozensets(pair, max_size=3)),
    )


@settings(max_examples=60)
@given(drawn=rows, review=flags, data=st.data())
def test_counts_without_pairs_equal_the_whole_mask(
    drawn: list[tuple[Pillar, str, str | None]], review: dict[str, object], data: st.DataObject
) -> None:
    inp = an_input(members_of(drawn), data)
    setup = assignment._Setup(inp, rulebook(**review))
    whole = build(setup.rules, setup.sparse, None)
    per_report, per_reviewer = allowed_counts(setup.rules, setup.sparse)
    assert per_report.tolist() == whole.allowed_per_report.tolist()
    assert per_reviewer.tolist() == whole.allowed_per_reviewer.tolist()


@settings(max_examples=40)
@given(drawn=rows, review=flags, data=st.data())
def test_the_array_flow_reaches_the_same_optimum_as_version_1s(
    drawn: list[tuple[Pillar, str, str | None]], review: dict[str, object], data: st.DataObject
) -> None:
    inp = an_input(members_of(drawn), data)
    setup, graph, _ = assignment._prepared(inp, rulebook(**review))
    setup.lower = data.draw(st.integers(0, max(setup.lower, 0)))
    spec = assignment._spec_of(setup, graph.candidates, graph.costs, [])
    old, new = solver.flow(spec), flow_arrays.flow(spec)
    supplied = flow_supplies.flow(spec)
    assert (old is None) == (new is None) == (supplied is None)
    if old is not None and new is not None and supplied is not None:
        event("solved")

        def tie_break(s: solver.Solution) -> int:
            return sum(
                spec.costs[r][spec.candidates[r].index(v)]
                for r, vs in enumerate(s.chosen)
                for v in vs
            )

        expected = (old.repeats, old.spread, tie_break(old))
        assert (new.repeats, new.spread, tie_break(new)) == expected
        assert (supplied.repeats, supplied.spread, tie_break(supplied)) == expected


@settings(max_examples=40)
@given(drawn=rows, review=flags, data=st.data())
def test_short_lists_from_rings_meet_every_rule_or_name_the_one_that_binds(
    drawn: list[tuple[Pillar, str, str | None]],
    review: dict[str, object],
    data: st.DataObject,
) -> None:
    inp = an_input(members_of(drawn), data)
    rb = rulebook(**review)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assignment, "FULL_GRAPH_PAIRS", 0)  # every instance on short lists
        try:
            new = assign_reviewers(inp, rb)
        except AssignmentImpossible as refused:
            problems = refused.problems
        else:
            problems = []
    if problems:
        event("refused")
        assert all(p.path and p.reason for p in problems)
        return
    event("assigned")
    check_hard_constraints(inp, rb, new)
    check_loads(inp, rb, new)
    assert all(a.reason.endswith(f"rule version {RULE_VERSION}") for a in new)


def big_registry(n: int) -> tuple[Reviewable, ...]:
    return tuple(
        Reviewable(
            member=f"m{i:04d}",
            pillar=PILLARS[i % 3],
            country=f"c{i % 40}",
            group=f"g{i % 90}" if i % 4 == 0 else None,
        )
        for i in range(n)
    )


def test_version_2_never_scans_every_pair_and_covers_every_reviewer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def whole_pass(*_: object) -> None:
        raise AssertionError("version 2 looked at every report x reviewer pair")

    monkeypatch.setattr(Rules, "mask", whole_pass)
    monkeypatch.setattr(Rules, "column", whole_pass)
    members = big_registry(600)
    inp = AssignmentInput(year=2027, seed="rings", reports=members, reviewers=members)
    setup, graph, k = assignment._prepared(inp, Rulebook())
    assert k == 8
    assert not graph.complete
    assignment._cover(setup, graph)
    on = Counter(v for cands in graph.candidates for v in cands)
    depth = setup.lower + Rulebook().peer_review.reviewers_per_report
    for v in np.nonzero(setup.in_scope)[0].tolist():
        assert on[v] >= min(depth, int(graph.allowed_per_reviewer[v]))
    new = assign_reviewers(inp, Rulebook())
    check_hard_constraints(inp, Rulebook(), new)
    check_loads(inp, Rulebook(), new)


def test_a_past_year_recomputes_with_the_rule_it_was_assigned_by() -> None:
    members = big_registry(600)
    inp = AssignmentInput(year=2027, seed="old", reports=members, reviewers=members, rule_version=1)
    again = assign_reviewers(inp, Rulebook())
    assert again == assign_reviewers(inp, Rulebook())
    # reasons as version 1 stored them, without a version
    assert not any("rule version" in a.reason for a in again)
    current = assign_reviewers(inp.model_copy(update={"rule_version": 2}), Rulebook())
    check_hard_constraints(inp, Rulebook(), current)
    assert PeerReview().reviewers_per_report * len(members) == len(current) == len(again)


@settings(max_examples=60)
@given(drawn=many_rows, review=flags, data=st.data())
def test_rings_cut_into_blocks_meet_every_rule_and_each_block_solved_alone_is_the_whole_optimum(
    drawn: list[tuple[Pillar, str, str | None]], review: dict[str, object], data: st.DataObject
) -> None:
    """Rule version 5 cuts the rings into blocks solved one by one: on small registries cut
    into blocks of two reports, every rule still holds (or the binding one is named), and the
    blocks' optima together have the levels of one flow over the same candidates."""
    inp = an_input(members_of(drawn), data)
    rb = rulebook(**review)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assignment, "FULL_GRAPH_PAIRS", 0)
        patch.setattr(assignment, "BLOCK_REPORTS", 2)
        patch.setattr(rings, "MIN_ARC", 1)
        setup, graph, _ = assignment._prepared(inp, rb)
        assert setup.rings is not None
        assignment._cover(setup, graph)
        spec = assignment._oriented_spec(setup, graph)
        parts = setup.rings.report_block, setup.rings.reviewer_block
        arcs = flow_supplies.arcs_of(spec)
        whole, blocks = flow_supplies.flow(spec), flow_supplies.flow_in_blocks(spec, arcs, *parts)
        assert (whole is None) == (blocks is None)
        if whole is not None and blocks is not None:
            event(f"{setup.rings.blocks} blocks")

            def levels(s: solver.Solution) -> tuple[int, int, int]:
                tie = sum(
                    spec.costs[r][spec.candidates[r].index(v)]
                    for r, vs in enumerate(s.chosen)
                    for v in vs
                )
                return s.repeats, s.spread, tie

            assert levels(blocks) == levels(whole)
        try:
            new = assign_reviewers(inp, rb)
        except AssignmentImpossible as refused:
            problems = refused.problems
        else:
            problems = []
    if problems:
        assert all(p.path and p.reason for p in problems)
        return
    check_hard_constraints(inp, rb, new)
    # check_loads counts the scope with both exclusions on, as the default rulebook has them
    if rb.peer_review.exclude_same_country and rb.peer_review.exclude_same_group:
        check_loads(inp, rb, new)
