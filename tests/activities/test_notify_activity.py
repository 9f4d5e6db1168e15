"""The notification activity: each key delivered at most once, failures recorded."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from temporalio.testing import ActivityEnvironment

from activities.notifications import NotificationActivities
from governance.kernel.notices import DIRECT, Notification, channel_notice, notification_key
from governance.rulebook.model import NotificationKind
from govsched.notify.console import ConsoleNotifier
from govsched.notify.delivery import DeliveryReceipt
from govsched.notify.port import PermanentDeliveryError
from govsched.persistence.db import Database
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.tables import NotificationRow

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
DELIVERED_AT = T0 + timedelta(seconds=2)
NOTICE = channel_notice(
    NotificationKind.ANNOUNCEMENT,
    "all_members",
    "plenary-2027",
    1,
    "The VPI 2027 Annual Plenary will take place in Norland Harbour.",
    T0,
)
REMINDER = Notification(
    key=notification_key(NotificationKind.DEADLINE_REMINDER, "report-2026", 1, "fp-gov-norland"),
    kind=NotificationKind.DEADLINE_REMINDER,
    channel=DIRECT,
    recipients=("fp-gov-norland", "sec-amina-okafor"),
    text="Your annual report is due on 15 February.\nSee the guidance.",
    item="report-2026",
    issued_at=T0,
)


class FakeNotifier:
    """Delivers, or raises the next of `failures`; counts every call."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls: list[Notification] = []

    def deliver(self, notification: Notification) -> str | None:
        self.calls.append(notification)
        if self.failures:
            raise self.failures.pop(0)
        return f"ref-{len(self.calls)}"


def _fixed() -> datetime:
    return DELIVERED_AT


def _deliver(activities: NotificationActivities, notification: Notification) -> DeliveryReceipt:
    return ActivityEnvironment().run(activities.deliver, notification)


def _row(db: Database, key: str) -> NotificationRow:
    with db.reading() as session:
        row = session.get(NotificationRow, key)
        count = session.scalar(select(func.count()).select_from(NotificationRow))
    assert count == 1
    assert row is not None
    return row


def test_delivering_twice_sends_once(db: Database) -> None:
    notifier = FakeNotifier()
    activities = NotificationActivities(db, notifier, clock=_fixed)

    first = _deliver(activities, NOTICE)
    second = _deliver(activities, NOTICE)

    assert first == DeliveryReceipt(key=NOTICE.key, status="sent")
    assert second == DeliveryReceipt(key=NOTICE.key, status="sent", already_sent=True)
    assert notifier.calls == [NOTICE]
    row = _row(db, NOTICE.key)
    assert row.status == notification_repo.SENT
    assert row.attempts == 1
    assert row.delivered_at == DELIVERED_AT
    assert row.external_ref == "ref-1"
    with db.reading() as session:
        assert notification_repo.delivered(session) == [NOTICE]


def test_a_permanent_failure_is_recorded_not_raised(db: Database) -> None:
    notifier = FakeNotifier(PermanentDeliveryError("channel_not_found: vpi-members"))
    activities = NotificationActivities(db, notifier, clock=_fixed)

    receipt = _deliver(activities, NOTICE)

    assert receipt == DeliveryReceipt(key=NOTICE.key, status="failed")
    assert notifier.calls == [NOTICE]
    row = _row(db, NOTICE.key)
    assert row.status == notification_repo.FAILED
    assert row.error == "channel_not_found: vpi-members"
    assert row.attempts == 1
    assert row.delivered_at is None
    with db.reading() as session:
        assert notification_repo.delivered(session) == []


def test_a_transient_failure_propagates_and_a_retry_delivers_once(db: Database) -> None:
    notifier = FakeNotifier(ConnectionError("slack timed out"))
    activities = NotificationActivities(db, notifier, clock=_fixed)

    with pytest.raises(ConnectionError, match="slack timed out"):
        _deliver(activities, NOTICE)

    row = _row(db, NOTICE.key)
    assert row.status == notification_repo.PENDING
    assert row.attempts == 1
    assert row.error is None

    retried = _deliver(activities, NOTICE)
    again = _deliver(activities, NOTICE)

    assert retried == DeliveryReceipt(key=NOTICE.key, status="sent")
    assert again.already_sent is True
    assert notifier.calls == [NOTICE, NOTICE]
    row = _row(db, NOTICE.key)
    assert row.status == notification_repo.SENT
    assert row.attempts == 2
    assert row.external_ref == "ref-2"
    assert row.delivered_at == DELIVERED_AT


def test_what_the_caller_records_commits_with_the_settled_notice_only(db: Database) -> None:
    """`deliver_then`: the caller's write runs in the transaction that settles the notice
    (sent, found sent already, failed for good), never when it may still be sent again."""
    seen: list[tuple[str, str | None]] = []

    def settled(key: str) -> Callable[[Session], None]:
        def record(session: Session) -> None:
            seen.append((key, notification_repo.status_of(session, key)))

        return record

    sending = NotificationActivities(db, FakeNotifier(ConnectionError("slack timed out")))
    with pytest.raises(ConnectionError):
        sending.deliver_then(NOTICE, settled(NOTICE.key))
    assert seen == []  # still pending: a retry sends it
    assert sending.deliver_then(NOTICE, settled(NOTICE.key)).status == "sent"
    assert sending.deliver_then(NOTICE, settled(NOTICE.key)).already_sent
    assert seen == [(NOTICE.key, notification_repo.SENT)] * 2

    failing = NotificationActivities(db, FakeNotifier(PermanentDeliveryError("gone")))
    assert failing.deliver_then(REMINDER, settled(REMINDER.key)).status == "failed"
    assert seen[2:] == [(REMINDER.key, notification_repo.FAILED)]


def test_the_console_notifier_writes_one_line_per_notification(sqlite_db: Database) -> None:
    stream = io.StringIO()
    activities = NotificationActivities(sqlite_db, ConsoleNotifier(stream), clock=_fixed)

    _deliver(activities, NOTICE)
    _deliver(activities, REMINDER)
    _deliver(activities, NOTICE)

    assert stream.getvalue().splitlines() == [
        "[notify] announcement -> all_members: "
        "The VPI 2027 Annual Plenary will take place in Norland Harbour.",
        "[notify] deadline_reminder -> fp-gov-norland,sec-amina-okafor: "
        "Your annual report is due on 15 February. See the guidance.",
    ]
    assert stream.getvalue().endswith("\n")
    with sqlite_db.reading() as session:
        assert [n.key for n in notification_repo.delivered(session)] == sorted(
            [NOTICE.key, REMINDER.key]
        )
