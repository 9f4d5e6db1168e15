"""The embedded stack as `make run` starts it: serves, keeps everything across a restart, stops."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.e2e.stack_process import RunningStack, StackEnv, describe_workflow, port_is_free

pytestmark = pytest.mark.e2e

CHAIR_TERM = {"member": "gov-estavia", "starts": "2027-03-20", "ends": "2028-03-17"}
PLENARY = {
    "year": 2028,
    "starts": "2028-03-14",
    "ends": "2028-03-17",
    "location": "Estavia City",
    "host": "gov-estavia",
}


def _workflow_status(env: StackEnv, workflow_id: str) -> str:
    status: str = describe_workflow(env, workflow_id)["workflowExecutionInfo"]["status"]
    return status


def test_the_stack_serves_survives_a_restart_and_stops_cleanly(tmp_path: Path) -> None:
    env = StackEnv(var_dir=tmp_path / "var")
    stack = RunningStack(env)
    try:
        stack.wait_ready()
        assert any("demo registry loaded" in line for line in stack.lines)
        headers = {"Authorization": f"Bearer {env.token('sec-amina-okafor')}"}
        with httpx.Client(base_url=env.base_url, headers=headers, timeout=60) as client:
            assert len(client.get("/members").json()) == 74
            assert b"plenary-2027@vpi.govsched" in client.get("/calendars/public.ics").content
            term = client.post(
                "/chair-terms", json=CHAIR_TERM, headers={"Idempotency-Key": "e2e-term"}
            )
            plenary = client.post("/plenaries", json=PLENARY)
        assert term.status_code == 201, term.text
        assert plenary.status_code == 201, plenary.text
        assert httpx.get(f"http://127.0.0.1:{env.ui_port}/", timeout=30).status_code == 200
        assert (
            _workflow_status(env, "registry-change-e2e-term") == "WORKFLOW_EXECUTION_STATUS_RUNNING"
        )
    finally:
        code = stack.interrupt()
    assert code == 0, "\n".join(stack.lines)
    assert all(port_is_free(p) for p in (env.http_port, env.temporal_port, env.ui_port))

    restarted = RunningStack(env)
    try:
        restarted.wait_ready()
        assert any("existing data kept" in line for line in restarted.lines)
        headers = {"Authorization": f"Bearer {env.token('sec-amina-okafor')}"}
        with httpx.Client(base_url=env.base_url, headers=headers, timeout=60) as client:
            plenaries = [p["id"] for p in client.get("/plenaries").json()]
            again = client.post(
                "/chair-terms", json=CHAIR_TERM, headers={"Idempotency-Key": "e2e-term"}
            )
        assert plenaries == ["plenary-2026", "plenary-2027", "plenary-2028"]
        assert again.status_code == 201
        # The term begins in March 2027: its workflow is still waiting, across the restart.
        assert (
            _workflow_status(env, "registry-change-e2e-term") == "WORKFLOW_EXECUTION_STATUS_RUNNING"
        )
    finally:
        code = restarted.interrupt()
    assert code == 0, "\n".join(restarted.lines)


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    """Whatever holds the port (here a plain listening socket, as another program would: a
    whole second stack cost as much as the rest of this file)."""
    env = StackEnv(var_dir=tmp_path / "var")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", env.http_port))
        holder.listen()
        clash = env.govsched("run")
    assert clash.returncode == 1
    assert clash.stderr.strip() == (
        f"govsched: port {env.http_port} is already in use; "
        "stop what uses it or set GOVSCHED_HTTP_PORT"
    )
