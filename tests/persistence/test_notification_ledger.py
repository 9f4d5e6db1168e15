"""The notification ledger: one row per key, and a receipt for each delivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from governance.kernel.notices import DIRECT, Notification, channel_notice, notification_key
from governance.rulebook.model import NotificationKind
from govsched.persistence.db import Database
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.tables import NotificationRow

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)


def _notice(item: str, issued_at: datetime = T0, version: int = 1) -> Notification:
    return channel_notice(
        NotificationKind.ANNOUNCEMENT,
        "all_members",
        item,
        version,
        f"News about {item}.",
        issued_at,
    )


def _direct(item: str, issued_at: datetime = T0) -> Notification:
    return Notification(
        key=notification_key(NotificationKind.DEADLINE_REMINDER, item, 1, "fp-gov-norland"),
        kind=NotificationKind.DEADLINE_REMINDER,
        channel=DIRECT,
        recipients=("fp-gov-norland", "sec-amina-okafor"),
        text=f"{item} is due on 15 February.",
        item=item,
        issued_at=issued_at,
    )


def _row(db: Database, key: str) -> NotificationRow:
    with db.reading() as session:
        row = session.get(NotificationRow, key)
    assert row is not None
    return row


def test_record_intent_is_idempotent_by_key(db: Database) -> None:
    notice = _notice("plenary-2027")
    with db.writing() as session:
        first = notification_repo.record_intent(session, notice)
        assert (first.status, first.attempts) == (notification_repo.PENDING, 0)
    with db.writing() as session:
        notification_repo.mark_attempt(session, notice.key)
    with db.writing() as session:
        # The same key with other text is the same notification: the first intent stands.
        again = notification_repo.record_intent(
            session, notice.model_copy(update={"text": "Other words."})
        )
        assert (again.key, again.text, again.attempts) == (notice.key, notice.text, 1)

    with db.reading() as session:
        count = session.scalar(select(func.count()).select_from(NotificationRow))
    assert count == 1
    row = _row(db, notice.key)
    assert row.status == notification_repo.PENDING
    assert row.kind == "announcement"
    assert row.channel == "all_members"
    assert row.item == "plenary-2027"
    assert row.issued_at == T0
    assert row.delivered_at is None


def test_mark_sent_records_the_receipt(db: Database) -> None:
    notice = _direct("report-2026")
    delivered_at = T0 + timedelta(seconds=3)
    with db.writing() as session:
        notification_repo.record_intent(session, notice)
        notification_repo.mark_attempt(session, notice.key)
        notification_repo.mark_sent(session, notice.key, delivered_at, "slack:1700000000.000100")

    with db.reading() as session:
        assert notification_repo.status_of(session, notice.key) == notification_repo.SENT
    row = _row(db, notice.key)
    assert row.attempts == 1
    assert row.delivered_at == delivered_at
    assert row.delivered_at.tzinfo is UTC
    assert row.external_ref == "slack:1700000000.000100"
    assert row.recipients == ["fp-gov-norland", "sec-amina-okafor"]
    assert row.error is None


def test_mark_failed_records_the_error(db: Database) -> None:
    notice = _notice("plenary-2027")
    with db.writing() as session:
        notification_repo.record_intent(session, notice)
        notification_repo.mark_failed(session, notice.key, "channel_not_found " + "x" * 5000)

    with db.reading() as session:
        assert notification_repo.status_of(session, notice.key) == notification_repo.FAILED
    row = _row(db, notice.key)
    assert row.error is not None
    assert row.error.startswith("channel_not_found ")
    assert len(row.error) == 4000
    assert row.delivered_at is None


def test_a_sent_receipt_clears_an_earlier_error(db: Database) -> None:
    notice = _notice("plenary-2027")
    delivered_at = T0 + timedelta(hours=1)
    with db.writing() as session:
        notification_repo.record_intent(session, notice)
        notification_repo.mark_failed(session, notice.key, "token revoked")
        notification_repo.mark_sent(session, notice.key, delivered_at, None)

    row = _row(db, notice.key)
    assert (row.status, row.error, row.delivered_at) == (notification_repo.SENT, None, delivered_at)


def test_status_of_an_unknown_key_is_none_and_marks_are_ignored(db: Database) -> None:
    with db.writing() as session:
        notification_repo.mark_attempt(session, "nothing:here:v1:x")
        notification_repo.mark_sent(session, "nothing:here:v1:x", T0, None)
        notification_repo.mark_failed(session, "nothing:here:v1:x", "boom")
    with db.reading() as session:
        assert notification_repo.status_of(session, "nothing:here:v1:x") is None
        assert session.scalar(select(func.count()).select_from(NotificationRow)) == 0


def test_delivered_lists_sent_notifications_by_issue_time_then_key(db: Database) -> None:
    later = T0 + timedelta(days=1)
    notices = [
        _notice("plenary-2027", issued_at=later),
        _notice("chair-gov-norland", issued_at=T0),
        _direct("report-2026", issued_at=later),
        _notice("pending-item", issued_at=T0 - timedelta(days=1)),
        _notice("failed-item", issued_at=T0 - timedelta(days=2)),
    ]
    with db.writing() as session:
        for notice in notices:
            notification_repo.record_intent(session, notice)
        for notice in notices[:3]:
            notification_repo.mark_sent(session, notice.key, later, None)
        notification_repo.mark_failed(session, notices[4].key, "no such channel")

    with db.reading() as session:
        delivered = notification_repo.delivered(session)

    assert [n.key for n in delivered] == [
        "announcement:chair-gov-norland:v1:all_members",
        "announcement:plenary-2027:v1:all_members",
        "deadline_reminder:report-2026:v1:fp-gov-norland",
    ]
    assert delivered[2] == notices[2]
    assert delivered[1] == notices[0]
    assert all(n.issued_at.tzinfo is UTC for n in delivered)
