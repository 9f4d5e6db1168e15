"""The peer review benchmark runs and reports what it measured (its figures are never asserted)."""

from __future__ import annotations

from bench import peer_review
from governance.rulebook.model import Rulebook


def test_the_rule_assigns_every_report_of_the_benchmark_registry() -> None:
    members = peer_review.registry(60)
    assert len(members) == 60
    rulebook = Rulebook()
    assert peer_review.the_rule(members, rulebook) == 60 * rulebook.peer_review.reviewers_per_report


def test_the_anchor_solves_the_arcs_the_rule_solved() -> None:
    with peer_review._phases() as seen:
        peer_review.the_rule(peer_review.registry(60), Rulebook())
    assert seen.specs
    assert set(seen.phases) == set(peer_review.PHASES)
    assert peer_review.bare_flow(seen.specs[-1]) > 0


def test_the_report_has_a_row_per_size_with_its_ratio_and_spread() -> None:
    text = peer_review.report(peer_review.run((30, 60), rounds=1, memory=False), rounds=1)
    rows = [line for line in text.splitlines() if line.startswith(("| 30 |", "| 60 |"))]
    assert len(rows) == 2
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 11
        ratio = cells[4]
        assert "(" in ratio
        assert float(ratio.split()[0].replace(",", "")) > 0
