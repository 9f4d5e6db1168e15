"""Committed histories of every workflow type still replay against today's code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from temporalio.workflow import NondeterminismError, _Definition

from tests.replay.altered_workflows import UnannouncedRegistryChange
from workflows import WORKFLOWS
from workflows.base.keepalive import StoreKeepalive
from workflows.base.sandbox import workflow_runner

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def _history(path: Path) -> WorkflowHistory:
    return WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))


def _workflow_type(path: Path) -> str:
    events = json.loads(path.read_text(encoding="utf-8"))["events"]
    name: str = events[0]["workflowExecutionStartedEventAttributes"]["workflowType"]["name"]
    return name


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_committed_history_replays(path: Path) -> None:
    # through the worker's own interceptors: store activities scheduled with a heartbeat
    # timeout since (workflows/base/keepalive.py) must still match what was recorded before
    replayer = Replayer(
        workflows=WORKFLOWS,
        data_converter=pydantic_data_converter,
        interceptors=[StoreKeepalive()],
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(_history(path))


def test_every_workflow_type_has_a_committed_history() -> None:
    names = (_Definition.must_from_class(cls).name for cls in WORKFLOWS)
    registered = {name for name in names if name is not None}
    captured = {_workflow_type(path) for path in HISTORIES}
    assert registered <= captured, f"no committed history for {sorted(registered - captured)}"


async def test_an_unpatched_change_to_the_command_sequence_fails_replay() -> None:
    path = Path(__file__).parent / "histories" / "registry-change-schedule-plenary.json"
    replayer = Replayer(
        workflows=[UnannouncedRegistryChange], data_converter=pydantic_data_converter
    )
    with pytest.raises(NondeterminismError):
        await replayer.replay_workflow(_history(path))
