"""SQLite (the embedded default) locked by another process past the busy timeout."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chaos.disruptions import WriteLockHeld
from tests.chaos.experiment import FULL_RUN, SEED, TEST_TIMEOUT, Outcome, run
from tests.chaos.report import assert_same_as, record

pytestmark = pytest.mark.timeout(TEST_TIMEOUT)

# Only `make chaos` runs this one: it needs the lock held past SQLite's 30 s busy timeout, more
# than the short subset's whole budget. It is not collected otherwise, rather than skipped.
if FULL_RUN:

    async def test_writes_wait_out_a_sqlite_lock_held_past_the_busy_timeout(
        tmp_path: Path, baseline: Outcome
    ) -> None:
        var = tmp_path / "var"
        lock = WriteLockHeld(str(var / "govsched.db"), SEED)
        outcome = await run(var, lock)
        record("sqlite-write-lock", outcome, baseline)
        assert_same_as(outcome, baseline)
