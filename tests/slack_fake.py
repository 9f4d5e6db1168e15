"""A Slack-compatible Web API server for tests and benchmarks (Slack itself is out of reach).

It answers the methods govsched calls the way api.slack.com documents them: a bearer token is
checked first, bodies may be form-encoded or JSON (GET methods take query parameters), every
answer is `{"ok": true, ...}` or `{"ok": false, "error": "..."}` with HTTP 200, except rate
limits (429 with Retry-After) and server faults (5xx). Tests drive it through the real
slack_sdk WebClient, and inject faults per method with `inject`.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "xoxb-govsched-test"
TEAM = "T0GOVSCHED"
BOT_USER = "U0GOVBOT"
# Slack's documented ceilings for what chat.postMessage accepts.
MAX_TEXT = 40_000
MAX_BLOCKS = 50


@dataclass
class Fault:
    """What the next call to a method gets instead of (or besides) its normal answer.

    `status` 429 answers with Retry-After `retry_after`; other statuses are server faults.
    `error` answers HTTP 200 with ok=false. `delay` alone takes effect, then sleeps before
    answering: a post that happened although the client timed out waiting for the answer.
    """

    status: int | None = None
    retry_after: int = 1
    error: str | None = None
    delay: float = 0.0


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    metadata: dict[str, Any] | None
    user: str = BOT_USER
    edited: bool = False


@dataclass
class Arrival:
    method: str
    channel: str | None
    at: float
    text: str = ""


@dataclass
class Request:
    """Every request as it arrived, answered or refused (a 429 included)."""

    method: str
    channel: str | None
    at: float
    status: int


@dataclass
class FakeState:
    tokens: set[str] = field(default_factory=lambda: {TOKEN})
    revoked: set[str] = field(default_factory=set)
    missing_channels: set[str] = field(default_factory=set)
    outside_channels: set[str] = field(default_factory=set)
    users: dict[str, str] = field(default_factory=dict)
    messages: dict[str, list[Message]] = field(default_factory=lambda: defaultdict(list))
    ephemeral: list[dict[str, Any]] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=lambda: defaultdict(list))
    arrivals: list[Arrival] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Slack's per-channel posting limit, when enforced: posts closer together than this (less a
    # little tolerance for clocks) are answered 429.
    channel_interval: float | None = None
    last_post: dict[str, float] = field(default_factory=dict)
    rate_limited: int = 0


class SlackFake:
    """Start with `start()`, point the client at `base_url`, stop with `stop()`."""

    def __init__(self) -> None:
        self.state = FakeState()
        self._lock = threading.Lock()
        self._clock = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/"

    def start(self) -> SlackFake:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- set-up and inspection ----------------------------------------------------------------

    def add_user(self, email: str, user_id: str) -> None:
        self.state.users[email.lower()] = user_id

    def inject(self, method: str, fault: Fault, times: int = 1) -> None:
        with self._lock:
            self.state.faults[method].extend([fault] * times)

    def messages(self, channel: str) -> list[Message]:
        with self._lock:
            return list(self.state.messages[channel])

    def all_messages(self) -> list[Message]:
        with self._lock:
            return [m for msgs in self.state.messages.values() for m in msgs]

    def calls(self, method: str) -> int:
        with self._lock:
            return self.state.calls[method]

    def arrivals(self, method: str = "chat.postMessage") -> list[Arrival]:
        with self._lock:
            return [a for a in self.state.arrivals if a.method == method]

    def requests(self, method: str = "chat.postMessage") -> list[Request]:
        """Every request to `method` in the order it arrived, with the status it got."""
        with self._lock:
            return [r for r in self.state.requests if r.method == method]

    def record_request(self, method: str, args: dict[str, Any], status: int, at: float) -> None:
        channel = args.get("channel")
        with self._lock:
            self.state.requests.append(
                Request(method, None if channel is None else str(channel), at, status)
            )

    # -- the API ------------------------------------------------------------------------------

    def next_ts(self) -> str:
        # Slack's ts is seconds.microseconds and unique per channel; a counter keeps it unique
        # and ordered even when several posts land within one microsecond.
        tick = next(self._clock)
        return f"{int(time.time())}.{tick:06d}"

    def enforce_channel_limit(self, interval: float) -> None:
        self.state.channel_interval = interval

    def over_limit(self, method: str, args: dict[str, Any]) -> bool:
        """Whether this post breaks the channel limit (it then counts as rate limited)."""
        interval = self.state.channel_interval
        if method != "chat.postMessage" or interval is None:
            return False
        channel, now = str(args.get("channel")), time.monotonic()
        with self._lock:
            last = self.state.last_post.get(channel)
            if last is not None and now - last < interval * 0.9:
                self.state.rate_limited += 1
                return True
            self.state.last_post[channel] = now
            return False

    def take_fault(self, method: str) -> Fault | None:
        """Count the request, and take the next fault injected for its method."""
        with self._lock:
            self.state.calls[method] += 1
            pending = self.state.faults.get(method)
            return pending.pop(0) if pending else None

    def handle(self, method: str, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            auth = self._authenticate(token)
            if auth is not None:
                return auth
            handler = _METHODS.get(method)
            if handler is None:
                return {"ok": False, "error": "unknown_method"}
            return handler(self, args)

    def _authenticate(self, token: str | None) -> dict[str, Any] | None:
        if not token:
            return {"ok": False, "error": "not_authed"}
        if token in self.state.revoked:
            return {"ok": False, "error": "token_revoked"}
        if token not in self.state.tokens:
            return {"ok": False, "error": "invalid_auth"}
        return None

    def _channel_problem(self, channel: str | None) -> dict[str, Any] | None:
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.state.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.state.outside_channels:
            return {"ok": False, "error": "not_in_channel"}
        return None

    def _find(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self.state.messages[channel] if m.ts == ts), None)


def _post(fake: SlackFake, args: dict[str, Any]) -> dict[str, Any]:
    channel = args.get("channel")
    problem = fake._channel_problem(channel)
    if problem is not None:
        return problem
    assert isinstance(channel, str)
    text, blocks = str(args.get("text") or ""), _json_arg(args.get("blocks")) or []
    if not text and not blocks:
        return {"ok": False, "error": "no_text"}
    if len(text) > MAX_TEXT:
        return {"ok": False, "error": "msg_too_long"}
    if len(blocks) > MAX_BLOCKS:
        return {"ok": False, "error": "invalid_blocks"}
    message = Message(channel, fake.next_ts(), text, blocks, _json_arg(args.get("metadata")))
    fake.state.messages[channel].append(message)
    fake.state.arrivals.append(Arrival("chat.postMessage", channel, time.monotonic(), text))
    return {"ok": True, "channel": channel, "ts": message.ts, "message": _public(message, True)}


def _update(fake: SlackFake, args: dict[str, Any]) -> dict[str, Any]:
    channel = args.get("channel")
    problem = fake._channel_problem(channel)
    if problem is not None:
        return problem
    assert isinstance(channel, str)
    message = fake._find(channel, str(args.get("ts")))
    if message is None:
        return {"ok": False, "error": "message_not_found"}
    if message.user != BOT_USER:
        return {"ok": False, "error": "cant_update_message"}
    message.text = str(args.get("text") or message.text)
    message.blocks = _json_arg(args.get("blocks")) or message.blocks
    if args.get("metadata"):
        message.metadata = _json_arg(args.get("metadata"))
    message.edited = True
    fake.state.arrivals.append(Arrival("chat.update", channel, time.monotonic(), message.text))
    return {"ok": True, "channel": channel, "ts": message.ts, "text": message.text}


def _history(fake: SlackFake, args: dict[str, Any]) -> dict[str, Any]:
    channel = args.get("channel")
    problem = fake._channel_problem(channel)
    if problem is not None:
        return problem
    assert isinstance(channel, str)
    oldest = float(args.get("oldest") or 0)
    limit = max(1, min(int(args.get("limit") or 100), 999))
    start = int(args.get("cursor") or 0)
    with_metadata = str(args.get("include_all_metadata", "")).lower() in {"1", "true"}
    newest_first = sorted(
        (m for m in fake.state.messages[channel] if float(m.ts) > oldest),
        key=lambda m: float(m.ts),
        reverse=True,
    )
    page = newest_first[start : start + limit]
    more = start + limit < len(newest_first)
    return {
        "ok": True,
        "messages": [_public(m, with_metadata) for m in page],
        "has_more": more,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def _lookup(fake: SlackFake, args: dict[str, Any]) -> dict[str, Any]:
    email = str(args.get("email") or "").lower()
    user = fake.state.users.get(email)
    if user is None:
        return {"ok": False, "error": "users_not_found"}
    return {"ok": True, "user": {"id": user, "team_id": TEAM, "profile": {"email": email}}}


def _info(fake: SlackFake, args: dict[str, Any]) -> dict[str, Any]:
    user = str(args.get("user") or "")
    email = next((e for e, u in fake.state.users.items() if u == user), None)
    if email is None:
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "user": {"id": user, "team_id": TEAM, "profile": {"email": email}}}


def _open(fake: SlackFake, args: dict[str, Any]) -> dict[str, Any]:
    users = str(args.get("users") or "")
    if users not in fake.state.users.values():
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "channel": {"id": f"D{users}"}}


def _ephemeral(fake: SlackFake, args: dict[str, Any]) -> dict[str, Any]:
    problem = fake._channel_problem(args.get("channel"))
    if problem is not None:
        return problem
    fake.state.ephemeral.append(dict(args))
    return {"ok": True, "message_ts": fake.next_ts()}


def _auth_test(_fake: SlackFake, _args: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0GOVBOT"}


_METHODS = {
    "chat.postMessage": _post,
    "chat.update": _update,
    "chat.postEphemeral": _ephemeral,
    "conversations.history": _history,
    "conversations.open": _open,
    "users.lookupByEmail": _lookup,
    "users.info": _info,
    "auth.test": _auth_test,
}


def _public(message: Message, with_metadata: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "message",
        "user": message.user,
        "ts": message.ts,
        "text": message.text,
        "blocks": message.blocks,
    }
    if message.edited:
        body["edited"] = {"user": message.user, "ts": message.ts}
    if with_metadata and message.metadata is not None:
        body["metadata"] = message.metadata
    return body


def _json_arg(value: Any) -> Any:
    # Form bodies carry blocks and metadata as JSON strings; JSON bodies carry them as values.
    if isinstance(value, str):
        return json.loads(value) if value else None
    return value


def _handler_for(fake: SlackFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._serve(dict(_flat(parse_qs(urlsplit(self.path).query))))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            args = dict(_flat(parse_qs(urlsplit(self.path).query)))
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if kind == "application/json" and raw:
                args.update(json.loads(raw))
            elif raw:
                args.update(_flat(parse_qs(raw, keep_blank_values=True)))
            self._serve(args)

        def _serve(self, args: dict[str, Any]) -> None:
            arrived = time.monotonic()
            method = urlsplit(self.path).path.rsplit("/", 1)[-1]
            header = self.headers.get("Authorization") or ""
            token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
            token = token or args.get("token")
            fault = fake.take_fault(method)
            if fault is None and fake.over_limit(method, args):
                fault = Fault(status=429, retry_after=1)
            if fault is not None and (fault.status is not None or fault.error is not None):
                fake.record_request(method, args, fault.status or 200, arrived)
                self._fault(fault)
                return
            fake.record_request(method, args, 200, arrived)
            body = fake.handle(method, token, args)
            if fault is not None and fault.delay:
                time.sleep(fault.delay)
            self._send(200, body)

        def _fault(self, fault: Fault) -> None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status == 429:
                self._send(429, {"ok": False, "error": "ratelimited"}, fault.retry_after)
            elif fault.status is not None:
                self._send(fault.status, {"ok": False, "error": "fatal_error"})
            else:
                self._send(200, {"ok": False, "error": fault.error})

        def _send(self, status: int, body: dict[str, Any], retry_after: int | None = None) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if retry_after is not None:
                    self.send_header("Retry-After", str(retry_after))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up (a timeout test): Slack would have done the work anyway.
                pass

    return Handler


def _flat(parsed: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(key, values[-1]) for key, values in parsed.items()]
