"""Each person told on the channels they chose: Slack (or the console), email, or both.

The chat notifier (Slack, or the console without a token) keeps its channel posts and gets
the direct notices of those who want chat; the email notifier gets the direct notices of those
who want email, and, for a channel's post, one email to each person the channel stands for who
wants email and did not opt out of the kind (governance/notifications/channels.py). Both parts
are idempotent per target, so an activity retried after either failed repeats neither.
"""

from __future__ import annotations

from collections.abc import Callable

from governance.kernel.notices import DIRECT, Notification
from governance.notifications.channels import (
    Available,
    channel_reach,
    wants_chat,
    wants_email,
)
from governance.rulebook.model import stoppable
from govsched.notify.port import Notifier, PermanentDeliveryError
from govsched.persistence.db import Database
from govsched.persistence.repos import channel_choice as channel_choice_repo
from govsched.persistence.repos import email as email_repo


class ChannelChoiceNotifier:
    def __init__(
        self, db: Database, chat: Notifier, email: Notifier, slack_configured: bool
    ) -> None:
        self._db = db
        self._chat = chat
        self._email = email
        self._available = Available(slack=slack_configured, email=True)

    def deliver(self, notification: Notification) -> str | None:
        chat_part, email_people = self._split(notification)
        parts: list[tuple[str, Callable[[], str | None]]] = []
        if chat_part is not None:
            parts.append(("chat", lambda: self._chat.deliver(chat_part)))
        if email_people:
            by_email = notification.model_copy(update={"recipients": tuple(email_people)})
            parts.append(("email", lambda: self._email.deliver(by_email)))
        refs: list[str] = []
        failures: list[str] = []
        for name, send in parts:
            # a channel that can never work must not keep the other from its people
            try:
                ref = send()
            except PermanentDeliveryError as exc:
                failures.append(f"{name}: {exc}")
                continue
            if ref:
                refs.append(ref)
        if failures:
            done = f" (delivered: {'; '.join(refs)})" if refs else ""
            raise PermanentDeliveryError("; ".join(failures) + done)
        return "; ".join(refs)[:200] or None

    def _split(self, notification: Notification) -> tuple[Notification | None, list[str]]:
        """The chat notifier's notification (None: nothing for chat) and who gets an email."""
        with self._db.reading() as session:
            if notification.channel == DIRECT:
                people = list(notification.recipients)
            else:
                reach = channel_reach(notification.channel)
                everyone = email_repo.channel_people(session, reach)
                opted = (
                    email_repo.opted_out_people(session, everyone, notification.kind.value)
                    if stoppable(notification.kind)
                    else set()
                )
                people = [person for person in everyone if person not in opted]
            choices = channel_choice_repo.choices_of(session, people)
        email_people = [p for p in people if wants_email(choices[p], self._available)]
        if notification.channel != DIRECT:
            return notification, email_people
        chat_people = tuple(p for p in people if wants_chat(choices[p], self._available))
        chat_part = (
            notification.model_copy(update={"recipients": chat_people}) if chat_people else None
        )
        return chat_part, email_people
