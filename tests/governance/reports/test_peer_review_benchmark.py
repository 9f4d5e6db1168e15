"""The peer review benchmark runs and reports what it measured (its figures are never asserted)."""

from __future__ import annotations

from bench import peer_review
from governance.rulebook.model import Rulebook


def test_the_rule_and_the_round_robin_make_the_same_number_of_assignments() -> None:
    members = peer_review.registry(60)
    assert len(members) == 60
    rulebook = Rulebook()
    wanted = 60 * rulebook.peer_review.reviewers_per_report
    assert peer_review.the_rule(members, rulebook) == wanted
    assert peer_review.round_robin(members, rulebook) == wanted


def test_the_report_has_a_row_per_size_with_its_ratio() -> None:
    text = peer_review.report(peer_review.run((30, 60), rounds=1), rounds=1)
    rows = [line for line in text.splitlines() if line.startswith(("| 30 |", "| 60 |"))]
    assert len(rows) == 2
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 4
        assert float(cells[3].replace(",", "")) > 0
