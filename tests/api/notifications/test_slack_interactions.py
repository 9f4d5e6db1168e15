"""Steering Committee members recommend from the buttons on their Slack review message."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr
from temporalio.testing import WorkflowEnvironment

from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import PersonRow
from tests.api.app_helpers import (
    OUTSIDER,
    SECRETARIAT,
    STEERING_COMMITTEE,
    People,
    issue_tokens,
    under_review,
)
from tests.api.conftest import Api, seeded_database, serving
from tests.helpers import running_worker
from tests.slack_fake import TOKEN, Message, SlackFake
from tests.slack_helpers import slack_notifier

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
REVIEWER, OTHER_REVIEWER = STEERING_COMMITTEE[0], STEERING_COMMITTEE[1]


@dataclass
class Stack:
    people: People
    fake: SlackFake
    users: dict[str, str]


@pytest_asyncio.fixture(scope="module")
async def stack(
    local_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    url, db = seeded_database(tmp_path_factory.mktemp("slack"))
    fake = SlackFake().start()
    users: dict[str, str] = {}
    with db.reading() as session:
        for i, person in enumerate((*STEERING_COMMITTEE, OUTSIDER, SECRETARIAT)):
            found = registry_repo.get_person(session, person)
            assert found is not None
            users[person] = f"U{i:03d}"
            fake.add_user(found.email, users[person])
    notifier = slack_notifier(db, fake)
    async with running_worker(local_env.client, db, notifier=notifier) as queue:
        settings = Settings(
            database_url=url,
            task_queue=queue,
            id_secret=SecretStr("slack tests"),
            slack_token=SecretStr(TOKEN),
            slack_base_url=fake.base_url,
            slack_signing_secret=SecretStr(SECRET),
        )
        app = create_app(settings, db=db, temporal=local_env.client, run_scheduler=False)
        async with serving(app) as base_url:
            api = Api(base_url, db, {}, local_env.client)
            tokens = issue_tokens(api, (SECRETARIAT, *STEERING_COMMITTEE, OUTSIDER))
            yield Stack(People(api, tokens, queue), fake, users)
    fake.stop()
    db.dispose()


def _signed(body: str, at: float | None = None, secret: str = SECRET) -> dict[str, str]:
    timestamp = str(int(at if at is not None else time.time()))
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def _click(user: str, message: Message, choice: str) -> str:
    [button] = [
        b for b in message.blocks[-1]["elements"] if b["action_id"] == f"recommend:{choice}"
    ]
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "container": {"type": "message", "channel_id": message.channel, "message_ts": message.ts},
        "actions": [{"action_id": button["action_id"], "value": button["value"]}],
    }
    return urlencode({"payload": json.dumps(payload)})


async def _post(stack: Stack, body: str, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=stack.people.api.base_url, timeout=30) as http:
        return await http.post("/slack/interactions", content=body, headers=headers)


async def _until(check: Callable[[], Any], within: float = 30.0) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("nothing happened in time")


def _review_message(stack: Stack, person: str, application: str) -> Message:
    channel = f"D{stack.users[person]}"
    return next(
        m
        for m in stack.fake.messages(channel)
        if m.blocks
        and m.blocks[-1].get("type") == "actions"
        and m.blocks[-1]["elements"][0]["value"] == application
    )


async def _under_review(stack: Stack, application: str) -> Message:
    await under_review(stack.people, application)
    message: Message = await _until(lambda: _has_review(stack, REVIEWER, application))
    return message


def _has_review(stack: Stack, person: str, application: str) -> Message | None:
    try:
        return _review_message(stack, person, application)
    except StopIteration:
        return None


async def test_a_click_records_the_recommendation_and_rewrites_the_message(stack: Stack) -> None:
    message = await _under_review(stack, "app-slack-1")
    body = _click(stack.users[REVIEWER], message, "support")

    answered = await _post(stack, body, _signed(body))

    assert answered.status_code == 200
    edited = await _until(lambda: message if message.edited else None)
    assert f"<@{stack.users[REVIEWER]}>" in edited.text
    assert "recorded *support*" in edited.text
    assert all(b["type"] != "actions" for b in edited.blocks)
    with stack.people.api.db.reading() as session:
        record = application_repo.get(session, "app-slack-1")
    assert record is not None
    [recommendation] = record.recommendations
    assert (recommendation.person, recommendation.recommendation.value) == (REVIEWER, "support")


def _speaks(stack: Stack, person: str, language: str | None) -> None:
    with stack.people.api.db.writing() as session:
        row = session.get(PersonRow, person)
        assert row is not None
        row.language = language


async def test_the_clicker_reads_the_decision_line_in_their_language(stack: Stack) -> None:
    """Issue 20: the rewritten message is in the language of the person who clicked."""
    _speaks(stack, REVIEWER, "fr")
    try:
        message = await _under_review(stack, "app-slack-fr")
        body = _click(stack.users[REVIEWER], message, "support")
        assert (await _post(stack, body, _signed(body))).status_code == 200
        edited = await _until(lambda: message if message.edited else None)
    finally:
        _speaks(stack, REVIEWER, None)
    assert f"<@{stack.users[REVIEWER]}>" in edited.text
    assert " a enregistré *soutien* le " in edited.text


async def test_a_second_vote_and_a_non_reviewer_are_refused_privately(stack: Stack) -> None:
    message = await _under_review(stack, "app-slack-2")
    # Clicks made on the message as it was delivered (before it was rewritten).
    first = _click(stack.users[REVIEWER], message, "object")
    again = _click(stack.users[REVIEWER], message, "support")
    outsider = _click(stack.users[OUTSIDER], message, "support")
    unknown = _click("UNOBODY", message, "support")
    await _post(stack, first, _signed(first))
    await _until(lambda: message.edited)

    for body in (again, outsider, unknown):
        assert (await _post(stack, body, _signed(body))).status_code == 200

    notes = await _until(
        lambda: stack.fake.state.ephemeral if len(stack.fake.state.ephemeral) >= 3 else None
    )
    texts = {n["user"]: n["text"] for n in notes}
    assert "already" in texts[stack.users[REVIEWER]]
    assert texts[stack.users[OUTSIDER]].startswith("Nothing was recorded")
    assert "not linked" in texts["UNOBODY"]
    with stack.people.api.db.reading() as session:
        record = application_repo.get(session, "app-slack-2")
    assert record is not None
    assert [(r.person, r.recommendation.value) for r in record.recommendations] == [
        (REVIEWER, "object")
    ]


async def test_forged_stale_and_replayed_requests_are_refused(stack: Stack) -> None:
    await _under_review(stack, "app-slack-3")
    message = await _until(lambda: _has_review(stack, OTHER_REVIEWER, "app-slack-3"))
    body = _click(stack.users[OTHER_REVIEWER], message, "abstain")
    swapped = _click(stack.users[OTHER_REVIEWER], message, "support")

    forged = await _post(stack, body, _signed(body, secret="not-the-secret"))
    unsigned = await _post(stack, body, {"Content-Type": "application/x-www-form-urlencoded"})
    stale = await _post(stack, body, _signed(body, at=time.time() - 6 * 60))
    tampered_headers = _signed(body)
    tampered = await _post(stack, swapped, tampered_headers)
    headers = _signed(body)
    accepted = await _post(stack, body, headers)
    replayed = await _post(stack, body, headers)

    assert [forged.status_code, unsigned.status_code, tampered.status_code] == [401, 401, 401]
    assert stale.status_code == 403
    assert accepted.status_code == 200
    assert replayed.status_code == 403
    assert replayed.json()["error"] == "forbidden"
    await _until(lambda: message.edited)
    with stack.people.api.db.reading() as session:
        record = application_repo.get(session, "app-slack-3")
    assert record is not None
    assert [(r.person, r.recommendation.value) for r in record.recommendations] == [
        (OTHER_REVIEWER, "abstain")
    ]


async def test_slack_is_answered_without_waiting_for_temporal(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The click is acknowledged before the update is sent: here Temporal cannot even be
    reached, and Slack still gets its 200 (the failure is logged for the operator)."""
    url, db = seeded_database(tmp_path_factory.mktemp("slack-offline"))
    fake = SlackFake().start()
    settings = Settings(
        database_url=url,
        temporal_address="127.0.0.1:9",
        slack_token=SecretStr(TOKEN),
        slack_base_url=fake.base_url,
        slack_signing_secret=SecretStr(SECRET),
    )
    app = create_app(settings, db=db, run_scheduler=False)
    message = Message("DU000", "1.000001", "Please recommend.", [], None)
    message.blocks = [
        {
            "type": "actions",
            "elements": [{"action_id": "recommend:support", "value": "app-x"}],
        }
    ]
    body = _click("U000", message, "support")
    try:
        async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url) as http:
            answered = await http.post("/slack/interactions", content=body, headers=_signed(body))
    finally:
        fake.stop()
        db.dispose()
    assert answered.status_code == 200
    assert answered.content == b""


async def test_without_a_signing_secret_the_endpoint_does_not_exist(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    url, db = seeded_database(tmp_path_factory.mktemp("slack-off"))
    app = create_app(Settings(database_url=url), db=db, run_scheduler=False)
    async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url) as http:
        response = await http.post("/slack/interactions", content=b"payload=%7B%7D")
    db.dispose()
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
