"""Building the email notifier (and the channel choice around it) against a test SMTP server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from governance.kernel.notices import Notification
from governance.notifications.channels import Channels, DeliveryChoice, EmailCadence
from govsched.config import SmtpTls
from govsched.notify.channel_routing import ChannelChoiceNotifier
from govsched.notify.email.links import read_unsubscribe_token
from govsched.notify.email.messages import Sender
from govsched.notify.email.notifier import EmailNotifier
from govsched.notify.email.smtp import SmtpRelay
from govsched.notify.port import Notifier
from govsched.persistence.db import Database
from govsched.persistence.repos import channel_choice as channel_choice_repo
from govsched.persistence.tables import MemberRow
from tests.smtp_sink import SmtpSink

SECRET = b"test-secret-for-unsubscribe-links"
BASE_URL = "https://govsched.example.org"
FROM = "VPI Secretariat <secretariat@vpi.example.org>"


def relay_for(sink: SmtpSink, timeout: float = 5.0) -> SmtpRelay:
    return SmtpRelay(
        host="127.0.0.1", port=sink.port, tls=SmtpTls.NONE, timeout=timeout, from_address=FROM
    )


def sender() -> Sender:
    return Sender(from_address=FROM, base_url=BASE_URL, secret=SECRET, initiative="VPI")


def email_notifier(
    db: Database,
    sink: SmtpSink,
    after_accept: Callable[[Notification, str], None] | None = None,
) -> EmailNotifier:
    return EmailNotifier(db, relay_for(sink), sender(), after_accept=after_accept)


def choosing_notifier(
    db: Database, chat: Notifier, sink: SmtpSink, slack_configured: bool = True
) -> ChannelChoiceNotifier:
    return ChannelChoiceNotifier(db, chat, email_notifier(db, sink), slack_configured)


def choose(
    db: Database,
    person: str,
    channels: Channels | None,
    cadence: EmailCadence = EmailCadence.IMMEDIATE,
    at: datetime | None = None,
) -> None:
    with db.writing() as session:
        choice = DeliveryChoice(channels=channels, email=cadence)
        channel_choice_repo.set_choice(
            session, person, choice, at or datetime(2027, 1, 1, tzinfo=UTC)
        )


def add_member(db: Database, member_id: str, pillar: str, status: str = "full") -> None:
    with db.writing() as session:
        session.add(
            MemberRow(
                id=member_id,
                name=member_id,
                pillar=pillar,
                country="Norland",
                joined=date(2020, 1, 1),
                status=status,
            )
        )


def unsubscribe_of(header: str) -> tuple[str, str] | None:
    """(person, kind) the List-Unsubscribe header's link is for."""
    url = header.strip().removeprefix("<").removesuffix(">")
    found = read_unsubscribe_token(SECRET, url.rsplit("/", 1)[1])
    return None if found is None else (found[0], found[1].value)
