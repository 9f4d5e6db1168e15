"""Figures of each experiment, printed (pytest -s) and appended to a JSON lines file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.chaos.experiment import Outcome

FIGURES = Path(os.environ.get("GOVSCHED_CHAOS_FIGURES", "test-artifacts/chaos-figures.jsonl"))


def record(name: str, outcome: Outcome, baseline: Outcome) -> None:
    row = {
        "experiment": name,
        "seconds": round(outcome.seconds, 1),
        "baseline_seconds": round(baseline.seconds, 1),
        "posts": outcome.snapshot.posts,
        "baseline_posts": baseline.snapshot.posts,
        "notifications": len(outcome.snapshot.ledger),
        "problems": len(outcome.problems),
        **outcome.figures,
    }
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with FIGURES.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")
    print(f"\n[chaos] {json.dumps(row)}")  # noqa: T201


def assert_same_as(outcome: Outcome, baseline: Outcome) -> None:
    """Exactly once and nothing half-written, and the same end as the undisturbed run."""
    assert outcome.problems == [], outcome.problems
    assert outcome.failed == [], outcome.failed
    differences = outcome.snapshot.differences(baseline.snapshot)
    assert not differences, "\n\n".join(differences)
    assert outcome.snapshot.posts == baseline.snapshot.posts
