"""The failure every caller of Temporal may meet, apart from the client itself: the CLI catches
it for every command, and most commands never load the Temporal SDK (a large part of their
start-up), so it must not import the SDK."""

from __future__ import annotations

from governance.kernel.messages import Message


class ServiceUnavailable(Exception):
    """The workflow service (Temporal) cannot be reached right now; the caller may retry.

    `key` is the idempotency key the request ran under: repeating the request with it later
    completes it exactly once (the API sends it back in the Idempotency-Key header). `words`
    is the message a page writes in its reader's language (its English is the exception's)."""

    def __init__(self, message: str | Message, key: str | None = None) -> None:
        words = message if isinstance(message, Message) else None
        super().__init__(message.english() if isinstance(message, Message) else message)
        self.key = key
        self.words = words
