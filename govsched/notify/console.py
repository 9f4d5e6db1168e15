"""The notifier port, and its console implementation (used when no Slack token is set)."""

from __future__ import annotations

import sys
from typing import TextIO

from governance.kernel.notices import Notification
from governance.kernel.text import shown


class ConsoleNotifier:
    """Writes each notification as one line, for `make run` without Slack.

    A crash between writing the line and recording it in the ledger can print a line twice on
    retry; the ledger itself still holds one entry per key.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def deliver(self, notification: Notification) -> str | None:
        stream = self._stream or sys.stdout
        recipients = ",".join(notification.recipients) or notification.channel
        text = shown(notification.text).replace("\n", " ")
        stream.write(f"[notify] {notification.kind.value} -> {recipients}: {text}\n")
        stream.flush()
        return None


class RecordingNotifier:
    """Keeps what it was asked to send; used by rehearsals, whose record is the ledger itself."""

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    def deliver(self, notification: Notification) -> str | None:
        self.sent.append(notification)
        return None
