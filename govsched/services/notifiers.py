"""The notifier a process builds from its settings: Slack or the console, and email with an
SMTP relay, each person on the channels they chose (used by the worker and the digest)."""

from __future__ import annotations

import logging

from governance.kernel.languages import Language
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.notify import setup as slack_setup
from govsched.notify.applicant import ApplicantEmailNotifier, ApplicantRouting
from govsched.notify.channel_routing import ChannelChoiceNotifier
from govsched.notify.email.messages import Sender
from govsched.notify.email.notifier import EmailNotifier
from govsched.notify.email.smtp import SmtpRelay
from govsched.notify.port import Notifier
from govsched.notify.readers import Readers
from govsched.persistence.db import Database
from govsched.services.ids import IdMaker, server_secret
from govsched.services.status_links import status_path

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


def applicant_notifier(
    settings: Settings, db: Database, rulebook: Rulebook
) -> ApplicantEmailNotifier | None:
    """Emails to applicants, with their status links; None without an SMTP relay."""
    relay = SmtpRelay.from_settings(settings)
    if relay is None:
        return None
    ids = IdMaker(server_secret(settings))
    base = settings.base_url

    def link(application: str) -> str:
        return f"{base}{status_path(ids, application)}"

    return ApplicantEmailNotifier(
        db,
        relay,
        email_sender(settings, rulebook),
        link,
        rulebook.initiative.language,
        rulebook.label_text,
    )


def notifier_for(settings: Settings, db: Database, rulebook: Rulebook) -> Notifier:
    """Slack with GOVSCHED_SLACK_TOKEN, otherwise the console (so `make run` works offline);
    with GOVSCHED_SMTP_HOST, email too, each person on the channels they chose, and each
    applicant at the contact its application names."""
    return ApplicantRouting(
        _people_notifier(settings, db, rulebook), applicant_notifier(settings, db, rulebook)
    )


def _people_notifier(settings: Settings, db: Database, rulebook: Rulebook) -> Notifier:
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
