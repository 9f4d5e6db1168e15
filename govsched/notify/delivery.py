"""Delivering notifications exactly once per idempotency key, through the ledger.

The ledger row is written before the notifier is called and marked sent after: a key already
sent is never sent again. Used by the delivery activity (and by every activity that notifies in
bulk) and by the weekly digest job of the API process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from governance.kernel.audit import SYSTEM_ACTOR, AuditEntry
from governance.kernel.model import Frozen
from governance.kernel.notices import DIRECT, Notification
from governance.rulebook.model import stoppable
from govsched.notify.port import Notifier, PermanentDeliveryError
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import notification_preferences as preference_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo

log = logging.getLogger("govsched.notify")


class DeliveryReceipt(Frozen):
    key: str
    status: str
    already_sent: bool = False


def wall_clock() -> datetime:
    return datetime.now(UTC)


# What a caller writes once its notice is settled, in the ledger's own transaction.
Settled = Callable[[Session], None]


def _then(settled: Settled | None, session: Session) -> None:
    if settled is not None:
        settled(session)


class LedgerDelivery:
    """Delivers through the notifier, once per key; `report` tells the operator of a channel
    that failed for good (it cannot be told through that channel)."""

    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        clock: Callable[[], datetime] = wall_clock,
        report: Callable[[str], None] = log.warning,
    ) -> None:
        self._db = db
        self._notifier = notifier
        self._clock = clock
        self._report = report

    def deliver(self, notification: Notification) -> DeliveryReceipt:
        """Record the intent, deliver, then record the receipt; a sent key is never sent again.

        Direct notices skip the recipients who opted out of their kind. Permanent delivery
        errors are recorded, audited and returned, not raised: a broken channel must not stop
        the governance process that wanted to notify.
        """
        return self.deliver_then(notification, None)

    def deliver_then(self, notification: Notification, settled: Settled | None) -> DeliveryReceipt:
        """`deliver`, and `settled` (if given) writes what the caller records once the notice is
        settled (sent, opted out, failed for good, or found settled already) in the transaction
        that records it: a bulk sender marks its item done without a transaction of its own
        for each notice (a third of the write transactions of a review's feedback, issue 21)."""
        with self._db.writing() as session:
            row = notification_repo.record_intent(session, notification)
            if row.status in (notification_repo.SENT, notification_repo.OPTED_OUT):
                _then(settled, session)
                return DeliveryReceipt(key=notification.key, status=row.status, already_sent=True)
            wanted = self._wanted(session, notification)
            if wanted is None:
                notification_repo.mark_opted_out(session, notification.key)
                _then(settled, session)
                return DeliveryReceipt(key=notification.key, status=notification_repo.OPTED_OUT)
            notification_repo.mark_attempt(session, notification.key)
        try:
            reference = self._notifier.deliver(wanted)
        except PermanentDeliveryError as exc:
            self._fail(notification, str(exc), settled)
            return DeliveryReceipt(key=notification.key, status=notification_repo.FAILED)
        with self._db.writing() as session:
            notification_repo.mark_sent(session, notification.key, self._clock(), reference)
            _then(settled, session)
        return DeliveryReceipt(key=notification.key, status=notification_repo.SENT)

    def _wanted(self, session: Session, notification: Notification) -> Notification | None:
        """The notification without the recipients who opted out (of a kind one may stop), or
        who no longer hold the role it is for; None if nobody is left."""
        if notification.channel != DIRECT or not notification.recipients:
            return notification
        holders = None
        stops = stoppable(notification.kind)
        if notification.for_role is not None:
            holders = set(registry_repo.people_with_role(session, notification.for_role))
        keep = tuple(
            person
            for person in notification.recipients
            if not (stops and notification.kind in preference_repo.opted_out(session, person))
            and (holders is None or person in holders)
        )
        if not keep:
            return None
        return notification.model_copy(update={"recipients": keep})

    def _fail(self, notification: Notification, error: str, settled: Settled | None) -> None:
        now = self._clock()
        with self._db.writing() as session:
            notification_repo.mark_failed(session, notification.key, error)
            _then(settled, session)
            audit_repo.append(
                session,
                AuditEntry(
                    key=f"notification.failed:{notification.key}",
                    at=now,
                    actor=SYSTEM_ACTOR,
                    action="notification.failed",
                    item_kind="notification",
                    item_id=notification.key[:200],
                    reason=error[:2000],
                    data={"channel": notification.channel, "item": notification.item},
                ),
            )
        self._report(
            f"[notify] secretariat: could not deliver {notification.key} "
            f"({notification.channel}): {error}"
        )
