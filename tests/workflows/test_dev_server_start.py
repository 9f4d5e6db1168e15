"""The tests' own dev servers survive one that dies as it starts (temporalio/cli#543: it picks
its HTTP API and metrics ports at random, and another test's server may take one first). Seen
in the embedded stack (tests/e2e/test_stack_supervision.py); the fixtures start servers the
same way, beside each other, in every lane."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.api.workflowservice.v1 import ListNamespacesRequest

from tests.conftest import DEV_SERVER_STARTS, start_dev_server
from tests.crashing_temporal import dies_at_its_first_start


async def test_a_dev_server_that_dies_as_it_starts_is_started_again(tmp_path: Path) -> None:
    cli = dies_at_its_first_start(tmp_path)
    env = await start_dev_server(cli)
    try:
        assert (tmp_path / "started-once").exists(), "the first start did not die"
        assert await env.client.service_client.check_health()
        namespaces = await env.client.workflow_service.list_namespaces(ListNamespacesRequest())
        assert "default" in [each.namespace_info.name for each in namespaces.namespaces]
    finally:
        await env.shutdown()


async def test_a_dev_server_that_never_starts_is_reported_after_the_last_attempt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = tmp_path / "temporal"
    cli.write_text("#!/bin/sh\necho 'panic: never starts' >&2\nexit 2\n")
    cli.chmod(0o755)
    with pytest.raises(RuntimeError, match="Failed starting Temporal dev server"):
        await start_dev_server(cli, startup=timedelta(seconds=1))
    retried = capsys.readouterr().err.count("Temporal dev server did not start")
    assert retried == DEV_SERVER_STARTS - 1
