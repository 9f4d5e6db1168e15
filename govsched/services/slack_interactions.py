"""Slack button clicks: verified, turned into the same workflow update the API sends.

Slack wants an answer within 3 seconds, and a Temporal update can take longer, so the endpoint
verifies and parses the request, answers at once, and `decide` does the work afterwards: it
sends the `recommend` update (whose validator refuses a second vote, a person who is not a
reviewer, or an application no longer under review), then rewrites the review message with
who decided what and when, or tells the clicker privately why nothing was recorded.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from governance.applications import requests as req
from governance.kernel.errors import GovernanceError
from governance.kernel.languages import Language, reading_language
from governance.kernel.model import Person
from governance.rulebook.model import Recommendation, Rulebook
from govsched.i18n.current import gettext, use_language
from govsched.i18n.messages import LabelTexts
from govsched.i18n.refusals import refusal_text
from govsched.notify.readers import text_in
from govsched.notify.slack.client import SlackClients, build_clients
from govsched.notify.slack.messages import RECOMMEND_ACTION, decided, escape, unescape
from govsched.persistence.db import Database
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import slack as slack_repo
from govsched.services.applications import ApplicationService
from govsched.temporal.client import unreachable

log = logging.getLogger("govsched.slack")

# Slack's own rule: a request whose timestamp is more than five minutes off is refused.
WINDOW_SECONDS = 5 * 60


class Refused(Exception):
    """The request is not from Slack (401) or is stale or replayed (403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ReplayGuard:
    """Signatures seen within the window: the same signed request twice is a replay."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def first_time(self, signature: str) -> bool:
        now = self._clock()
        with self._lock:
            self._seen = {s: t for s, t in self._seen.items() if t > now - WINDOW_SECONDS}
            if signature in self._seen:
                return False
            self._seen[signature] = now
            return True


def verify(
    secret: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    guard: ReplayGuard,
    now: float,
) -> None:
    if not timestamp or not signature:
        raise Refused(401, "missing X-Slack-Request-Timestamp or X-Slack-Signature")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Refused(401, "X-Slack-Request-Timestamp is not a number") from None
    verifier = SignatureVerifier(secret)
    expected = verifier.generate_signature(timestamp=timestamp, body=body)
    if expected is None or not _same(expected, signature):
        raise Refused(401, "the signature does not match")
    if abs(now - sent) > WINDOW_SECONDS:
        raise Refused(403, "the request is older than five minutes")
    if not guard.first_time(signature):
        raise Refused(403, "the request was already received")


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class Click:
    slack_user: str
    application: str
    recommendation: Recommendation
    channel: str
    message_ts: str


def parse_click(body: bytes) -> Click | None:
    """The recommendation button a block_actions payload carries, or None for anything else."""
    form = parse_qs(body.decode("utf-8", "replace"))
    raw = form.get("payload", [""])[0]
    try:
        payload: Any = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("type") != "block_actions":
        return None
    actions = payload.get("actions") or []
    action = actions[0] if actions and isinstance(actions[0], dict) else {}
    prefix, _, choice = str(action.get("action_id", "")).partition(":")
    if prefix != RECOMMEND_ACTION or choice not in {r.value for r in Recommendation}:
        return None
    container = payload.get("container") or {}
    user = (payload.get("user") or {}).get("id")
    channel = container.get("channel_id") or (payload.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (payload.get("message") or {}).get("ts")
    if not (user and channel and ts and action.get("value")):
        return None
    return Click(
        str(user), unescape(str(action["value"])), Recommendation(choice), str(channel), str(ts)
    )


class Decisions:
    """Applies clicks; one per API process, holding the Slack client."""

    def __init__(
        self,
        db: Database,
        clients: SlackClients,
        default: Language = Language.EN,
        labels: LabelTexts | None = None,
    ) -> None:
        self._db = db
        self._clients = clients
        # the initiative's language, for a clicker who chose none, and its labels' texts
        self._default = default
        self._labels = labels

    @classmethod
    def from_settings(
        cls, db: Database, token: str, base_url: str, rulebook: Rulebook | None = None
    ) -> Decisions:
        if rulebook is None:
            return cls(db, build_clients(token, base_url))
        language = rulebook.initiative.language
        return cls(db, build_clients(token, base_url), language, rulebook.label_text)

    async def decide(self, click: Click, service: ApplicationService, at: datetime) -> None:
        # Slack and database calls are blocking: off the event loop, which serves other requests.
        person = await asyncio.to_thread(self._person, click.slack_user)
        with self._db.reading() as session:
            row = slack_repo.message_at(session, click.channel, click.message_ts)
            notice = notification_repo.get(session, row.notification_key) if row else None
            who = registry_repo.get_person(session, person) if person else None
        # the clicker reads what they are told, and the message they clicked on, in their language
        language = reading_language(who.language if who else None, self._default)
        original = text_in(notice, language, self._labels) if notice is not None else None
        with use_language(language):
            await self._decide(click, service, at, person, who, original)

    async def _decide(
        self,
        click: Click,
        service: ApplicationService,
        at: datetime,
        person: str | None,
        who: Person | None,
        original: str | None,
    ) -> None:
        if person is None:
            await asyncio.to_thread(
                self._tell,
                click,
                gettext("Your Slack account is not linked to anyone in govsched."),
            )
            return
        request = req.Recommend(
            application=click.application,
            by=person,
            recommendation=click.recommendation,
            comment="recorded from Slack",
        )
        # one click, one update: a click repeated after Temporal was lost is applied once
        choice = click.recommendation.value
        key = f"slack:{click.channel}:{click.message_ts}:{click.slack_user}:{choice}"
        try:
            await service.perform(request, at, key)
        except GovernanceError as refusal:
            told = gettext("Nothing was recorded: %(reason)s.") % {"reason": refusal_text(refusal)}
            await asyncio.to_thread(self._tell, click, told)
            return
        except Exception as exc:
            if not unreachable(exc):
                raise
            text = gettext(
                "Nothing was recorded yet: govsched cannot reach its workflow service. "
                "Click again in a minute."
            )
            await asyncio.to_thread(self._tell, click, text)
            return
        name = who.name if who is not None else person
        message = decided(original or "", click.slack_user, name, click.recommendation.value, at)
        await asyncio.to_thread(
            self._clients.calls.chat_update,
            channel=click.channel,
            ts=click.message_ts,
            text=message.text,
            blocks=message.blocks,
        )

    def _person(self, slack_user: str) -> str | None:
        """The person behind a Slack user: cached, or found by the email Slack has for them."""
        with self._db.reading() as session:
            person = slack_repo.person_for_slack_user(session, slack_user)
        if person is not None:
            return person
        try:
            profile = self._clients.calls.users_info(user=slack_user)["user"]["profile"]
        except SlackApiError:
            return None
        email = str(profile.get("email") or "")
        with self._db.writing() as session:
            person = slack_repo.person_with_email(session, email) if email else None
            if person is not None:
                slack_repo.remember_user(session, email, slack_user, None, datetime.now(UTC))
        return person

    def _tell(self, click: Click, text: str) -> None:
        self._clients.calls.chat_postEphemeral(
            channel=click.channel, user=click.slack_user, text=escape(text)
        )
