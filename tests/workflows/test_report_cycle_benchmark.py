"""The governance-year benchmark runs a real year end to end at a small size (its figures are
never asserted, only that it measured what it reports)."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from bench import report_cycle
from tests.conftest import TEST_SERVER

pytestmark = pytest.mark.temporal


async def test_a_small_year_is_run_through_and_measured_against_its_baseline(
    tmp_path: Path,
) -> None:
    result = await report_cycle._one_size(30, str(TEST_SERVER), year=True)
    baseline, cycle, year = result.baseline, result.cycle, result.year
    # the run itself fails on any refused event, and unless the Chair was handed over
    assert year.applications == 3
    assert year.presenters > 0
    assert 25 <= year.reports <= 30
    assert year.reviews > year.reports  # two reviewers per report, 90% of them submitted
    assert baseline.workflows == 30
    assert baseline.notifications == 0
    # registry changes, governance year, handover, roster, applications, Engaged periods, cycle
    assert cycle.workflows >= 10
    assert cycle.events > cycle.largest_history > 0
    assert cycle.notifications > year.reports
    assert cycle.peak_mib > 0
    # each role's worker measured apart, and the peer-review solve ran in a process of its own
    workflows_mib, activities_mib = cycle.role_mib
    assert workflows_mib > 0
    assert activities_mib > 0
    assert cycle.peak_mib == workflows_mib + activities_mib
    assert cycle.solver_mib > 0
    assert baseline.peak_mib > 0
    assert cycle.cpu_seconds > 0
    assert cycle.db_rows > 30  # at least the members, their focal points and the reports
    # processor time by part, phase by phase, from /proc: the workers (the solver's child
    # included: the phase that assigns reviewers ran it), the test server, the driver
    assert list(year.phase_cpu) == list(year.phases)
    # the three parts, and govsched's workers by process (two here: APART)
    roles = {"workers workflows", "workers activities"}
    assert all(
        set(spent) == {"workers", "server", "driver"} | roles for spent in year.phase_cpu.values()
    )
    assert all(
        spent["workers"] == pytest.approx(sum(spent[role] for role in roles))
        for spent in year.phase_cpu.values()
    )
    assert all(s >= 0 for spent in year.phase_cpu.values() for s in spent.values())
    assert sum(spent["workers"] for spent in year.phase_cpu.values()) > 0
    assert cycle.server_cpu_seconds > 0
    assert cycle.driver_cpu_seconds > 0
    assert baseline.cpu_seconds > 0  # the bare worker's
    assert baseline.server_cpu_seconds > 0
    # the same figures at twice the size: half the cost per member
    twice_the_size = replace(result, size=2 * result.size)
    for flavour in (False, True):
        text = report_cycle.report([result], flavour) + report_cycle.growth(
            [result, twice_the_size], from_size=0
        )
        row = next(line for line in text.splitlines() if line.startswith("| 30 |"))
        assert len(row.strip("|").split("|")) == 18
        assert "x0.50" in text
        assert "database rows" in text
        assert "largest short-lived job process" in text
        assert "Where the processor time went" in text
        assert "| 30 | workers |" in text
        assert "| baseline (bare workflows) |" in text
    # rounds of one size are reported as medians with their range; kept rounds load back
    twice = report_cycle.report([result, result], True)
    assert "Rounds: 2 at 30" in twice
    kept = tmp_path / "rounds.jsonl"
    kept.write_text(json.dumps(asdict(result)) + "\n", encoding="utf-8")
    assert report_cycle.load([kept]) == [result]
    # rounds with the test server on a core of its own say so, and are not mixed silently
    pinned = replace(result, server_core=0)
    assert "The test server had a core of its own" in report_cycle.report([pinned], True)
    assert "in every round" in report_cycle.report([pinned], True)
    assert "do not compare them" in report_cycle.report([pinned, result], True)
    assert "core of its own" not in report_cycle.report([result], True)
    kept.write_text(json.dumps(asdict(pinned)) + "\n", encoding="utf-8")
    assert report_cycle.load([kept]) == [pinned]
