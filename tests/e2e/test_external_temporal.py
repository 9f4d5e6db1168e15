"""With GOVSCHED_TEMPORAL_ADDRESS set, the stack uses that cluster and starts no server itself."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from tests.e2e.stack_process import RunningStack, StackEnv, port_is_free

pytestmark = pytest.mark.e2e


async def test_the_stack_connects_to_a_configured_cluster(
    local_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    address = local_env.client.service_client.config.target_host
    env = StackEnv(var_dir=tmp_path / "var", temporal_address=address)
    stack = RunningStack(env)
    try:
        await asyncio.to_thread(stack.wait_ready)
        token = await asyncio.to_thread(env.token, "sec-amina-okafor")
        async with httpx.AsyncClient(
            base_url=env.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        ) as client:
            plenary = await client.post(
                "/plenaries",
                json={
                    "year": 2029,
                    "starts": "2029-03-13",
                    "ends": "2029-03-16",
                    "location": "Lusmark",
                    "host": "gov-lusmark",
                },
                headers={"Idempotency-Key": "external-cluster"},
            )
    finally:
        code = await asyncio.to_thread(stack.interrupt)
    assert code == 0, "\n".join(stack.lines)
    assert plenary.status_code == 201, plenary.text
    assert not any("Temporal UI" in line for line in stack.lines)
    assert any(f"Temporal server   {address}" in line for line in stack.lines)
    assert port_is_free(env.temporal_port)
    described = await local_env.client.get_workflow_handle(
        "registry-change-external-cluster"
    ).describe()
    assert described.workflow_type == "registry-change"


def test_an_invalid_rulebook_stops_the_stack_before_anything_starts(tmp_path: Path) -> None:
    rulebook = tmp_path / "rules.yaml"
    rulebook.write_text("plenary:\n  duration_days: 0\n", encoding="utf-8")
    env = StackEnv(var_dir=tmp_path / "var", rulebook=str(rulebook))
    result = env.govsched("run")
    assert result.returncode == 2
    assert "plenary.duration_days: Input should be greater than or equal to 1" in result.stderr
    assert port_is_free(env.temporal_port)
    assert port_is_free(env.http_port)
