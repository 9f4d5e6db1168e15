"""Delivering notifications exactly once per idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from temporalio import activity

from activities.notifiers import Notifier, PermanentDeliveryError
from governance.model import Frozen
from governance.notices import Notification
from persistence import notification_repo
from persistence.db import Database


class DeliveryReceipt(Frozen):
    key: str
    status: str
    already_sent: bool = False


def _wall_clock() -> datetime:
    return datetime.now(UTC)


class NotificationActivities:
    def __init__(
        self, db: Database, notifier: Notifier, clock: Callable[[], datetime] = _wall_clock
    ) -> None:
        self._db = db
        self._notifier = notifier
        self._clock = clock

    @activity.defn(name="deliver-notification")
    def deliver(self, notification: Notification) -> DeliveryReceipt:
        """Record the intent, deliver, then record the receipt; a sent key is never sent again.

        Permanent delivery errors are recorded and returned, not raised: a broken channel must
        not stop the governance process that wanted to notify.
        """
        with self._db.writing() as session:
            row = notification_repo.record_intent(session, notification)
            if row.status == notification_repo.SENT:
                return DeliveryReceipt(key=notification.key, status=row.status, already_sent=True)
            notification_repo.mark_attempt(session, notification.key)
        try:
            reference = self._notifier.deliver(notification)
        except PermanentDeliveryError as exc:
            with self._db.writing() as session:
                notification_repo.mark_failed(session, notification.key, str(exc))
            activity.logger.warning("notification %s not deliverable: %s", notification.key, exc)
            return DeliveryReceipt(key=notification.key, status=notification_repo.FAILED)
        with self._db.writing() as session:
            notification_repo.mark_sent(session, notification.key, self._clock(), reference)
        return DeliveryReceipt(key=notification.key, status=notification_repo.SENT)
