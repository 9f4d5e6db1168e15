"""An activity attempt that outlives its timeout must not post behind the next attempt's back.

Temporal starts the next attempt when an attempt's start-to-close timeout expires, without
stopping the first (a thread cannot be stopped). Two live attempts that both post would post one
notification twice, so each attempt stops posting, and stops waiting for the channel's turn (or
a Retry-After, which pauses the channel for every attempt), in time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from activities.notifications import NotificationActivities
from governance.kernel.notices import channel_notice
from governance.rulebook.model import NotificationKind
from govsched.notify.delivery import DeliveryReceipt
from govsched.notify.slack.pacing import ChannelPacer
from govsched.persistence.db import Database
from tests.slack_fake import Fault, SlackFake
from tests.slack_helpers import attempt_environment, slack_notifier

NOTICE = channel_notice(
    NotificationKind.ANNOUNCEMENT,
    "all_members",
    "plenary-2027",
    1,
    "The 2027 Plenary meets in Norland.",
    datetime(2027, 1, 4, 14, tzinfo=UTC),
)
# Short enough for a test; the request timeout (1 s) plus the margin (5 s) still fit.
ATTEMPT = timedelta(seconds=8)


@pytest.fixture
def fake() -> Iterator[SlackFake]:
    server = SlackFake().start()
    yield server
    server.stop()


def _attempt(activities: NotificationActivities, out: list[object]) -> None:
    try:
        out.append(attempt_environment(ATTEMPT).run(activities.deliver, NOTICE))
    except Exception as exc:  # the attempt failed: Temporal would retry it
        out.append(exc)


def test_a_rate_limited_attempt_gives_up_before_its_timeout_and_a_later_one_posts_once(
    db: Database, fake: SlackFake
) -> None:
    # Slack asks the first post to wait 30 s: longer than the attempt may run.
    fake.inject("chat.postMessage", Fault(status=429, retry_after=30))
    activities = NotificationActivities(db, slack_notifier(db, fake, timeout=1))
    started = time.monotonic()
    first: list[object] = []
    thread = threading.Thread(target=_attempt, args=(activities, first))
    thread.start()
    thread.join(timeout=ATTEMPT.total_seconds() + 1)
    assert not thread.is_alive(), "the attempt ran past its timeout"
    assert time.monotonic() - started < ATTEMPT.total_seconds()
    assert not isinstance(first[0], DeliveryReceipt)  # it gave up: retryable

    # The next attempt comes within the 30 s: the channel is paused, for every attempt.
    during: list[object] = []
    _attempt(activities, during)
    assert not isinstance(during[0], DeliveryReceipt)
    assert fake.calls("chat.postMessage") == 1

    # Once the Retry-After has passed (a worker whose clock is 31 s on), it posts, once.
    later = ChannelPacer(db, 0.0, clock=lambda: datetime.now(UTC) + timedelta(seconds=31))
    second: list[object] = []
    _attempt(NotificationActivities(db, slack_notifier(db, fake, timeout=1, pacer=later)), second)

    assert isinstance(second[0], DeliveryReceipt)
    assert second[0].status == "sent"
    assert len(fake.messages("CMEMBERS")) == 1


def test_an_attempt_with_little_time_left_leaves_the_post_to_the_next_attempt(
    db: Database, fake: SlackFake
) -> None:
    activities = NotificationActivities(db, slack_notifier(db, fake, timeout=1))
    late: list[object] = []
    # 3 s left: less than the request timeout and the margin.
    env = attempt_environment(timedelta(seconds=3))
    try:
        late.append(env.run(activities.deliver, NOTICE))
    except Exception as exc:
        late.append(exc)

    assert fake.calls("chat.postMessage") == 0
    assert not isinstance(late[0], DeliveryReceipt)
    fresh: list[object] = []
    _attempt(activities, fresh)
    assert len(fake.messages("CMEMBERS")) == 1
