"""The embedded stack's parts as separate processes a chaos experiment can SIGKILL and restart.

`govsched run` stops everything when one of its parts dies (it is a supervisor for a terminal,
not a restarting one), so the experiments play the restarting supervisor themselves: the
Temporal dev server with the stack's own arguments and SQLite file, and `govsched worker`, with
the Slack notifier pointed at the in-process Slack fake.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from govsched.config import Settings
from govsched.stack import _temporal_argv
from tests.e2e.stack_process import free_port
from tests.slack_fake import TOKEN
from tests.slack_helpers import CHANNELS

BIN = Path(sys.executable).parent


@dataclass
class ChaosStack:
    """One experiment's processes and files. `database_url` defaults to SQLite in `var_dir`."""

    var_dir: Path
    slack_url: str
    database_url: str = ""
    compressed: bool = False
    temporal_port: int = field(default_factory=free_port)
    ui_port: int = field(default_factory=free_port)
    temporal: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    worker_starts: int = 0

    def __post_init__(self) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'govsched.db'}"

    @property
    def settings(self) -> Settings:
        return Settings(
            var_dir=self.var_dir,
            database_url=self.database_url,
            temporal_address=f"127.0.0.1:{self.temporal_port}",
            temporal_dev_port=self.temporal_port,
            temporal_ui_port=self.ui_port,
        )

    def environ(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSCHED_")}
        env.update(
            GOVSCHED_VAR_DIR=str(self.var_dir),
            GOVSCHED_DATABASE_URL=self.database_url,
            GOVSCHED_TEMPORAL_ADDRESS=f"127.0.0.1:{self.temporal_port}",
            GOVSCHED_SLACK_TOKEN=TOKEN,
            GOVSCHED_SLACK_BASE_URL=self.slack_url,
            GOVSCHED_SLACK_CHANNELS=json.dumps(CHANNELS),
            GOVSCHED_SLACK_PACING_SECONDS="0",
            GOVSCHED_SLACK_TIMEOUT_SECONDS="2",
        )
        return env

    # -- Temporal --------------------------------------------------------------------------------

    def start_temporal(self) -> None:
        # The stack's own command line: same SQLite file, same pragmas.
        argv = [*_temporal_argv(self.settings), "--log-level", "error"]
        log = (self.var_dir / "temporal.log").open("ab")
        self.temporal = subprocess.Popen(argv, stdout=log, stderr=log, start_new_session=True)

    def kill_temporal(self) -> None:
        process, self.temporal = self.temporal, None
        _kill(process)

    # -- the worker ------------------------------------------------------------------------------

    def start_worker(self) -> None:
        self.worker_starts += 1
        if self.compressed:
            argv = [sys.executable, "-m", "tests.chaos.compressed_worker"]
        else:
            argv = [str(BIN / "govsched"), "worker"]
        log = (self.var_dir / f"worker-{self.worker_starts}.log").open("ab")
        self.worker = subprocess.Popen(
            argv, env=self.environ(), stdout=log, stderr=log, start_new_session=True
        )

    def kill_worker(self) -> None:
        # Forget it first: a watcher in another thread must not take this death for a crash.
        process, self.worker = self.worker, None
        _kill(process)

    def check_alive(self) -> None:
        """A part that died on its own is a failure of the experiment, never a retry."""
        for name, process in (("temporal", self.temporal), ("worker", self.worker)):
            if process is not None and process.poll() is not None:
                raise AssertionError(
                    f"the {name} exited on its own ({process.returncode}); see {self.var_dir}"
                )

    def stop(self) -> None:
        for process in (self.worker, self.temporal):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    _kill(process)
        self.worker = self.temporal = None


def _kill(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
