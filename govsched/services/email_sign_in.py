"""Sign-in links sent to the person's own address (issue 19): nobody else sees the secret.

The link is issued and emailed in one call; the Secretariat's page says where it went, never
what it is. The email outbox records it (kind `sign_in`, no body: the secret is kept nowhere
but in the email). Without an SMTP relay (GOVSCHED_SMTP_HOST unset, and not under `govsched
run`, which starts its mail sink) there is no address to send to: the caller falls back to
showing the link once to the Secretariat, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from governance.kernel.errors import NotFound
from governance.kernel.languages import reading_language
from governance.notifications.channels import EmailState
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.i18n.current import use_language
from govsched.notify.email.messages import SIGN_IN_KIND, Recipient, message_id, sign_in_email
from govsched.notify.email.smtp import InDoubt, NotHandedOver, SmtpConnection, SmtpRelay
from govsched.persistence.db import Database
from govsched.persistence.repos import email as email_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import web_sessions as web_session_repo
from govsched.persistence.repos.api_tokens import digest
from govsched.services.notifiers import email_sender

LINK_PATH = "/web/sign-in/link/"
# Links one person may ask for by email within an hour: enough for a lost email, not a flood.
ASKED_PER_HOUR = 3


class EmailNotSent(Exception):
    """The relay did not take the sign-in email; the sentence says why."""


@dataclass(frozen=True)
class SentLink:
    person: str
    name: str
    address: str


async def send_sign_in_link(
    db: Database,
    settings: Settings,
    rulebook: Rulebook,
    person: str,
    issued_by: str,
    at: datetime,
    lasts: timedelta,
) -> SentLink:
    """Issue a one-time link for `person` and email it to their address."""
    relay = SmtpRelay.from_settings(settings)
    assert relay is not None, "only called with email configured"
    sender = email_sender(settings, rulebook)
    with db.writing() as session:
        record = registry_repo.get_person(session, person)
        if record is None:
            raise NotFound("person", person)
        secret = web_session_repo.issue_link(session, person, issued_by, at, lasts)
        key = f"sign-in:{digest(secret)[:24]}"
        recipient = Recipient(person, record.name, record.email)
        # the person's own language, else the initiative's (issue 20)
        language = reading_language(record.language, rulebook.initiative.language)
        with use_language(language):
            message = sign_in_email(
                key, recipient, sender, f"{settings.base_url}{LINK_PATH}{secret}", lasts.days, at
            )
        draft = email_repo.Draft(
            key=key,
            person_id=person,
            address=record.email,
            kind=SIGN_IN_KIND,
            subject=str(message["Subject"]),
            message_id=message_id(key, person, sender.domain),
        )
        email_repo.record(session, draft, EmailState.SENDING, at)
    try:
        async with SmtpConnection(relay) as smtp:
            envelope_to = message["To"].addresses[0].addr_spec
            reply = await smtp.send(message, envelope_to)
    except (NotHandedOver, InDoubt) as exc:
        with db.writing() as session:
            if isinstance(exc, NotHandedOver) and exc.permanent:
                email_repo.refused(session, key, person, str(exc))
            else:
                email_repo.not_handed_over(session, key, person, str(exc))
        raise EmailNotSent(str(exc)) from None
    with db.writing() as session:
        email_repo.accepted(session, key, person, at, reply)
    return SentLink(person, record.name, record.email)


def person_asking(db: Database, address: str, at: datetime) -> str | None:
    """The person with this address, if they may be sent another link now (paced)."""
    with db.reading() as session:
        person = email_repo.person_with_address(session, address)
        if person is None:
            return None
        recent = web_session_repo.links_issued_since(session, person, at - timedelta(hours=1))
    return person if recent < ASKED_PER_HOUR else None
