"""A real SMTP server (aiosmtpd) in the test process that keeps every message it accepts.

It can refuse chosen recipients (550), answer 451 to a number of DATA commands, and call hooks
when a recipient is named (before any DATA: a worker killed then leaves nothing at the relay)
and after a message's data arrived and before the 250 goes back (the instant a worker can be
killed with the message at the relay and the answer lost).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any, cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope

from tests.e2e.stack_process import free_port


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        # as text: headers beyond ASCII (SMTPUTF8) read as UTF-8, not as escaped bytes
        text = self.raw.decode("utf-8", "surrogateescape")
        return message_from_string(text, policy=policy.default)

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"]).strip()

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(cast(EmailMessage, body).get_content())


@dataclass
class SinkHandler:
    refuse: set[str] = field(default_factory=set)
    busy_data: int = 0
    on_data: Callable[[Received], None] | None = None
    on_rcpt: Callable[[str], None] | None = None
    received: list[Received] = field(default_factory=list)
    guard: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, _server: SMTP, _session: Any, envelope: Envelope, address: str, _options: list[str]
    ) -> str:
        if self.on_rcpt is not None:
            self.on_rcpt(address)
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, _server: SMTP, _session: Any, envelope: Envelope
    ) -> str:
        with self.guard:
            if self.busy_data > 0:
                self.busy_data -= 1
                return "451 4.3.0 Try again later"
        content = envelope.original_content or b""
        received = Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), bytes(content))
        with self.guard:
            self.received.append(received)
        if self.on_data is not None:
            self.on_data(received)
        return "250 2.0.0 Message accepted for delivery"


class SmtpSink:
    def __init__(self, smtputf8: bool = False) -> None:
        self.handler = SinkHandler()
        self.port = free_port()
        self._controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=smtputf8
        )

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._controller.stop()

    @property
    def received(self) -> list[Received]:
        with self.handler.guard:
            return list(self.handler.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    def copies(self) -> Counter[str]:
        """How many times each Message-ID arrived."""
        return Counter(r.message_id for r in self.received)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.received
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{len(self.received)} emails arrived, {count} expected")
