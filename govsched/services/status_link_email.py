"""The applicant's private status link, emailed to the contact its application names (issue 19).

Sent once per application (the email outbox's row, keyed by the application, is written before
the relay is asked, so a repeated form post or a second try does not send it again) and only
when an SMTP relay is configured. The email holds no text the applicant typed. A relay that
fails leaves the outbox row saying so; the applicant already has the link on screen (or from
the Secretariat), so nothing else waits on this email.
"""

from __future__ import annotations

import logging
from datetime import datetime

from governance.notifications.channels import EmailState
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.notify.email.messages import (
    STATUS_LINK_KIND,
    Recipient,
    UnusableAddress,
    status_link_email,
)
from govsched.notify.email.smtp import InDoubt, NotHandedOver, SmtpConnection, SmtpRelay
from govsched.persistence.db import Database
from govsched.persistence.repos import email as email_repo
from govsched.services.notifiers import email_sender

log = logging.getLogger("govsched.intake")


async def send_status_link(
    db: Database,
    settings: Settings,
    rulebook: Rulebook,
    application_id: str,
    address: str,
    link: str,
    at: datetime,
) -> bool:
    """Email `link` to `address`, once per application; whether the relay took it now."""
    relay = SmtpRelay.from_settings(settings)
    if relay is None:
        return False
    key = f"status-link:{application_id}"
    # the outbox's "person" is the application: an applicant is nobody in the directory
    recipient = Recipient(application_id, "", address)
    try:
        message = status_link_email(key, recipient, email_sender(settings, rulebook), link, at)
    except UnusableAddress as exc:
        log.warning("status link for %s not emailed: %s", application_id, exc)
        return False
    draft = email_repo.Draft(
        key=key,
        person_id=application_id,
        address=address,
        kind=STATUS_LINK_KIND,
        subject=str(message["Subject"]),
        message_id=str(message["Message-ID"]),
    )
    with db.writing() as session:
        if email_repo.get(session, key, application_id) is not None:
            return False
        email_repo.record(session, draft, EmailState.SENDING, at)
    try:
        async with SmtpConnection(relay) as smtp:
            reply = await smtp.send(message, address)
    except (NotHandedOver, InDoubt) as exc:
        with db.writing() as session:
            if isinstance(exc, NotHandedOver) and exc.permanent:
                email_repo.refused(session, key, application_id, str(exc))
            else:
                email_repo.not_handed_over(session, key, application_id, str(exc))
        log.warning("status link for %s not emailed: %s", application_id, exc)
        return False
    with db.writing() as session:
        email_repo.accepted(session, key, application_id, at, reply)
    return True
