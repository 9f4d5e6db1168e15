"""The indicators benchmark (issue 22) runs and reports what it measured, elapsed and of processor
time per submission (its figures are never asserted, only their presence and their shape)."""

from __future__ import annotations

from bench import indicators


def test_the_report_has_a_row_per_size_with_the_time_per_submission() -> None:
    text = indicators.main(sizes=(12, 20), write=False)
    rows = [line for line in text.splitlines() if line.startswith(("| 12 |", "| 20 |"))]
    assert len(rows) == 2
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 10
        for each in (cells[2], cells[4], cells[5]):
            elapsed, cpu = each.split()
            assert float(elapsed) > 0
            assert cpu.startswith("(")
            assert cpu.endswith(")")
            assert float(cpu.strip("()")) > 0
