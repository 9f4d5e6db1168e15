"""`govsched seed demo`, then `govsched run` (issue 19): the registry loaded from the command
line gets the same work in hand as `make run`'s first start, staged by that first run (the same
`demo_activity.stage`; the reports it submits while the cycle is open, which depend on the day,
are checked at several days by tests/e2e/test_first_start.py). No expectation here depends on
the day, so the date runs leave this stack start out."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.demo_promises import assert_roster_published_with_a_deferral_pending
from tests.e2e.stack_process import RunningStack, StackEnv

pytestmark = [pytest.mark.e2e]

SECRETARIAT = "sec-amina-okafor"


def test_a_demo_seeded_from_the_command_line_gets_its_work_in_hand(tmp_path: Path) -> None:
    env = StackEnv(var_dir=tmp_path / "var")
    assert env.govsched("db", "upgrade").returncode == 0
    seeded = env.govsched("seed", "demo")
    assert seeded.returncode == 0, seeded.stderr
    stack = RunningStack(env)
    try:
        stack.wait_ready()
        headers = {"Authorization": f"Bearer {env.token(SECRETARIAT)}"}
        with httpx.Client(base_url=env.base_url, headers=headers, timeout=60) as api:
            states = {a["id"]: a["state"] for a in api.get("/applications").json()}
            cases = [(c["id"], c["state"]) for c in api.get("/concerns").json()]
            upcoming = max(p["year"] for p in api.get("/plenaries").json())
    finally:
        code = stack.interrupt()
    assert code == 0, "\n".join(stack.lines)
    # the stack found the demo already loaded, and staged its work in hand all the same
    assert "database ready (existing data kept)" in stack.lines
    assert states == {
        "app-demo-harbour": "awaiting_completeness_check",
        "app-demo-tinmoor": "information_requested",
        "app-demo-watch": "complete",
        "app-demo-ubrecht": "under_review",
    }
    assert cases == [("demo-guards", "dialogue")]
    assert_roster_published_with_a_deferral_pending(env.database_url, upcoming)
