"""The chat notifier: Slack with a token, the console without one (govsched.services.notifiers
adds email and each person's choice of channels)."""

from __future__ import annotations

from collections.abc import Mapping

from governance.rulebook.model import Rulebook
from govsched.notify.console import ConsoleNotifier
from govsched.notify.port import Notifier
from govsched.notify.readers import Readers
from govsched.notify.slack.client import build_clients
from govsched.notify.slack.notifier import SlackNotifier
from govsched.notify.slack.pacing import ChannelPacer
from govsched.persistence.db import Database


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
    readers = Readers.of(db, rulebook)
    if not token:
        return ConsoleNotifier(readers=readers)
    return SlackNotifier(
        db,
        build_clients(token, base_url, timeout=timeout_seconds),
        slack_channels(rulebook, channels),
        update_in_place=frozenset(rulebook.notifications.update_in_place),
        pacer=ChannelPacer(db, pacing_seconds),
        readers=readers,
    )
