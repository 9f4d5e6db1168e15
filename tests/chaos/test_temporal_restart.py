"""The Temporal dev server killed mid-cycle and started again on its SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chaos.disruptions import TemporalRestart
from tests.chaos.experiment import COMPRESS_KILLS, FULL_RUN, SEED, TEST_TIMEOUT, Outcome, run
from tests.chaos.report import assert_same_as, record

pytestmark = pytest.mark.timeout(TEST_TIMEOUT)


async def test_workflows_resume_after_the_temporal_server_restarts(
    tmp_path: Path, baseline: Outcome
) -> None:
    restart = TemporalRestart(seed=SEED, restarts=3 if FULL_RUN else 1)
    # an activity whose completion the dead server never heard of is retried when its
    # start-to-close timeout expires: the short run compresses that wait as the kills do
    outcome = await run(tmp_path / "var", restart, compressed=COMPRESS_KILLS)
    record("temporal-restart", outcome, baseline)
    assert_same_as(outcome, baseline)
