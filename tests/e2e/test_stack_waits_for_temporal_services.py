"""The stack waits for a restarted Temporal to serve every service before it gives up: a dev
server started again while the stack waited answered "unknown service ...WorkflowService" to
the first process it started, and `govsched run` stopped (found by the suite under load)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from temporalio.service import RPCError, RPCStatusCode

from govsched import stack
from govsched.config import Settings
from govsched.services import processes
from govsched.temporal import client as temporal_client

STARTING = RPCError(
    "unknown service temporal.api.workflowservice.v1.WorkflowService",
    RPCStatusCode.UNIMPLEMENTED,
    b"",
)


def _settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'govsched.db'}")


def _answers(monkeypatch: pytest.MonkeyPatch, *errors: RPCError) -> list[int]:
    tries: list[int] = []

    async def connect(_settings: Settings, **_: Any) -> object:
        return object()

    async def ensure(*_args: Any) -> None:
        tries.append(len(tries))
        if len(tries) <= len(errors):
            raise errors[len(tries) - 1]

    monkeypatch.setattr(temporal_client, "connect", connect)
    monkeypatch.setattr(processes, "ensure_processes", ensure)
    return tries


def test_a_server_still_registering_its_services_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries = _answers(monkeypatch, STARTING, STARTING)
    asyncio.run(stack._temporal_ready(_settings(tmp_path), time.monotonic() + 60))
    assert tries == [0, 1, 2]


def test_another_refusal_or_the_deadline_ends_the_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = RPCError("namespace not found", RPCStatusCode.NOT_FOUND, b"")
    tries = _answers(monkeypatch, refused)
    with pytest.raises(RPCError, match="namespace not found"):
        asyncio.run(stack._temporal_ready(_settings(tmp_path), time.monotonic() + 60))
    assert tries == [0]
    tries = _answers(monkeypatch, STARTING, STARTING)
    with pytest.raises(RPCError, match="unknown service"):
        asyncio.run(stack._temporal_ready(_settings(tmp_path), time.monotonic() - 1))
    assert tries == [0]


def test_what_a_starting_server_answers_is_told_apart() -> None:
    assert temporal_client.still_starting(STARTING)
    assert temporal_client.still_starting(RPCError("down", RPCStatusCode.UNAVAILABLE, b""))
    assert not temporal_client.still_starting(
        RPCError("not implemented here", RPCStatusCode.UNIMPLEMENTED, b"")
    )
    assert not temporal_client.still_starting(RPCError("no", RPCStatusCode.NOT_FOUND, b""))
