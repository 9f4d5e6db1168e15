"""Notices to an application's applicant: emailed to the contact its application names.

The applicant is nobody in the directory, so the people's notifiers (chat, and email by each
person's choice) cannot reach it. Its notices (the APPLICANT channel) are written in the
language it applied in, end with its private status link, and are kept in the email outbox
under the application's id, as its status-link email is (govsched/services/status_link_email.py):
the row is written before the relay is asked, so a retried delivery never hands over again what
the relay accepted (a crash between DATA and its answer may send a second copy, with the same
Message-ID, as for people: RELIABILITY.md, "Email"). Without an SMTP relay such a notice fails
for good, and the Secretariat's outbox says the applicant was not emailed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage

from governance.kernel.languages import Language, reading_language
from governance.kernel.notices import APPLICANT, Notification
from governance.notifications.channels import EmailState
from govsched.i18n.current import use_language
from govsched.i18n.messages import LabelTexts, render
from govsched.notify.email.messages import Recipient, Sender, UnusableAddress, applicant_email
from govsched.notify.email.notifier import TransientEmailError
from govsched.notify.email.smtp import (
    InDoubt,
    NotHandedOver,
    RecipientRefused,
    SmtpConnection,
    SmtpRelay,
)
from govsched.notify.port import Notifier, PermanentDeliveryError
from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import email as email_repo

log = logging.getLogger("govsched.email")

NO_RELAY = "the applicant cannot be emailed: no SMTP relay is configured (GOVSCHED_SMTP_HOST)"


class ApplicantRouting:
    """The APPLICANT channel's notices to `applicant` (None: no relay to send them by), every
    other notice to `people`."""

    def __init__(self, people: Notifier, applicant: Notifier | None) -> None:
        self._people = people
        self._applicant = applicant

    def deliver(self, notification: Notification) -> str | None:
        if notification.channel != APPLICANT:
            return self._people.deliver(notification)
        if self._applicant is None:
            raise PermanentDeliveryError(NO_RELAY)
        return self._applicant.deliver(notification)


def _wall_clock() -> datetime:
    return datetime.now(UTC)


class ApplicantEmailNotifier:
    """Emails an APPLICANT notice to the contact of the application it is about (its `item`).

    `status_link` makes the application's private status link (a credential: it is never in
    the notice, the ledger or the outbox, only in the email)."""

    def __init__(
        self,
        db: Database,
        relay: SmtpRelay,
        sender: Sender,
        status_link: Callable[[str], str],
        default: Language = Language.EN,
        labels: LabelTexts | None = None,
        clock: Callable[[], datetime] = _wall_clock,
    ) -> None:
        self._db = db
        self._relay = relay
        self._sender = sender
        self._status_link = status_link
        self._default = default
        self._labels = labels
        self._clock = clock

    def deliver(self, notification: Notification) -> str | None:
        with self._db.reading() as session:
            record = application_repo.get(session, notification.item)
        if record is None:
            raise PermanentDeliveryError(f"no application {notification.item}")
        application, address = record.id, record.applicant.contact_email
        recipient = Recipient(application, "", address)
        language = reading_language(record.applicant.language, self._default)
        try:
            with use_language(language):
                message = applicant_email(
                    self._as_read(notification, language),
                    recipient,
                    self._sender,
                    self._status_link(application),
                )
        except UnusableAddress as exc:
            raise PermanentDeliveryError(f"the applicant's address: {exc}") from None
        key = notification.key
        draft = email_repo.Draft(
            key=key,
            person_id=application,
            address=address,
            kind=notification.kind.value,
            subject=str(message["Subject"]),
            message_id=str(message["Message-ID"]),
        )
        with self._db.writing() as session:
            row = email_repo.record(session, draft, EmailState.SENDING, self._clock())
            state, error = row.state, row.error
        if state == EmailState.ACCEPTED.value:
            return "email to the applicant: accepted before"
        if state == EmailState.REFUSED.value:
            raise PermanentDeliveryError(f"the applicant's address was refused: {error}")
        if state == EmailState.HANDED_OVER.value:
            log.warning(
                "email %s to the applicant of %s may have reached the relay before a crash: "
                "sending it again with the same Message-ID %s",
                key,
                application,
                message["Message-ID"],
            )
        # the address as the header carries it (a quoted local part stays quoted)
        envelope_to = message["To"].addresses[0].addr_spec
        reply = asyncio.run(self._send(key, application, message, envelope_to))
        with self._db.writing() as session:
            email_repo.accepted(session, key, application, self._clock(), reply)
        return "email to the applicant: accepted"

    def _as_read(self, notification: Notification, language: Language) -> Notification:
        """The notice in the applicant's language, whole: the ledger keeps its English text
        cut at the notice's limit; a question quoted in an email need not be."""
        if notification.message is None:
            return notification
        text = render(notification.message, language, self._labels)
        return notification.model_copy(update={"text": text})

    async def _send(self, key: str, application: str, message: EmailMessage, address: str) -> str:
        try:
            async with SmtpConnection(self._relay) as smtp:
                return await smtp.send(
                    message, address, lambda: self._handing_over(key, application)
                )
        except RecipientRefused as exc:
            with self._db.writing() as session:
                email_repo.refused(session, key, application, str(exc))
            raise PermanentDeliveryError(f"the applicant's email was refused: {exc}") from None
        except NotHandedOver as exc:
            if not exc.permanent:
                raise TransientEmailError(str(exc)) from None
            # a refused login or sender: nothing can go until it is fixed
            raise PermanentDeliveryError(str(exc)) from None
        except InDoubt as exc:
            raise TransientEmailError(str(exc)) from None

    def _handing_over(self, key: str, application: str) -> None:
        with self._db.writing() as session:
            email_repo.handing_over(session, key, application, self._clock())
