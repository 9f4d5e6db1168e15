"""Per-channel turns: Slack takes about one message per second in a channel, and a 429 asks the
whole channel to wait for its Retry-After.

Scope: the database. Every process using it (workers, however many, and the API, which posts
the digest) takes a channel's turn in one row (`slack_channel_turns`): one post at a time per
channel, the next no sooner than `interval` after the answer to the previous one, and none
before a 429's Retry-After has passed. Within a process a lock per channel queues the threads
(activity attempts, including one still running after its timeout) so only one of them asks the
database at a time. A turn is held for at most `hold` (a process that dies holding it delays the
channel by that much, never for good).

Measured from the answer, not the request, the gap between two posts as Slack receives them is
at least `interval` whatever the machine's speed; the cost is that one slow answer delays the
channel's next post. Instants are the processes' wall clocks, which are assumed to agree to well
under the interval (one machine, or NTP).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from govsched.persistence.db import Database
from govsched.persistence.repos import slack as slack_repo

# While another process holds the channel's turn, ask again this often.
POLL_SECONDS = 0.05


class TurnTimeout(Exception):
    """The channel's turn would come too late for the caller's deadline."""


@dataclass
class Turn:
    """What the holder of a turn reports back: a 429's Retry-After, if one came."""

    pause_seconds: float = 0.0

    def rate_limited(self, retry_after: float) -> None:
        self.pause_seconds = max(self.pause_seconds, retry_after)


def _wall_clock() -> datetime:
    return datetime.now(UTC)


class ChannelPacer:
    def __init__(
        self,
        db: Database,
        interval: float = 1.0,
        hold: timedelta = timedelta(seconds=60),
        clock: Callable[[], datetime] = _wall_clock,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._db = db
        self._interval = timedelta(seconds=interval)
        self._hold = hold
        self._clock = clock
        self._sleep = sleep
        self._holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:120]
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def turn(self, channel: str, deadline: float | None = None) -> Iterator[Turn]:
        """Wait for the channel's turn and hold it while the caller posts; TurnTimeout if it
        would not come before `deadline` (time.monotonic). The caller reports a 429 on the
        Turn, which pauses the channel for every process."""
        lock = self._lock(channel)
        waited = lock.acquire(timeout=-1 if deadline is None else max(0.0, _left(deadline)))
        if not waited:
            raise TurnTimeout(f"another post to {channel} is still under way")
        try:
            self._take(channel, deadline)
            turn = Turn()
            try:
                yield turn
            finally:
                self._end(channel, turn)
        finally:
            lock.release()

    def _lock(self, channel: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(channel, threading.Lock())

    def _take(self, channel: str, deadline: float | None) -> None:
        while True:
            now = self._clock()
            with self._db.writing() as session:
                ready_at = slack_repo.take_turn(
                    session, channel, self._holder, now, now + self._hold
                )
            if ready_at is None:
                return
            wait = max((ready_at - now).total_seconds(), POLL_SECONDS)
            if deadline is not None and wait > _left(deadline):
                raise TurnTimeout(f"{channel} is paced or paused for {wait:.1f} s more")
            self._sleep(wait)

    def _end(self, channel: str, turn: Turn) -> None:
        now = self._clock()
        after = max(self._interval, timedelta(seconds=turn.pause_seconds))
        with self._db.writing() as session:
            slack_repo.end_turn(session, channel, self._holder, now + after)


def _left(deadline: float) -> float:
    return deadline - time.monotonic()
