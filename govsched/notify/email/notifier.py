"""The email notifier: each notification emailed once to each of its recipients' addresses.

Per recipient it keeps a row in the email outbox (`govsched.persistence.repos.email`): written
before anything reaches the relay, marked just before DATA, and marked accepted when the relay says
250. Every attempt reads the rows first: an accepted email is never handed over again, one
that never reached DATA is simply sent, and one marked before DATA without an answer recorded
(a crash, a timeout in that instant) is sent again with the same Message-ID. That last case is
the only way a person can get two copies (RELIABILITY.md, "Email"): SMTP has no way to ask a
relay whether it took a message, as Slack's history can be read.

People who chose the daily digest have their notices held (the row says so) and get them in
one email at the digest hour (govsched/services/email_digest.py); a digest itself is never held.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from governance.kernel.notices import Notification
from governance.notifications.channels import EmailCadence, EmailState
from governance.rulebook.model import NotificationKind
from govsched.i18n.current import use_language
from govsched.notify.email.messages import (
    Recipient,
    Sender,
    UnusableAddress,
    message_id,
    notice_email,
    subject_for,
)
from govsched.notify.email.smtp import (
    InDoubt,
    NotHandedOver,
    RecipientRefused,
    SmtpConnection,
    SmtpRelay,
)
from govsched.notify.port import PermanentDeliveryError
from govsched.notify.readers import Readers
from govsched.persistence.db import Database
from govsched.persistence.repos import channel_choice as channel_choice_repo
from govsched.persistence.repos import email as email_repo

log = logging.getLogger("govsched.email")

SENDABLE = (EmailState.SENDING.value, EmailState.HANDED_OVER.value)


class TransientEmailError(Exception):
    """The relay could not be reached or asked to try later; the activity retries."""


def _wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome:
    accepted: int = 0
    held: int = 0
    refused: int = 0


class EmailNotifier:
    def __init__(
        self,
        db: Database,
        relay: SmtpRelay,
        sender: Sender,
        clock: Callable[[], datetime] = _wall_clock,
        after_accept: Callable[[Notification, str], None] | None = None,
        readers: Readers | None = None,
    ) -> None:
        self._db = db
        # Each email is written in its recipient's language (issue 20).
        self._readers = readers or Readers(db)
        self._relay = relay
        self._sender = sender
        self._clock = clock
        # Tests inject a crash here: the relay has the message, the outbox does not know yet.
        self._after_accept = after_accept

    def deliver(self, notification: Notification) -> str | None:
        """Email every recipient of `notification` (whatever its channel: the caller chose
        them); PermanentDeliveryError when not one of them can ever get it."""
        people = self._record(notification)
        to_send = [(recipient, state) for recipient, state in people if state in SENDABLE]
        if to_send:
            asyncio.run(self._send_all(notification, [r for r, _ in to_send]))
        outcome = self._outcome(notification, [recipient.person for recipient, _ in people])
        if people and outcome.accepted == 0 and outcome.held == 0:
            raise PermanentDeliveryError(
                f"every email of {notification.key} was refused (see the email outbox)"
            )
        if not people:
            raise PermanentDeliveryError(f"no known person among {notification.recipients}")
        parts = [f"email: {outcome.accepted} accepted"]
        if outcome.held:
            parts.append(f"{outcome.held} held for the daily digest")
        if outcome.refused:
            parts.append(f"{outcome.refused} refused")
        return ", ".join(parts)

    # -- the outbox rows --------------------------------------------------------------------------

    def _record(self, notification: Notification) -> list[tuple[Recipient, str]]:
        """Each known recipient with the state of its row (created now if new)."""
        kind = notification.kind
        now = self._clock()
        found = []
        languages = self._readers.languages(notification.recipients)
        with self._db.writing() as session:
            known = email_repo.addresses(session, list(notification.recipients))
            choices = channel_choice_repo.choices_of(session, known)
            for person in notification.recipients:
                if person not in known:
                    continue
                name, address = known[person]
                language = languages[person]
                with use_language(language):
                    read = self._readers.in_language(notification, language)
                    subject = subject_for(kind, read.text, self._sender.initiative)
                held = (
                    choices[person].email is EmailCadence.DAILY
                    and kind is not NotificationKind.DIGEST
                )
                draft = email_repo.Draft(
                    key=notification.key,
                    person_id=person,
                    address=address,
                    kind=kind.value,
                    subject=subject,
                    message_id=message_id(notification.key, person, self._sender.domain),
                )
                state = EmailState.HELD if held else EmailState.SENDING
                row = email_repo.record(session, draft, state, now)
                found.append((Recipient(person, name, row.address), row.state))
        return found

    def _outcome(self, notification: Notification, people: list[str]) -> Outcome:
        counts = {"accepted": 0, "held": 0, "refused": 0}
        with self._db.reading() as session:
            for person in people:
                row = email_repo.get(session, notification.key, person)
                state = None if row is None else row.state
                if state == EmailState.ACCEPTED.value:
                    counts["accepted"] += 1
                elif state in (EmailState.HELD.value, EmailState.IN_DIGEST.value):
                    counts["held"] += 1
                elif state == EmailState.REFUSED.value:
                    counts["refused"] += 1
                else:
                    raise TransientEmailError(f"{notification.key} for {person} is {state}")
        return Outcome(**counts)

    # -- the relay ------------------------------------------------------------------------------

    async def _send_all(self, notification: Notification, recipients: list[Recipient]) -> None:
        try:
            async with SmtpConnection(self._relay) as smtp:
                for recipient in recipients:
                    await self._send_one(smtp, notification, recipient)
        except NotHandedOver as exc:
            if not exc.permanent:
                raise TransientEmailError(str(exc)) from None
            # a refused login or sender: no recipient can get anything until it is fixed
            raise PermanentDeliveryError(str(exc)) from None
        except InDoubt as exc:
            raise TransientEmailError(str(exc)) from None

    async def _send_one(
        self, smtp: SmtpConnection, notification: Notification, recipient: Recipient
    ) -> None:
        key, person = notification.key, recipient.person
        language = self._readers.of_person(person)
        try:
            with use_language(language):
                read = self._readers.in_language(notification, language)
                message = notice_email(read, recipient, self._sender)
        except UnusableAddress as exc:
            self._refused(key, person, str(exc))
            return
        with self._db.reading() as session:
            row = email_repo.get(session, key, person)
            if row is not None and row.state == EmailState.HANDED_OVER.value:
                log.warning(
                    "email %s to %s may have reached the relay before a crash: sending it "
                    "again with the same Message-ID %s",
                    key,
                    recipient.address,
                    message["Message-ID"],
                )
        # the address as a header carries it (a quoted local part stays quoted)
        envelope_to = message["To"].addresses[0].addr_spec
        try:
            reply = await smtp.send(message, envelope_to, lambda: self._handing_over(key, person))
        except RecipientRefused as exc:
            self._refused(key, person, str(exc))
            return
        if self._after_accept is not None:
            self._after_accept(notification, person)
        with self._db.writing() as session:
            email_repo.accepted(session, key, person, self._clock(), reply)

    def _handing_over(self, key: str, person: str) -> None:
        with self._db.writing() as session:
            email_repo.handing_over(session, key, person, self._clock())

    def _refused(self, key: str, person: str, error: str) -> None:
        log.warning("email %s to %s refused for good: %s", key, person, error)
        with self._db.writing() as session:
            email_repo.refused(session, key, person, error)
