"""The Slack notifier: each notification posted once per target, found again after a crash.

Per target (a channel, or a person's direct-message channel) it writes a row *before* posting
and the message's ts *after*. A row without a ts means a post may have happened without being
recorded (a crash, a timeout, a 5xx after the request left): the notifier then reads the
channel's history for a message whose metadata carries the notification's key, and posts only
if there is none. Slack has no idempotency key of its own; this is the substitute.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from temporalio import activity

from governance.kernel.notices import DIRECT, Notification
from governance.rulebook.model import NotificationKind
from govsched.i18n.current import use_language
from govsched.notify.port import PermanentDeliveryError
from govsched.notify.readers import Readers
from govsched.notify.slack.client import (
    SlackClients,
    attempt_deadline,
    error_code,
    is_permanent,
    retry_after,
)
from govsched.notify.slack.messages import METADATA_EVENT, SlackMessage, build
from govsched.notify.slack.pacing import ChannelPacer, TurnTimeout
from govsched.persistence.db import Database
from govsched.persistence.repos import slack as slack_repo

log = logging.getLogger("govsched.slack")

# How far before a post's recorded start the history search begins: clocks of workers and
# Slack differ a little.
CLOCK_SKEW = timedelta(minutes=2)
HISTORY_PAGE = 200


# Seconds kept free at the end of an attempt, beyond the post's own request timeout.
POST_MARGIN_SECONDS = 5.0


def _attempt_deadline() -> float | None:
    """When the running activity attempt times out (time.monotonic), outside activities None."""
    if not activity.in_activity():
        return None
    info = activity.info()
    if info.start_to_close_timeout is None:
        return None
    elapsed = (datetime.now(UTC) - info.started_time).total_seconds()
    return time.monotonic() - elapsed + info.start_to_close_timeout.total_seconds()


class TransientSlackError(Exception):
    """Slack could not be reached or failed; retrying later may succeed."""


class RateLimited(TransientSlackError):
    """A 429: nothing was done; the channel waits `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# 429s one post may meet (each pausing its channel) before its attempt gives up.
RATE_LIMIT_RETRIES = 4


def _wall_clock() -> datetime:
    return datetime.now(UTC)


@contextmanager
def slack_errors(where: str) -> Iterator[None]:
    """Permanent Slack errors become PermanentDeliveryError; the rest stay retryable."""
    try:
        yield
    except SlackApiError as exc:
        code = error_code(exc)
        if is_permanent(exc):
            raise PermanentDeliveryError(f"{code}: {where}") from None
        wait = retry_after(exc)
        if wait is not None:
            raise RateLimited(f"{code}: {where}", wait) from None
        raise TransientSlackError(f"{code}: {where}") from None
    except OSError as exc:  # timeouts, refused and reset connections (URLError is an OSError)
        raise TransientSlackError(f"{type(exc).__name__}: {where}") from None


class SlackNotifier:
    def __init__(
        self,
        db: Database,
        clients: SlackClients,
        channels: Mapping[str, str],
        update_in_place: frozenset[NotificationKind] = frozenset(),
        pacer: ChannelPacer | None = None,
        clock: Callable[[], datetime] = _wall_clock,
        attempts: int = 3,
        backoff: float = 0.5,
        after_post: Callable[[Notification, str], None] | None = None,
        readers: Readers | None = None,
    ) -> None:
        self._db = db
        # Each post is written in its reader's language: a person's, or the channel's.
        self._readers = readers or Readers(db)
        self._clients = clients
        self._channels = dict(channels)
        self._update_in_place = update_in_place
        self._pacer = pacer or ChannelPacer(db)
        self._clock = clock
        self._attempts = attempts
        self._backoff = backoff
        # Tests inject a crash here: after Slack took the post, before the ledger knows.
        self._after_post = after_post

    def deliver(self, notification: Notification) -> str | None:
        attempt_deadline.at = _attempt_deadline()
        try:
            refs = [
                self._deliver_with_retries(notification, target, channel)
                for target, channel in self._targets(notification)
            ]
        finally:
            attempt_deadline.at = None
        return " ".join(refs)[:200] or None

    # -- where it goes --------------------------------------------------------------------------

    def _targets(self, notification: Notification) -> list[tuple[str, str]]:
        if notification.channel != DIRECT:
            channel = self._channels.get(notification.channel)
            if not channel:
                raise PermanentDeliveryError(f"no Slack channel for {notification.channel!r}")
            return [(notification.channel, channel)]
        return [(person, self._direct_channel(person)) for person in notification.recipients]

    def _direct_channel(self, person: str) -> str:
        """The person's direct-message channel, from the cache or looked up once by email."""
        with self._db.reading() as session:
            email = slack_repo.email_of(session, person)
            cached = slack_repo.slack_user(session, email) if email else None
        if email is None:
            raise PermanentDeliveryError(f"unknown person {person!r}")
        if cached is not None and cached.dm_channel:
            return cached.dm_channel
        with slack_errors(f"looking up {person}"):
            user = self._clients.calls.users_lookupByEmail(email=email)["user"]["id"]
            dm = self._clients.calls.conversations_open(users=user)["channel"]["id"]
        with self._db.writing() as session:
            slack_repo.remember_user(session, email, user, dm, self._clock())
        return str(dm)

    # -- exactly once ---------------------------------------------------------------------------

    def _deliver_with_retries(self, notification: Notification, target: str, channel: str) -> str:
        for attempt in range(self._attempts):
            try:
                return self._deliver_once(notification, target, channel)
            except TransientSlackError as exc:
                if attempt == self._attempts - 1:
                    raise
                log.info("slack: %s; trying again (%s)", exc, notification.key)
                time.sleep(self._backoff * 2**attempt)
        raise AssertionError("unreachable")

    def _deliver_once(self, notification: Notification, target: str, channel: str) -> str:
        key = notification.key
        with self._db.reading() as session:
            row = slack_repo.message(session, key, target)
            pending = None if row is None else (row.channel_id, row.ts, row.started_at)
            previous = None
            if row is None and notification.kind in self._update_in_place:
                earlier = slack_repo.latest_for_item(
                    session, notification.kind.value, notification.item, target, key
                )
                previous = None if earlier is None else (earlier.channel_id, earlier.ts)
        message = self._message(notification, target)
        if pending is not None:
            channel_id, ts, started = pending
            if ts is not None:
                return f"{channel_id}:{ts}"
            found = self._find_posted(channel_id, key, started - CLOCK_SKEW)
            if found is not None:
                self._record(notification, target, channel_id, found)
                return f"{channel_id}:{found}"
            channel = channel_id
        elif previous is not None and previous[1] is not None:
            return self._update(notification, target, previous[0], previous[1], message)
        else:
            with self._db.writing() as session:
                slack_repo.start_post(
                    session,
                    key,
                    target,
                    channel,
                    notification.kind.value,
                    notification.item,
                    self._clock(),
                )
        return self._post(notification, target, channel, message)

    def _message(self, notification: Notification, target: str) -> SlackMessage:
        if notification.channel == DIRECT:
            language = self._readers.of_person(target)
        else:
            language = self._readers.of_channel(notification.channel)
        with use_language(language):
            read = self._readers.in_language(notification, language)
            return build(read, with_buttons=notification.channel == DIRECT)

    def _paced(self, channel: str, where: str, call: Callable[[], Any]) -> Any:
        """A call that counts as a message in `channel`: made in the channel's turn (paced, and
        never during a 429's Retry-After, for every process); a 429 pauses the channel and the
        call waits for a later turn, like any other."""
        # A post that could still be in flight when this attempt's timeout expires could meet
        # the next attempt's post: better to leave it to that attempt (which looks first).
        reserve = self._clients.posts.timeout + POST_MARGIN_SECONDS
        latest = None if attempt_deadline.at is None else attempt_deadline.at - reserve
        for _ in range(RATE_LIMIT_RETRIES + 1):
            try:
                with self._pacer.turn(channel, latest) as turn:
                    if attempt_deadline.left() < reserve:
                        raise TransientSlackError(f"too little time left in this attempt: {where}")
                    try:
                        with slack_errors(where):
                            return call()
                    except RateLimited as limited:
                        log.info(
                            "slack: %s; %s paused %.1f s", limited, channel, limited.retry_after
                        )
                        turn.rate_limited(limited.retry_after)
            except TurnTimeout as exc:
                raise TransientSlackError(f"{exc}: {where}") from None
        raise TransientSlackError(f"still rate limited after {RATE_LIMIT_RETRIES} tries: {where}")

    def _post(
        self, notification: Notification, target: str, channel: str, message: SlackMessage
    ) -> str:
        response = self._paced(
            channel,
            f"posting to {channel}",
            lambda: self._clients.posts.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                metadata=message.metadata,
                unfurl_links=False,
                unfurl_media=False,
            ),
        )
        ts = str(response["ts"])
        if self._after_post is not None:
            self._after_post(notification, ts)
        self._record(notification, target, channel, ts)
        return f"{channel}:{ts}"

    def _update(
        self,
        notification: Notification,
        target: str,
        channel: str,
        ts: str,
        message: SlackMessage,
    ) -> str:
        """Edit the earlier message about the same item; repeating an edit changes nothing."""
        self._paced(
            channel,
            f"updating {channel}:{ts}",
            lambda: self._clients.edits.chat_update(
                channel=channel,
                ts=ts,
                text=message.text,
                blocks=message.blocks,
                metadata=message.metadata,
            ),
        )
        self._record(notification, target, channel, ts)
        return f"{channel}:{ts}"

    def _record(self, notification: Notification, target: str, channel: str, ts: str) -> None:
        with self._db.writing() as session:
            slack_repo.start_post(
                session,
                notification.key,
                target,
                channel,
                notification.kind.value,
                notification.item,
                self._clock(),
            )
            slack_repo.finish_post(session, notification.key, target, ts, self._clock())

    def _find_posted(self, channel: str, key: str, since: datetime) -> str | None:
        """The ts of the message carrying `key` in its metadata, posted after `since`."""
        cursor: str | None = None
        while True:
            with slack_errors(f"reading the history of {channel}"):
                page: Any = self._clients.calls.conversations_history(
                    channel=channel,
                    oldest=f"{since.timestamp():.6f}",
                    include_all_metadata=True,
                    limit=HISTORY_PAGE,
                    cursor=cursor,
                )
            for message in page["messages"]:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and payload.get("key") == key:
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not page.get("has_more") or cursor is None:
                return None
