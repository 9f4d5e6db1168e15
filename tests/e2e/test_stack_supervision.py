"""`govsched run` keeps its parts running (issue 17, item 17). Seen: when one part died the
whole stack stopped (the API took 22 s), and a submission repeated after the restart hung for
30-60 s.

Each part's process is killed in turn (SIGKILL, as a crash would): the stack says so, starts it
again and serves changes again. A submission caught in flight by a worker's death answers soon
after the restart when repeated with its key. Ctrl-C stops every process (README: within 5 s,
the stack's own deadline).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from govsched.config import Settings
from govsched.services.ids import IdMaker, server_secret
from tests.crashing_temporal import dies_at_its_first_start
from tests.e2e.stack_process import READY_LINE, RunningStack, StackEnv, describe_workflow

pytestmark = pytest.mark.e2e

PARTS = ("worker", "api", "temporal")
# The README's "within 5 s" is the stack's own deadline, after which it kills what still runs
# (tests/e2e/test_stack_stop.py shows the order and the kill with stand-ins). Here the real
# processes stop in about 1.5 s; the bound only tells a stop by that deadline from the old one,
# 20 s per part in turn, without failing when a loaded machine is slow to schedule the exits
# (5.05 s was seen once).
STOPPED_WITHIN = 15.0
# The step is a local activity in the run's first workflow task: a dead worker's task times out
# after 10 s and the restarted worker writes the step (8.75 s after the restart, seen with the
# other core busy). The old code waited out the store activity's 60 s timeout (59.7 s).
REPEAT_ANSWERED_WITHIN = 30.0
FIGURES = Path("test-artifacts") / "stack-supervision.json"
APPLICATION = {
    "organisation": "Quarry Partners",
    "pillar": "company",
    "country": "Norland",
    "contact_email": "apply@quarry.example",
    "statement": "We commit to implement the Voluntary Principles.",
}


def _children(pid: int) -> list[int]:
    listed = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(p) for p in listed.stdout.split()]


def _descendants(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def _part(stack: RunningStack, name: str) -> int:
    """The pid of the stack's part `name` (its direct child)."""
    for pid in _children(stack.process.pid):
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        kind = "temporal" if "start-dev" in command else command.split()[-1]
        if kind == name:
            return pid
    raise AssertionError(f"no {name} process under the stack: {_children(stack.process.pid)}")


def _wait(condition: object, within: float, what: str) -> float:
    """Seconds until `condition()` held; fails after `within`."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if callable(condition) and condition():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"not within {within:.0f} s: {what}")


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie has exited: it only waits to be reaped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "(zombie)" not in status


# One stack for the file, whose Temporal server dies as it first starts: the submission's test
# leaves it serving (its worker restarted once), and the test that kills each part in turn,
# which runs last, ends it with Ctrl-C. Restarts are counted from what the stack said before
# each kill, so every test also runs alone.
@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[StackEnv, RunningStack, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("supervision")
    env = StackEnv(var_dir=folder / "var", temporal_cli=str(dies_at_its_first_start(folder)))
    running = RunningStack(env)
    try:
        running.wait_ready()
        yield env, running, {"Authorization": f"Bearer {env.token('sec-amina-okafor')}"}
    finally:
        if running.process.poll() is None:
            running.interrupt()


def _serves_changes(env: StackEnv, headers: dict[str, str], key: str) -> bool:
    person = {"id": key, "name": "Restart Check", "email": f"{key}@checks.example"}
    try:
        response = httpx.post(
            f"{env.base_url}/people",
            json=person,
            headers={**headers, "Idempotency-Key": key},
            timeout=10,
        )
    except httpx.HTTPError:
        return False
    return response.status_code == 201


def test_a_temporal_server_that_dies_as_it_starts_is_started_again(
    stack: tuple[StackEnv, RunningStack, dict[str, str]],
) -> None:
    _, running, _ = stack
    lines = list(running.lines)
    ready = lines.index(READY_LINE)
    died = lines.index("govsched: the temporal stopped unexpectedly (exit 2); restarting it in 1 s")
    assert died < lines.index("govsched: the temporal was restarted (restart 1)") < ready


def test_a_submission_caught_by_a_dying_worker_answers_soon_when_repeated(
    stack: tuple[StackEnv, RunningStack, dict[str, str]],
) -> None:
    env, running, headers = stack
    key = {"Idempotency-Key": "caught-in-flight"}
    # The worker's first write for the application waits on a lock held here, so the worker
    # dies with the step in hand (as a crash mid-write would): a local activity in the run's
    # first workflow task, which another worker runs again once that task times out.
    lock = sqlite3.connect(env.var_dir / "govsched.db", timeout=30, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    first = threading.Thread(
        target=lambda: _post_quietly(env, headers | key, timeout=5), daemon=True
    )
    first.start()
    worker = _part(running, "worker")
    restarts = _restarts(running, "worker")
    _wait(lambda: _worker_waits_on_the_lock(env), 60, "the worker holds the first write")
    os.killpg(worker, signal.SIGKILL)
    lock.execute("ROLLBACK")
    lock.close()
    _wait(
        lambda: _restarted(running, "worker", restarts + 1),
        60,
        "the worker restarted",
    )
    started = time.monotonic()
    repeated = httpx.post(
        f"{env.base_url}/applications", json=APPLICATION, headers=headers | key, timeout=120
    )
    took = time.monotonic() - started
    _record("repeat_after_worker_restart_s", took)
    assert repeated.status_code == 201, repeated.text
    assert took < REPEAT_ANSWERED_WITHIN, f"the repeat answered after {took:.1f} s"


def test_a_killed_part_is_restarted_and_the_stack_serves_again_then_ctrl_c_stops_all(
    stack: tuple[StackEnv, RunningStack, dict[str, str]],
) -> None:
    env, running, headers = stack
    for number, part in enumerate(PARTS, start=1):
        before = _part(running, part)
        restarts, deaths = _restarts(running, part), _deaths(running, part)
        os.killpg(before, signal.SIGKILL)
        _wait(
            lambda part=part, n=restarts + 1: _restarted(running, part, n),
            60,
            f"the {part} restarted",
        )
        assert _deaths(running, part) == deaths + 1, running.lines
        assert _part(running, part) != before
        _wait(
            lambda number=number: _serves_changes(env, headers, f"restart-check-{number}"),
            120,
            f"changes served again after the {part} restarted",
        )
    assert running.process.poll() is None, "the stack kept running"

    processes = [running.process.pid, *_descendants(running.process.pid)]
    assert len(processes) >= 4
    started = time.monotonic()
    running.process.send_signal(signal.SIGINT)
    code = running.process.wait(timeout=60)
    took = time.monotonic() - started
    _record("ctrl_c_stopped_all_in_s", took)
    assert code == 0
    assert took < STOPPED_WITHIN, f"stopped in {took:.1f} s"
    _wait(lambda: not any(_alive(p) for p in processes), 1, "every process gone")


def _restarts(stack: RunningStack, part: str) -> int:
    """How many times the stack has said it restarted `part`."""
    said = f"govsched: the {part} was restarted (restart "
    return sum(1 for line in list(stack.lines) if line.startswith(said))


def _restarted(stack: RunningStack, part: str, number: int) -> bool:
    return f"govsched: the {part} was restarted (restart {number})" in stack.lines


def _deaths(stack: RunningStack, part: str) -> int:
    """How many times the stack has said `part` was killed (exit -9, SIGKILL's status)."""
    said = f"govsched: the {part} stopped unexpectedly (exit -9)"
    return sum(1 for line in list(stack.lines) if line.startswith(said))


def _record(name: str, seconds: float) -> None:
    """Keep a figure for RELIABILITY.md (test-artifacts/stack-supervision.json)."""
    FIGURES.parent.mkdir(exist_ok=True)
    figures = json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.exists() else {}
    figures[name] = round(seconds, 2)
    FIGURES.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


def _post_quietly(env: StackEnv, headers: dict[str, str], timeout: float) -> None:
    # it waits on the worker that is about to die; its repeat is the subject
    with contextlib.suppress(httpx.HTTPError):
        httpx.post(
            f"{env.base_url}/applications", json=APPLICATION, headers=headers, timeout=timeout
        )


def _worker_waits_on_the_lock(env: StackEnv) -> bool:
    """Whether the application's workflow has its first task started and not finished: the
    submission's step is a local activity run inside it (issue 21), an activity started and
    not finished in runs from before."""
    # the stack names the application with its own secret, made in its var directory
    ids = IdMaker(server_secret(Settings(var_dir=env.var_dir)))
    workflow = f"application-{ids.keyed('app', 'application', 'caught-in-flight')}"
    try:
        described = describe_workflow(env, workflow)
    except subprocess.CalledProcessError:
        return False  # not started yet
    task = described.get("pendingWorkflowTask", {})
    pending = described.get("pendingActivities", [])
    return task.get("state") == "PENDING_WORKFLOW_TASK_STATE_STARTED" or any(
        a.get("state") == "PENDING_ACTIVITY_STATE_STARTED" for a in pending
    )
