"""The reporting-cycle benchmark runs a real cycle end to end at a small size (its figures are
never asserted, only that it measured what it reports)."""

from __future__ import annotations

import pytest

from bench import report_cycle
from tests.conftest import TEST_SERVER

pytestmark = pytest.mark.temporal


async def test_a_small_cycle_is_reported_reviewed_and_measured_against_its_baseline() -> None:
    result = await report_cycle._one_size(30, str(TEST_SERVER))
    baseline, cycle = result.baseline, result.cycle
    assert 25 <= result.reports <= 30
    assert result.reviews > result.reports  # two reviewers per report, 90% of them submitted
    assert baseline.workflows == 30 and baseline.notifications == 0
    # the year's workflows: registry change, governance year, handover, roster, the cycle...
    assert cycle.workflows >= 5
    assert cycle.events > cycle.largest_history > 0
    # openings, reminders, overdue notices, assignments, feedback to each reported member
    assert cycle.notifications > result.reports
    assert cycle.peak_mib > 0 and baseline.peak_mib > 0
    text = report_cycle.report([result]) + report_cycle.growth([result, result])
    row = next(line for line in text.splitlines() if line.startswith("| 30 |"))
    assert len(row.strip("|").split("|")) == 16
    assert "x1.00" in text  # a size against itself grows linearly
