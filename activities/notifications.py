"""The delivery activity: the ledger's exactly-once delivery, as workflows call it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from temporalio import activity

from governance.kernel.notices import Notification
from govsched.notify.delivery import DeliveryReceipt, LedgerDelivery, wall_clock
from govsched.notify.port import Notifier
from govsched.persistence.db import Database


def _report(line: str) -> None:
    # The Secretariat's operator console: a permanent failure cannot be reported through the
    # channel that just failed, and the ledger and audit log keep it for the API.
    activity.logger.warning(line)


class NotificationActivities(LedgerDelivery):
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        clock: Callable[[], datetime] = wall_clock,
        report: Callable[[str], None] = _report,
    ) -> None:
        super().__init__(db, notifier, clock, report)

    @activity.defn(name="deliver-notification")
    def deliver(self, notification: Notification) -> DeliveryReceipt:
        """Record the intent, deliver, then record the receipt; a sent key is never sent again.

        Direct notices skip the recipients who opted out of their kind. Permanent delivery
        errors are recorded, audited and returned, not raised: a broken channel must not stop
        the governance process that wanted to notify.
        """
        return super().deliver(notification)
