"""The embedded stack behind `make run`: Temporal dev server, worker and API, supervised.

Each part is its own process, as in production, so that a worker can be killed and restarted
without losing anything. Ctrl-C (or SIGTERM) stops them in reverse order and waits for each;
if any part dies on its own, the others are stopped and the exit status says which one.
State lives under GOVSCHED_VAR_DIR (default ./var): the database and Temporal's own SQLite file,
so the next `make run` continues the same workflows.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from govsched.config import OperatorError, Settings
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.repos import registry as registry_repo
from govsched.rehearsal.demo_registry import demo_registry
from govsched.services.processes import ensure_processes
from govsched.services.rulebooks import load_rulebook_spec
from govsched.temporal.client import connect
from workflows.base.search import SEARCH_ATTRIBUTES

READY_TIMEOUT_SECONDS = 60.0
STOP_GRACE_SECONDS = 20.0


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]


class StackError(OperatorError):
    """The stack cannot start or has failed; the message says why and what to do."""


def _port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _require_free(port: int, setting: str) -> None:
    if not _port_free(port):
        raise StackError(f"port {port} is already in use; stop what uses it or set {setting}")


def prepare_database(settings: Settings) -> str:
    """Apply migrations; load the demo registry into an empty database. Says what it did."""
    upgrade(settings.database_url)
    rulebook = load_rulebook_spec(settings.rulebook)
    db = Database.from_url(settings.database_url)
    try:
        with db.writing() as session:
            if not registry_repo.is_empty(session):
                return "database ready (existing data kept)"
            demo = demo_registry()
            count = seed(session, demo.commands(), datetime.now(UTC), rulebook, demo.seats)
            return f"database ready (demo registry loaded: {count} records)"
    finally:
        db.dispose()


def _spawn(name: str, argv: list[str], env: dict[str, str]) -> Child:
    # Own process group: Ctrl-C in the terminal reaches the supervisor, which stops children
    # in order, instead of hitting every process at once.
    process = subprocess.Popen(argv, env=env, start_new_session=True)
    return Child(name, process)


async def _temporal_ready(settings: Settings, deadline: float) -> None:
    """Wait for Temporal, then start the processes seeded records need (before the stack says
    it is ready; every worker does the same when it starts, for deployments without the stack)."""
    while True:
        try:
            client = await connect(settings)
            break
        except Exception as exc:  # not up yet: any failure to connect is worth another try
            if time.monotonic() > deadline:
                target = settings.temporal_target
                raise StackError(f"Temporal at {target} did not become ready: {exc}") from exc
            await asyncio.sleep(0.5)
    db = Database.from_url(settings.database_url)
    try:
        rulebook = load_rulebook_spec(settings.rulebook)
        await ensure_processes(client, db, rulebook, settings.task_queue, datetime.now(UTC))
    finally:
        db.dispose()


def _http_ready(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise StackError(f"the API did not start listening on port {port}")


def _stop(children: list[Child]) -> None:
    for child in reversed(children):
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)
            try:
                child.process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()


def _temporal_argv(settings: Settings) -> list[str]:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    return [
        settings.temporal_cli,
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(settings.temporal_dev_port),
        "--ui-port",
        str(settings.temporal_ui_port),
        "--db-filename",
        str(settings.var_dir / "temporal.db"),
        "--sqlite-pragma",
        "journal_mode=wal",
        "--sqlite-pragma",
        "synchronous=normal",
        "--ui-disable-news-fetch",
        # the UI lists applications by state and processes by year (workflows/base/search.py)
        *(
            arg
            for key in SEARCH_ATTRIBUTES
            for arg in ("--search-attribute", f"{key.name}={key.indexed_value_type.name.title()}")
        ),
    ]


def run(settings: Settings) -> int:
    """Run the stack until interrupted; 0 after a clean stop, 1 if a part failed."""
    if not Path(settings.temporal_cli).exists() and settings.embedded_temporal:
        raise StackError(f"no Temporal CLI at {settings.temporal_cli}; run `make install`")
    _require_free(settings.http_port, "GOVSCHED_HTTP_PORT")
    if settings.embedded_temporal:
        _require_free(settings.temporal_dev_port, "GOVSCHED_TEMPORAL_DEV_PORT")
        _require_free(settings.temporal_ui_port, "GOVSCHED_TEMPORAL_UI_PORT")
    print(prepare_database(settings), flush=True)

    stopping = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    env = {**os.environ, "GOVSCHED_TEMPORAL_ADDRESS": settings.temporal_target}
    children: list[Child] = []
    govsched = [str(Path(sys.executable).parent / "govsched")]
    try:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        if settings.embedded_temporal:
            children.append(_spawn("temporal", _temporal_argv(settings), dict(os.environ)))
        asyncio.run(_temporal_ready(settings, deadline))
        children.append(_spawn("worker", [*govsched, "worker"], env))
        children.append(_spawn("api", [*govsched, "api"], env))
        _http_ready(settings.http_port, deadline)
        _announce(settings)
        while not stopping:
            for child in children:
                code = child.process.poll()
                if code is not None:
                    print(
                        f"govsched: the {child.name} stopped unexpectedly (exit {code})",
                        file=sys.stderr,
                        flush=True,
                    )
                    return 1
            time.sleep(0.5)
        print("govsched: stopping...", flush=True)
        return 0
    finally:
        _stop(children)


def _announce(settings: Settings) -> None:
    base = settings.base_url
    lines = [
        "govsched is running:",
        f"  API docs          {base}/docs",
        f"  public calendar   {base}/calendars/public.ics",
    ]
    if settings.embedded_temporal:
        lines.append(f"  Temporal UI       http://127.0.0.1:{settings.temporal_ui_port}")
    lines.append(f"  Temporal server   {settings.temporal_target}")
    lines.append("Issue yourself a token:  .venv/bin/govsched tokens issue sec-amina-okafor")
    lines.append("Press Ctrl-C to stop.")
    # One write, newline included: print() writes its end separately, and with unbuffered output
    # (PYTHONUNBUFFERED) a worker's notification could land between the last line and its end.
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
