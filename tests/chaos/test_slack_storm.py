"""30% of Slack calls answered 429, 5xx or too late: every message still delivered once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chaos.experiment import SEED, TEST_TIMEOUT, Outcome, run
from tests.chaos.report import assert_same_as, record
from tests.chaos.slack_chaos import ChaosSlack, Storm

pytestmark = pytest.mark.timeout(TEST_TIMEOUT)

RATE = 0.3


async def test_every_message_is_delivered_once_through_a_slack_fault_storm(
    tmp_path: Path, baseline: Outcome
) -> None:
    storm = Storm(rate=RATE, seed=SEED)

    def stormy(slack: ChaosSlack) -> None:
        slack.storm = storm

    outcome = await run(tmp_path / "var", prepare_slack=stormy)
    outcome.figures.update(faults=dict(storm.counts), rate=RATE, seed=SEED)
    record("slack-storm", outcome, baseline)
    assert sum(storm.counts.values()) > 0
    assert_same_as(outcome, baseline)
