"""kill -9 the worker at seeded random points, restart it: the same end, every message once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chaos.disruptions import WorkerKills
from tests.chaos.experiment import COMPRESS_KILLS, FULL_RUN, SEED, TEST_TIMEOUT, Outcome, run
from tests.chaos.report import assert_same_as, record

pytestmark = pytest.mark.timeout(TEST_TIMEOUT)

KILLS = 20 if FULL_RUN else 3


async def test_a_worker_killed_at_random_points_ends_as_an_undisturbed_run(
    tmp_path: Path, baseline: Outcome
) -> None:
    kills = WorkerKills(count=KILLS, seed=SEED)
    outcome = await run(tmp_path / "var", kills, compressed=COMPRESS_KILLS)
    record("worker-kills", outcome, baseline)
    assert outcome.figures["kills"] == KILLS
    assert_same_as(outcome, baseline)
