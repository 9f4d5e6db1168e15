"""One answer per token feed per interval: a subscriber that polls faster waits its turn.

Calendar programs poll a subscribed feed every few minutes to once a day. A client that asks for
the same feed back to back is broken or hostile, and on the embedded stack, where the API shares
its processor with the worker and Temporal, 32 such clients took about two fifths of that
processor and slowed every action to 0.62 of its pace alone (docs/benchmarks.md, concurrent
use). Pacing each feed address bounds what any subscriber can take, whatever its client does,
without making anyone else's requests wait: a paced request sleeps on the event loop, costing
no processor time, and is then answered as usual (a 304 when nothing changed). A client that
has `QUEUE` requests waiting already is answered 429 at once, with Retry-After.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

# How many requests of one address may wait at once; a request that would wait longer than
# QUEUE - 1 intervals is refused.
QUEUE = 8
# Addresses remembered before the ones whose turn has passed are forgotten (a scan of random
# tokens must not grow this without bound).
REMEMBERED = 10_000


class FeedPacing:
    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._clock = clock
        self._next: dict[str, float] = {}

    def turn(self, address: str) -> float | None:
        """Seconds this request waits before it is answered (0: at once), or None when the
        address has queued too far ahead: refuse it (`retry_after`)."""
        if self._interval <= 0:
            return 0.0
        now = self._clock()
        slot = max(now, self._next.get(address, now))
        if slot - now > self._interval * (QUEUE - 1):
            return None
        if len(self._next) >= REMEMBERED:
            self._next = {a: t for a, t in self._next.items() if t > now}
        self._next[address] = slot + self._interval
        return slot - now

    def retry_after(self, address: str) -> int:
        """Whole seconds until the address may queue again (for a 429's Retry-After)."""
        opens = self._next.get(address, 0.0) - self._interval * (QUEUE - 1)
        return max(1, math.ceil(opens - self._clock()))
