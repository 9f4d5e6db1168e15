"""The notifier port, and its console implementation (used when no Slack token is set)."""

from __future__ import annotations

import sys
from typing import TextIO

from governance.kernel.languages import Language
from governance.kernel.notices import DIRECT, Notification
from governance.kernel.text import shown
from govsched.notify.readers import Readers


class ConsoleNotifier:
    """Writes each notification as one line, for `make run` without Slack.

    A crash between writing the line and recording it in the ledger can print a line twice on
    retry; the ledger itself still holds one entry per key.
    """

    def __init__(self, stream: TextIO | None = None, readers: Readers | None = None) -> None:
        self._stream = stream
        # Without readers (no database), every line is the notice's English text.
        self._readers = readers

    def deliver(self, notification: Notification) -> str | None:
        stream = self._stream or sys.stdout
        for recipients, read in self._as_read(notification):
            text = shown(read.text).replace("\n", " ")
            stream.write(f"[notify] {notification.kind.value} -> {recipients}: {text}\n")
        stream.flush()
        return None

    def _as_read(self, notification: Notification) -> list[tuple[str, Notification]]:
        """One line per language its readers read, naming who reads it."""
        if self._readers is None or notification.message is None:
            return [(",".join(notification.recipients) or notification.channel, notification)]
        if notification.channel != DIRECT:
            return [(notification.channel, self._readers.for_channel(notification))]
        by_language: dict[Language, list[str]] = {}
        for person, language in self._readers.languages(notification.recipients).items():
            by_language.setdefault(language, []).append(person)
        return [
            (",".join(people), self._readers.in_language(notification, language))
            for language, people in by_language.items()
        ]


class RecordingNotifier:
    """Keeps what it was asked to send; used by rehearsals, whose record is the ledger itself."""

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    def deliver(self, notification: Notification) -> str | None:
        self.sent.append(notification)
        return None
