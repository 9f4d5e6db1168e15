"""The Slack-compatible server answers the real slack_sdk client as Slack's Web API does."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from govsched.notify.slack.client import build_clients, error_code, retry_after
from tests.slack_fake import TOKEN, Fault, SlackFake


@pytest.fixture
def fake() -> Iterator[SlackFake]:
    server = SlackFake().start()
    yield server
    server.stop()


def _raw(
    fake: SlackFake, method: str, body: bytes, kind: str, token: str = TOKEN
) -> dict[str, Any]:
    request = Request(
        fake.base_url + method,
        data=body,
        headers={"Content-Type": kind, "Authorization": f"Bearer {token}"},
    )
    with urlopen(request, timeout=5) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return answer


def test_form_and_json_bodies_post_the_same_message(fake: SlackFake) -> None:
    metadata = {"event_type": "govsched_notification", "event_payload": {"key": "k1"}}
    form = urlencode({"channel": "C1", "text": "by form", "metadata": json.dumps(metadata)})
    by_form = _raw(fake, "chat.postMessage", form.encode(), "application/x-www-form-urlencoded")
    body = json.dumps({"channel": "C1", "text": "by json", "metadata": metadata}).encode()
    by_json = _raw(fake, "chat.postMessage", body, "application/json")

    assert by_form["ok"]
    assert by_json["ok"]
    history = WebClient(token=TOKEN, base_url=fake.base_url).conversations_history(
        channel="C1", include_all_metadata=True
    )
    assert [m["text"] for m in history["messages"]] == ["by json", "by form"]
    assert all(m["metadata"] == metadata for m in history["messages"])


def test_metadata_is_returned_only_when_asked_for(fake: SlackFake) -> None:
    client = WebClient(token=TOKEN, base_url=fake.base_url)
    client.chat_postMessage(
        channel="C1", text="x", metadata={"event_type": "e", "event_payload": {"key": "k"}}
    )
    assert "metadata" not in client.conversations_history(channel="C1")["messages"][0]


def test_history_pages_newest_first(fake: SlackFake) -> None:
    client = WebClient(token=TOKEN, base_url=fake.base_url)
    for i in range(5):
        client.chat_postMessage(channel="C1", text=f"m{i}")
    first = client.conversations_history(channel="C1", limit=2)
    second = client.conversations_history(
        channel="C1", limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in first["messages"] + second["messages"]] == ["m4", "m3", "m2", "m1"]
    assert second["has_more"] is True


@pytest.mark.parametrize(
    ("token", "error"),
    [("xoxb-wrong", "invalid_auth"), ("", "not_authed"), ("xoxb-revoked", "token_revoked")],
)
def test_the_bearer_token_is_checked_first(fake: SlackFake, token: str, error: str) -> None:
    fake.state.revoked.add("xoxb-revoked")
    with pytest.raises(SlackApiError) as raised:
        WebClient(token=token or None, base_url=fake.base_url).chat_postMessage(
            channel="C1", text="x"
        )
    assert error_code(raised.value) == error
    assert fake.messages("C1") == []


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel"])
def test_channel_errors_are_ok_false_with_http_200(fake: SlackFake, error: str) -> None:
    state = fake.state
    (state.missing_channels if error == "channel_not_found" else state.outside_channels).add("C9")
    with pytest.raises(SlackApiError) as raised:
        WebClient(token=TOKEN, base_url=fake.base_url).chat_postMessage(channel="C9", text="x")
    assert raised.value.response.status_code == 200
    assert error_code(raised.value) == error


def test_a_429_is_honoured_after_retry_after_by_reads(fake: SlackFake) -> None:
    clients = build_clients(TOKEN, fake.base_url, timeout=2)
    fake.inject("conversations.history", Fault(status=429, retry_after=1))
    started = time.monotonic()
    assert clients.calls.conversations_history(channel="C1")["ok"] is True
    assert time.monotonic() - started >= 1.0
    assert fake.calls("conversations.history") == 2


@pytest.mark.parametrize("method", ["chat.postMessage", "chat.update"])
def test_a_429_to_a_message_is_left_to_the_channels_pacing(fake: SlackFake, method: str) -> None:
    """Posts and edits are retried by the notifier in the channel's turn (slack_pacing.py),
    so that the whole channel waits out the Retry-After, not only this one call."""
    clients = build_clients(TOKEN, fake.base_url, timeout=2)
    fake.inject(method, Fault(status=429, retry_after=7))
    call: Callable[[], object] = {
        "chat.postMessage": lambda: clients.posts.chat_postMessage(channel="C1", text="x"),
        "chat.update": lambda: clients.edits.chat_update(channel="C1", ts="1.000001", text="x"),
    }[method]
    with pytest.raises(SlackApiError) as raised:
        call()
    assert retry_after(raised.value) == 7.0
    assert fake.calls(method) == 1


def test_server_faults_and_timeouts_are_retried_for_safe_calls(fake: SlackFake) -> None:
    clients = build_clients(TOKEN, fake.base_url, timeout=1, backoff=0.01)
    fake.inject("conversations.history", Fault(status=503))
    fake.inject("conversations.history", Fault(status=502))
    fake.inject("conversations.history", Fault(delay=1.5))
    assert clients.calls.conversations_history(channel="C1")["ok"] is True
    # 503, 502, the answer that came too late, and the retry that succeeded
    assert fake.calls("conversations.history") == 4


def test_a_post_is_not_blindly_repeated_after_a_server_fault(fake: SlackFake) -> None:
    clients = build_clients(TOKEN, fake.base_url, timeout=1, backoff=0.01)
    fake.inject("chat.postMessage", Fault(status=500))
    with pytest.raises(SlackApiError) as raised:
        clients.posts.chat_postMessage(channel="C1", text="x")
    assert raised.value.response.status_code == 500


def test_users_are_found_by_email_and_get_a_direct_channel(fake: SlackFake) -> None:
    fake.add_user("Amina@Example.org", "U1")
    client = WebClient(token=TOKEN, base_url=fake.base_url)
    assert client.users_lookupByEmail(email="amina@example.org")["user"]["id"] == "U1"
    assert client.conversations_open(users="U1")["channel"]["id"] == "DU1"
    with pytest.raises(SlackApiError) as raised:
        client.users_lookupByEmail(email="nobody@example.org")
    assert error_code(raised.value) == "users_not_found"


def test_update_edits_the_message_in_place(fake: SlackFake) -> None:
    client = WebClient(token=TOKEN, base_url=fake.base_url)
    ts = client.chat_postMessage(channel="C1", text="before")["ts"]
    client.chat_update(channel="C1", ts=ts, text="after")
    [message] = fake.messages("C1")
    assert (message.ts, message.text, message.edited) == (ts, "after", True)
    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C1", ts="1.000000", text="x")
    assert error_code(raised.value) == "message_not_found"
