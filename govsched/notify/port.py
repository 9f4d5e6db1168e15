"""The notifier port: what the delivery activity asks of Slack or the console."""

from __future__ import annotations

from typing import Protocol

from governance.kernel.notices import Notification


class PermanentDeliveryError(Exception):
    """Delivery can never succeed as configured (unknown channel, revoked token...): no retry."""


class Notifier(Protocol):
    def deliver(self, notification: Notification) -> str | None:
        """Send the notification; return the channel's reference for it, if it has one.

        Raise PermanentDeliveryError when retrying cannot help; any other exception is
        treated as transient and the activity is retried.
        """
        ...
