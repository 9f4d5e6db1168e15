"""The roster benchmark runs and reports what it measured (its figures are never asserted)."""

from __future__ import annotations

from bench import roster
from governance.roster.rule import RosterRules
from governance.rulebook.model import Rulebook


def test_the_rule_and_the_baseline_draw_the_same_number_of_presenters() -> None:
    registry = roster.registry(300)
    rules = RosterRules.of(Rulebook())
    assert len(registry.members) == 300
    # Both fill ceil(eligible / 3) slots a year for eleven years.
    assert roster.the_rule(registry, rules) == roster.plain_rotation(registry, rules)


def test_the_report_has_a_row_per_size_with_both_ratios() -> None:
    results = roster.run((80, 120), rounds=1)
    text = roster.report(results, rounds=1)
    rows = [
        line
        for line in text.splitlines()
        if line.startswith("| 80 |") or line.startswith("| 120 |")
    ]
    assert len(rows) == 2
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 7
        assert float(cells[3]) > 0
        assert float(cells[6]) > 0
