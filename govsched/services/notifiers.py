"""The notifier a process builds from its settings: Slack or the console, and email with an
SMTP relay, each person on the channels they chose (used by the worker and the digest)."""

from __future__ import annotations

import logging

from governance.kernel.languages import Language
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.notify import setup as slack_setup
from govsched.notify.channel_routing import ChannelChoiceNotifier
from govsched.notify.email.messages import Sender
from govsched.notify.email.notifier import EmailNotifier
from govsched.notify.email.smtp import SmtpRelay
from govsched.notify.port import Notifier
from govsched.notify.readers import Readers
from govsched.persistence.db import Database
from govsched.services.ids import server_secret

log = logging.getLogger("govsched.notify")


def email_sender(settings: Settings, rulebook: Rulebook) -> Sender:
    return Sender(
        from_address=settings.smtp_from,
        base_url=settings.base_url,
        secret=server_secret(settings),
        initiative=rulebook.initiative.short_name,
        initiative_names={
            language: rulebook.label_text(rulebook.initiative.name, language)
            for language in Language
        },
    )


def email_notifier(settings: Settings, db: Database, rulebook: Rulebook) -> EmailNotifier | None:
    relay = SmtpRelay.from_settings(settings)
    if relay is None:
        return None
    return EmailNotifier(
        db, relay, email_sender(settings, rulebook), readers=Readers.of(db, rulebook)
    )


def notifier_for(settings: Settings, db: Database, rulebook: Rulebook) -> Notifier:
    """Slack with GOVSCHED_SLACK_TOKEN, otherwise the console (so `make run` works offline);
    with GOVSCHED_SMTP_HOST, email too, each person on the channels they chose."""
    token = settings.slack_token.get_secret_value() if settings.slack_token else None
    if token is None:
        log.info("no GOVSCHED_SLACK_TOKEN: chat notifications go to the console")
    chat = slack_setup.notifier(
        db,
        rulebook,
        token,
        settings.slack_base_url,
        settings.slack_channels,
        settings.slack_pacing_seconds,
        settings.slack_timeout_seconds,
    )
    email = email_notifier(settings, db, rulebook)
    if email is None:
        return chat
    log.info("email through %s:%s", settings.smtp_host, settings.smtp_port_or_default)
    return ChannelChoiceNotifier(db, chat, email, slack_configured=token is not None)
