"""Which notifier a process uses: Slack with a token, the console without one."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.notify.console import ConsoleNotifier
from govsched.notify.port import Notifier
from govsched.notify.slack.client import build_clients
from govsched.notify.slack.notifier import SlackNotifier
from govsched.notify.slack.pacing import ChannelPacer
from govsched.persistence.db import Database

log = logging.getLogger("govsched.notify")


def slack_channels(rulebook: Rulebook, overrides: Mapping[str, str]) -> dict[str, str]:
    """Logical channel -> Slack channel: the rulebook's names, overridden by settings (ids)."""
    return {**rulebook.notifications.channels, **overrides}


def notifier(
    db: Database,
    rulebook: Rulebook,
    token: str | None,
    base_url: str,
    channels: Mapping[str, str],
    pacing_seconds: float = 1.0,
    timeout_seconds: int = 10,
) -> Notifier:
    if not token:
        return ConsoleNotifier()
    return SlackNotifier(
        db,
        build_clients(token, base_url, timeout=timeout_seconds),
        slack_channels(rulebook, channels),
        update_in_place=frozenset(rulebook.notifications.update_in_place),
        pacer=ChannelPacer(db, pacing_seconds),
    )


def notifier_for(settings: Settings, db: Database, rulebook: Rulebook) -> Notifier:
    """Slack with GOVSCHED_SLACK_TOKEN, otherwise the console (so `make run` works offline)."""
    token = settings.slack_token.get_secret_value() if settings.slack_token else None
    if token is None:
        log.info("no GOVSCHED_SLACK_TOKEN: notifications go to the console")
    return notifier(
        db,
        rulebook,
        token,
        settings.slack_base_url,
        settings.slack_channels,
        settings.slack_pacing_seconds,
        settings.slack_timeout_seconds,
    )
