"""A threaded activity held by one long computation (the peer-review solve) still heartbeats,
so its heartbeat timeout never cancels and retries a solve that is merely long."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from temporalio.testing import ActivityEnvironment

from activities.keepalive import heartbeating_while_busy


def test_heartbeats_go_out_while_the_activity_thread_is_busy_and_stop_after() -> None:
    beats: list[tuple[Any, ...]] = []
    enough = threading.Event()

    def record(*details: Any) -> None:
        beats.append(details)
        if len(beats) >= 3:
            enough.set()

    def long_solve() -> int:
        with heartbeating_while_busy(timedelta(milliseconds=5)):
            # the activity's own thread does not heartbeat: it only waits, as a solve computes
            assert enough.wait(timeout=30), "no heartbeats while busy"
        return len(beats)

    env = ActivityEnvironment()
    env.on_heartbeat = record
    counted = env.run(long_solve)
    assert counted >= 3
    assert all(details == () for details in beats)
    # the side thread was joined on leaving the block: nothing beats for a finished activity
    assert [t for t in threading.enumerate() if t.name == "heartbeat-while-busy"] == []
