"""slack-sdk WebClients with the retry policy govsched needs, and Slack's error vocabulary.

Three clients share a token and a base URL. `calls` retries everything that is safe to repeat
(reads, lookups): rate limits honour Retry-After, and connection faults, timeouts and 5xx are
retried with exponential backoff. `posts` is for chat.postMessage, which Slack cannot
deduplicate: it retries only a refused connection (the request certainly never arrived). A
timeout or a 5xx after the request was sent may have posted; the notifier then looks for its
message by metadata before it posts again. `edits` (chat.update) retries faults like `calls`.
Neither `posts` nor `edits` retries a 429 itself: the notifier does, through the channel's
pacing, which pauses the channel for every post during the Retry-After (slack_pacing.py).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

SLACK_API = "https://slack.com/api/"

# Errors no retry can cure: the operator must fix a token, a channel or an address.
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "channel_not_found",
        "invalid_auth",
        "invalid_blocks",
        "is_archived",
        "missing_scope",
        "msg_too_long",
        "no_permission",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "token_expired",
        "token_revoked",
        "user_not_found",
        "users_not_found",
    }
)


class ServerFaultRetryHandler(RetryHandler):
    """Retries any 5xx answer (slack-sdk's own handler knows only 500 and 503)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        del state, request, error  # the interface passes them; a 5xx alone decides
        return response is not None and response.status_code >= 500


class RefusedConnectionRetryHandler(ConnectionErrorRetryHandler):
    """Retries only a connection that was refused: the request certainly never arrived."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        del state, request, response  # the interface passes them; the error alone decides
        return isinstance(error, URLError) and isinstance(error.reason, ConnectionRefusedError)


class AttemptDeadline(threading.local):
    """The instant (time.monotonic) by which the running delivery attempt must be over, if any.

    A Temporal activity attempt that outlives its start-to-close timeout keeps running while
    the next attempt starts; if both then post, one notification is posted twice. Each attempt
    therefore stops posting, and stops waiting out rate limits, before its own deadline.
    """

    at: float | None = None

    def left(self) -> float:
        return float("inf") if self.at is None else self.at - time.monotonic()


attempt_deadline = AttemptDeadline()


@dataclass(frozen=True)
class SlackClients:
    calls: WebClient
    posts: WebClient
    edits: WebClient


def build_clients(
    token: str,
    base_url: str = SLACK_API,
    timeout: int = 10,
    retries: int = 4,
    backoff: float = 0.5,
) -> SlackClients:
    interval: RetryIntervalCalculator = BackoffRetryIntervalCalculator(backoff_factor=backoff)
    faults: list[RetryHandler] = [
        ConnectionErrorRetryHandler(
            max_retry_count=retries,
            interval_calculator=interval,
            error_types=[URLError, ConnectionResetError, RemoteDisconnected, socket.timeout],
        ),
        ServerFaultRetryHandler(max_retry_count=retries, interval_calculator=interval),
    ]
    safe: list[RetryHandler] = [RateLimitErrorRetryHandler(max_retry_count=retries), *faults]
    unsafe: list[RetryHandler] = [
        RefusedConnectionRetryHandler(max_retry_count=retries, interval_calculator=interval),
    ]
    base = base_url if base_url.endswith("/") else base_url + "/"

    def client(handlers: list[RetryHandler]) -> WebClient:
        return WebClient(token=token, base_url=base, timeout=timeout, retry_handlers=handlers)

    return SlackClients(calls=client(safe), posts=client(unsafe), edits=client(faults))


def error_code(exc: SlackApiError) -> str:
    data: Any = exc.response.data if exc.response is not None else None
    if isinstance(data, dict):
        return str(data.get("error") or f"http_{exc.response.status_code}")
    return f"http_{exc.response.status_code}" if exc.response is not None else "unknown"


def is_permanent(exc: SlackApiError) -> bool:
    return error_code(exc) in PERMANENT_ERRORS


def retry_after(exc: SlackApiError, default: float = 1.0) -> float | None:
    """The seconds a 429 asks to wait (None if `exc` is not a 429)."""
    response = exc.response
    if response is None or response.status_code != 429:
        return None
    headers = {str(k).lower(): v for k, v in (response.headers or {}).items()}
    value = headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(0.0, float(value)) if value is not None else default
    except (TypeError, ValueError):
        return default
