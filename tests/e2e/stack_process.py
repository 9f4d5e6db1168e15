"""Running `govsched run` (what `make run` runs) as a child process, on ports of its own."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from govsched.config import Settings
from tests.conftest import lane, lane_database

BIN = Path(sys.executable).parent
READY_LINE = "Press Ctrl-C to stop."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass
class StackEnv:
    """Settings for one embedded stack: its own var directory and ports."""

    var_dir: Path
    http_port: int = field(default_factory=free_port)
    temporal_port: int = field(default_factory=free_port)
    ui_port: int = field(default_factory=free_port)
    mail_sink_port: int = field(default_factory=free_port)
    temporal_address: str | None = None
    # the `temporal` CLI the stack starts (GOVSCHED_TEMPORAL_CLI); None: the installed one
    temporal_cli: str | None = None
    rulebook: str | None = None
    # The lane's database (tests/conftest.py): SQLite in the stack's var dir, as `make run` has
    # it, or a schema of the PostgreSQL test database.
    database_url: str = ""

    def __post_init__(self) -> None:
        if not self.database_url:
            on_postgres = lane() == "postgres"
            self.database_url = (
                lane_database(self.var_dir)
                if on_postgres
                else f"sqlite:///{self.var_dir / 'govsched.db'}"
            )

    # the day the stack takes as today: the tests' own (GOVSCHED_TODAY in `make test`'s runs
    # at other dates), so the stack's demo and the tests' expectations agree
    today: date | None = field(default_factory=lambda: Settings().today)

    def environ(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSCHED_")}
        env.update(
            GOVSCHED_VAR_DIR=str(self.var_dir),
            GOVSCHED_DATABASE_URL=self.database_url,
            GOVSCHED_HTTP_PORT=str(self.http_port),
            GOVSCHED_TEMPORAL_DEV_PORT=str(self.temporal_port),
            GOVSCHED_TEMPORAL_UI_PORT=str(self.ui_port),
            GOVSCHED_MAIL_SINK_PORT=str(self.mail_sink_port),
        )
        if self.temporal_address is not None:
            env["GOVSCHED_TEMPORAL_ADDRESS"] = self.temporal_address
        if self.temporal_cli is not None:
            env["GOVSCHED_TEMPORAL_CLI"] = self.temporal_cli
        if self.rulebook is not None:
            env["GOVSCHED_RULEBOOK"] = self.rulebook
        if self.today is not None:
            env["GOVSCHED_TODAY"] = self.today.isoformat()
        return env

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def govsched(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "govsched"), *args],
            env=self.environ(),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    def token(self, person: str) -> str:
        """A bearer token for `person`, issued in this process by the code behind `govsched
        tokens issue`, in the stack's database: for tests whose subject is not that command
        (tests/e2e/test_cli.py and the README's examples run it), a process fewer to start."""
        from govsched.persistence.db import Database
        from govsched.persistence.repos import api_tokens, registry

        db = Database.from_url(self.database_url)
        try:
            with db.writing() as session:
                assert registry.person_exists(session, person), person
                return api_tokens.issue(session, person, datetime.now(UTC))
        finally:
            db.dispose()


def describe_workflow(env: StackEnv, workflow_id: str) -> dict[str, Any]:
    """`temporal workflow describe` of a workflow on the stack's dev server, as JSON."""
    described = subprocess.run(
        [
            str(BIN / "temporal"),
            "workflow",
            "describe",
            "--workflow-id",
            workflow_id,
            "--address",
            f"127.0.0.1:{env.temporal_port}",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found: dict[str, Any] = json.loads(described.stdout)
    return found


class RunningStack:
    def __init__(self, env: StackEnv) -> None:
        self.env = env
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(BIN / "govsched"), "run"],
            env=env.environ(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    # A deadline, not a measure: the stack says it is ready as soon as it is; only a stack that
    # will not start waits it out (a loaded machine beside other lanes took over 120 s to stage
    # a demo whose first day draws and announces a roster).
    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while READY_LINE not in self.lines:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the stack did not start:\n" + "\n".join(self.lines))
            time.sleep(0.2)

    def interrupt(self, timeout: float = 90) -> int:
        """Ctrl-C, as a user would; returns the exit status."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code
