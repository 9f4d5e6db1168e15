"""The Slack fake for chaos: it remembers every post by its notification key, can storm, and
can call a hook while a post is in hand (to kill the worker between Slack's work and its answer).
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.slack_fake import Fault, SlackFake

# What a storm answers instead: a rate limit, server faults, or an answer slower than the
# client's timeout (2 s in the chaos settings) given after Slack did the work.
STORM_FAULTS = (
    Fault(status=429, retry_after=1),
    Fault(status=500),
    Fault(status=502),
    Fault(status=503),
    Fault(delay=2.5),
)


@dataclass
class Storm:
    rate: float
    seed: int
    rng: random.Random = field(init=False)
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def draw(self, method: str) -> Fault | None:
        if method == "auth.test" or self.rng.random() >= self.rate:
            return None
        fault = self.rng.choice(STORM_FAULTS)
        self.counts[f"{fault.status or 'timeout'}"] += 1
        return fault


class ChaosSlack(SlackFake):
    def __init__(self) -> None:
        super().__init__()
        self.posted: list[tuple[str, str, str]] = []  # (channel, key, ts) in arrival order
        self.storm: Storm | None = None
        self.on_post: Callable[[int], None] | None = None
        self._guard = threading.Lock()

    def take_fault(self, method: str) -> Fault | None:
        fault = super().take_fault(method)
        if fault is None and self.storm is not None:
            with self._guard:
                fault = self.storm.draw(method)
        return fault

    def handle(self, method: str, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        body = super().handle(method, token, args)
        if method == "chat.postMessage" and body.get("ok"):
            message = self.messages(str(body["channel"]))[-1]
            key = str(((message.metadata or {}).get("event_payload") or {}).get("key"))
            with self._guard:
                self.posted.append((message.channel, key, message.ts))
                count = len(self.posted)
            if self.on_post is not None:
                # Slack has the message; the worker has not heard back yet.
                self.on_post(count)
        return body

    def duplicates(self) -> dict[tuple[str, str], int]:
        counts = Counter((channel, key) for channel, key, _ts in self.posted)
        return {pair: n for pair, n in counts.items() if n > 1}

    def final_messages(self) -> list[dict[str, Any]]:
        """Every message as it stands, by channel and key (never by ts, which is timing)."""
        rows = [
            {
                "channel": m.channel,
                "key": ((m.metadata or {}).get("event_payload") or {}).get("key"),
                "text": m.text,
                "edited": m.edited,
            }
            for m in self.all_messages()
        ]
        return sorted(rows, key=lambda r: (r["channel"], str(r["key"])))
