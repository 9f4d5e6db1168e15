"""One post per channel per pacing interval, and a 429 pauses the channel for everyone
(issue 17.12).

Two notifiers on one database stand for two worker processes; each delivers from several
threads, as a worker's activity slots do. The gaps are measured where Slack would measure them:
between the requests as the fake server received them. Only lower bounds are asserted (a slow
machine makes gaps longer, never shorter).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from activities.notifications import NotificationActivities
from governance.kernel.notices import Notification, channel_notice
from governance.rulebook.model import NotificationKind
from govsched.notify.delivery import DeliveryReceipt
from govsched.notify.slack.pacing import ChannelPacer, TurnTimeout
from govsched.persistence.db import Database
from tests.slack_fake import Fault, Request, SlackFake
from tests.slack_helpers import attempt_environment, slack_notifier

PACING = 1.0
RETRY_AFTER = 2
CHANNEL = "CMEMBERS"


@pytest.fixture
def fake() -> Iterator[SlackFake]:
    server = SlackFake().start()
    yield server
    server.stop()


def _notice(n: int) -> Notification:
    return channel_notice(
        NotificationKind.ANNOUNCEMENT,
        "all_members",
        f"item-{n}",
        1,
        f"Announcement {n}.",
        datetime(2027, 1, 4, 14, tzinfo=UTC),
    )


def _deliver_all(
    workers: list[NotificationActivities], notices: list[Notification]
) -> list[object]:
    """Each notice delivered by its own thread, the threads spread over the workers."""
    results: list[object] = [None] * len(notices)

    def deliver(i: int) -> None:
        try:
            results[i] = attempt_environment().run(workers[i % len(workers)].deliver, notices[i])
        except Exception as exc:  # a failed attempt: reported by the assertion below
            results[i] = exc

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(notices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _gaps(requests: list[Request]) -> list[tuple[float, Request]]:
    return [(b.at - a.at, a) for a, b in itertools.pairwise(requests)]


def test_a_429_pauses_the_channel_for_every_process_and_every_post_is_paced(
    db: Database, fake: SlackFake
) -> None:
    # The first post to reach Slack is answered 429 with Retry-After.
    fake.inject("chat.postMessage", Fault(status=429, retry_after=RETRY_AFTER))
    workers = [
        NotificationActivities(db, slack_notifier(db, fake, pacing=PACING)) for _ in range(2)
    ]
    notices = [_notice(n) for n in range(6)]

    results = _deliver_all(workers, notices)

    assert all(isinstance(r, DeliveryReceipt) and r.status == "sent" for r in results), results
    requests = fake.requests("chat.postMessage")
    assert [r.channel for r in requests] == [CHANNEL] * 7  # six posts and the one refused
    assert [r.status for r in requests].count(429) == 1
    assert len(fake.messages(CHANNEL)) == 6  # each notice once
    for gap, before in _gaps(requests):
        wanted = RETRY_AFTER if before.status == 429 else PACING
        assert gap >= wanted, f"{gap:.3f} s after a {before.status} answer"


def test_other_channels_are_not_held_up_by_a_paused_one(db: Database, fake: SlackFake) -> None:
    pacer = ChannelPacer(db, PACING)
    with pacer.turn("C1") as turn:
        turn.rate_limited(30)
    # C1 is paused for 30 s: a caller who cannot wait that long is told at once.
    deadline_in_two_seconds = time.monotonic() + 2
    with pytest.raises(TurnTimeout), pacer.turn("C1", deadline_in_two_seconds):
        pass
    with pacer.turn("C2", deadline_in_two_seconds):
        pass


def test_the_turns_follow_a_shared_clock_across_pacers(db: Database) -> None:
    """Two pacers (two processes) on one database, on a clock the test moves."""
    now = [datetime(2027, 1, 4, 14, tzinfo=UTC)]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += timedelta(seconds=seconds)

    first, second = (ChannelPacer(db, PACING, clock=lambda: now[0], sleep=sleep) for _ in "ab")
    with first.turn("C1"):
        pass
    with second.turn("C1"):  # the other process waits out the interval
        pass
    with second.turn("C2"):  # another channel: no wait
        pass
    with first.turn("C1") as turn:
        turn.rate_limited(RETRY_AFTER)
    with second.turn("C1"):  # paused for Retry-After, not just the interval
        pass
    assert slept == [PACING, PACING, float(RETRY_AFTER)]
