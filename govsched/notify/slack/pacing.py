"""Per-channel pacing: Slack allows about one message per second in a channel.

Pacing before posting keeps a burst (a roster published to every member channel, a digest
run) under the limit instead of collecting 429s; the rate-limit retry handler stays as the
backstop for limits shared with other processes, which this in-process pacer cannot see.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class ChannelPacer:
    def __init__(
        self,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> float:
        """Block until `channel` may take another message; returns the seconds waited.

        Each caller reserves its slot under the lock, then sleeps outside it, so callers for
        other channels are never held up and callers for one channel go one per interval.
        """
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(channel, now))
            self._next[channel] = slot + self._interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay
