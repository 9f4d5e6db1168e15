"""The roster benchmark runs and reports what it measured (its figures are never asserted)."""

from __future__ import annotations

from bench import roster
from governance.roster.rule import RosterRules, forecast
from governance.rulebook.model import Rulebook


def test_the_rule_and_the_baseline_draw_the_same_number_of_presenters_once_caught_up() -> None:
    registry = roster.registry(300)
    rules = RosterRules.of(Rulebook())
    assert len(registry.members) == 300
    # The generated ledger leaves many members past their cycle: the first draw takes them all
    # (rule 2); from then on both fill ceil(eligible / 3) slots a year.
    years = forecast(roster.YEAR, 11, roster.as_of, registry.members, registry.ledger, rules, "b")
    first, *rest = years
    assert len(first.slots) >= max(len(first.required), 100)
    assert set(first.required) <= set(first.members)
    assert [len(d.slots) for d in rest] == [100] * 10
    # the anchor takes a third of each pillar (57, 168, 75 members) every one of the 11 years
    assert roster.numpy_ranking(registry, rules) == 11 * (19 + 56 + 25)
    assert roster.the_rule(registry, rules) >= roster.numpy_ranking(registry, rules)


def test_the_report_has_a_row_per_size_with_both_ratios_and_the_spread() -> None:
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
        assert len(cells) == 10
        for ratio in (cells[3], cells[6]):  # elapsed and processor time, each with its spread
            assert "(" in ratio
            assert float(ratio.split()[0]) > 0
        assert float(cells[9]) > 0
