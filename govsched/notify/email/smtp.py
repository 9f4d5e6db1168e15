"""Handing emails to the SMTP relay (aiosmtplib), each answer sorted by what it proves.

An SMTP relay has no idempotency key and cannot be asked what it holds, so each failure is
classified by *when* it happened:

- before DATA (no connection, a refused login, sender or recipient, a 4xx): the relay has no
  message; `NotHandedOver`, with `permanent` for a 5xx, which retrying cannot change;
- after the relay answered DATA (250 accepted, or a 4xx/5xx refusal): certain either way;
- after DATA went out and before an answer came (a timeout, a dropped connection):
  `InDoubt`; the relay may have accepted it. The notifier sends the same message again
  (same Message-ID): at least once, never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from types import TracebackType

import aiosmtplib

from govsched.config import Settings, SmtpTls
from govsched.notify.email.wire import SMTP, SMTPUTF8


@dataclass(frozen=True)
class SmtpRelay:
    host: str
    port: int
    tls: SmtpTls = SmtpTls.STARTTLS
    user: str | None = None
    password: str | None = None
    timeout: float = 10.0
    from_address: str = "VPI Secretariat <secretariat@localhost>"

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpRelay | None:
        if settings.smtp_host is None:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port_or_default,
            tls=settings.smtp_tls,
            user=settings.smtp_user,
            password=(
                settings.smtp_password.get_secret_value() if settings.smtp_password else None
            ),
            timeout=settings.smtp_timeout_seconds,
            from_address=settings.smtp_from,
        )

    @property
    def envelope_sender(self) -> str:
        return parseaddr(self.from_address)[1] or self.from_address


class NotHandedOver(Exception):
    """The relay does not have the message (it never got its DATA, or refused it)."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class RecipientRefused(NotHandedOver):
    """The relay refused this recipient or this message for good (5xx to RCPT or DATA); other
    messages on the same connection may still go."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


class InDoubt(Exception):
    """DATA went out and no answer came back: the relay may or may not have the message."""


def _wire_bytes(message: EmailMessage, utf8: bool) -> bytes:
    return message.as_bytes(policy=SMTPUTF8 if utf8 else SMTP)


def _is_permanent(code: int) -> bool:
    return 500 <= code < 600


def _refusal(
    where: str, exc: aiosmtplib.SMTPResponseException, recipient_only: bool = False
) -> NotHandedOver:
    text = f"{where}: {exc.code} {exc.message}"
    if recipient_only and _is_permanent(exc.code):
        return RecipientRefused(text)
    return NotHandedOver(text, _is_permanent(exc.code))


class SmtpConnection:
    """One connection to the relay, for any number of messages (`async with`)."""

    def __init__(self, relay: SmtpRelay) -> None:
        self._relay = relay
        self._smtp = aiosmtplib.SMTP(
            hostname=relay.host,
            port=relay.port,
            use_tls=relay.tls is SmtpTls.TLS,
            start_tls=relay.tls is SmtpTls.STARTTLS,
            timeout=relay.timeout,
        )

    async def __aenter__(self) -> SmtpConnection:
        try:
            await self._smtp.connect()
            if self._smtp.is_ehlo_or_helo_needed:
                await self._smtp.ehlo()  # its extensions decide SMTPUTF8 below
            if self._relay.user:
                await self._smtp.login(self._relay.user, self._relay.password or "")
        except aiosmtplib.SMTPResponseException as exc:
            raise _refusal("connecting to the relay", exc) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise NotHandedOver(
                f"connecting to {self._relay.host}:{self._relay.port}: {exc}", permanent=False
            ) from None
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._smtp.is_connected:
            try:
                await self._smtp.quit()
            except (aiosmtplib.SMTPException, OSError):
                self._smtp.close()

    async def send(
        self,
        message: EmailMessage,
        recipient: str,
        before_data: Callable[[], None] = lambda: None,
    ) -> str:
        """Hand `message` over for `recipient`; the relay's answer to DATA (250 ...).

        `before_data` runs after the relay took the recipient and before DATA goes out: the
        caller records there that the message may now reach the relay.
        """
        utf8 = not (recipient.isascii() and self._relay.envelope_sender.isascii())
        if utf8 and not self._smtp.supports_extension("smtputf8"):
            raise RecipientRefused(f"{recipient} needs SMTPUTF8, which the relay does not offer")
        options = ["SMTPUTF8"] if utf8 else []
        try:
            await self._smtp.mail(self._relay.envelope_sender, options=options, encoding="utf-8")
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset()
            raise _refusal("relay refused the sender", exc) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise NotHandedOver(f"before DATA for {recipient}: {exc}", permanent=False) from None
        try:
            await self._smtp.rcpt(recipient, encoding="utf-8")
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset()
            raise _refusal(f"relay refused {recipient}", exc, recipient_only=True) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise NotHandedOver(f"before DATA for {recipient}: {exc}", permanent=False) from None
        before_data()
        try:
            response = await self._smtp.data(_wire_bytes(message, utf8))
        except aiosmtplib.SMTPResponseException as exc:
            # the relay answered: it refused the message, nothing was accepted
            await self._reset()
            where = f"relay refused the message to {recipient}"
            raise _refusal(where, exc, recipient_only=True) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise InDoubt(f"no answer to DATA for {recipient}: {exc}") from None
        return f"{response.code} {response.message}"[:300]

    async def _reset(self) -> None:
        try:
            await self._smtp.rset()
        except (aiosmtplib.SMTPException, OSError):
            self._smtp.close()
