"""The embedded stack behind `make run`: Temporal dev server, worker and API, supervised.

Each part is its own process, as in production, so that a part can die and be restarted without
losing anything. A part that dies on its own is started again, after a pause that doubles with
each death in a row (1 s up to 30 s; back to 1 s once it has run for a minute), and the stack
says so; the others keep running and reconnect by themselves. Ctrl-C (or SIGTERM) stops every
part within STOP_WITHIN_SECONDS: the API and the worker are asked first (the worker hands back
the work in hand), then Temporal, and what is still running at the end is killed. State lives
under GOVSCHED_VAR_DIR (default ./var): the database and Temporal's own SQLite file, so the next
`make run` continues the same workflows.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from govsched.config import OperatorError, Settings

# The database, the demo, the Temporal client and the mail sink are imported where they are
# used: a start refused at once (a port in use) answers without loading them, and a restart on
# existing data never loads the demo's seeding.

READY_TIMEOUT_SECONDS = 60.0
DEMO_LOADED = "database ready (demo registry loaded"
# Ctrl-C stops everything within this; the API and the worker get most of it, Temporal the rest.
STOP_WITHIN_SECONDS = 4.5
STOP_TEMPORAL_SECONDS = 1.5
FIRST_RESTART_SECONDS = 1.0
LAST_RESTART_SECONDS = 30.0
# A part that ran this long before it died was healthy: its next restart is quick again.
HEALTHY_AFTER_SECONDS = 60.0


@dataclass
class Child:
    """A part of the stack: how to start it, its process, and its restarts."""

    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] = field(init=False)
    started_at: float = 0.0
    restarts: int = 0
    pause: float = 0.0
    restart_at: float | None = None

    def __post_init__(self) -> None:
        self.start()

    def start(self) -> None:
        # Own process group: Ctrl-C in the terminal reaches the supervisor, which stops the
        # parts in order, instead of hitting every process at once.
        self.process = subprocess.Popen(self.argv, env=self.env, start_new_session=True)
        self.started_at = time.monotonic()
        self.restart_at = None

    def supervise(self, now: float) -> None:
        """Notice a death and plan the restart; restart when its pause is over."""
        if self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            healthy = now - self.started_at >= HEALTHY_AFTER_SECONDS
            self.pause = (
                FIRST_RESTART_SECONDS
                if healthy or self.pause == 0
                else min(self.pause * 2, LAST_RESTART_SECONDS)
            )
            self.restart_at = now + self.pause
            _say(
                f"govsched: the {self.name} stopped unexpectedly (exit {code}); "
                f"restarting it in {self.pause:.0f} s",
                error=True,
            )
        elif now >= self.restart_at:
            self.restarts += 1
            self.start()
            _say(f"govsched: the {self.name} was restarted (restart {self.restarts})")


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
    from govsched.persistence.db import Database
    from govsched.persistence.migrate import upgrade
    from govsched.persistence.repos import registry as registry_repo
    from govsched.services.rulebooks import load_rulebook_spec

    # an invalid rulebook is refused before the database is touched
    rulebook = load_rulebook_spec(settings.rulebook)
    upgrade(settings.database_url)
    db = Database.from_url(settings.database_url)
    try:
        with db.writing() as session:
            if not registry_repo.is_empty(session):
                return "database ready (existing data kept)"
            from govsched.rehearsal.demo_seed import seed_demo

            # the demo's year is placed around today (GOVSCHED_TODAY, or the machine's date)
            count = seed_demo(session, settings.now(), rulebook)
            return f"{DEMO_LOADED}: {count} records)"
    finally:
        db.dispose()


def _say(line: str, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    stream.write(line + "\n")
    stream.flush()


async def _temporal_ready(
    settings: Settings, deadline: float, starting: Sequence[Child] = ()
) -> None:
    """Wait for Temporal, then start the processes seeded records need (before the stack says
    it is ready; every worker does the same when it starts, for deployments without the stack).

    The embedded server (`starting`) is restarted if it dies while we wait: the dev server
    picks its HTTP API and metrics ports at random, and when another process takes one of
    them before the server binds it, the server crashes at start (temporalio/cli#543); its
    next start picks others."""
    from temporalio.service import RPCError

    from govsched.persistence.db import Database
    from govsched.services.processes import ensure_processes
    from govsched.services.rulebooks import load_rulebook_spec
    from govsched.temporal.client import connect, still_starting

    while True:
        for child in starting:
            child.supervise(time.monotonic())
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
        while True:
            try:
                await ensure_processes(
                    client, db, rulebook, settings.task_queue, settings.now(), settings.clock_offset
                )
                break
            except RPCError as exc:
                # a dev server restarted while we waited answers before it serves every
                # service ("unknown service ...WorkflowService", found under load): the
                # processes are ensured again (starting them is idempotent) until the deadline
                if not still_starting(exc) or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)
                for child in starting:
                    child.supervise(time.monotonic())
    finally:
        db.dispose()


def _demo_awaits_staging(settings: Settings) -> bool:
    from govsched.persistence.db import Database
    from govsched.rehearsal import demo_activity

    db = Database.from_url(settings.database_url)
    try:
        return demo_activity.awaits_staging(db)
    finally:
        db.dispose()


async def _stage_demo(settings: Settings) -> None:
    from govsched.persistence.db import Database
    from govsched.rehearsal import demo_activity
    from govsched.services.rulebooks import load_rulebook_spec
    from govsched.temporal.client import connect

    client = await connect(settings)
    db = Database.from_url(settings.database_url)
    try:
        await demo_activity.stage(client, db, load_rulebook_spec(settings.rulebook), settings)
    finally:
        db.dispose()


def _http_ready(port: int, deadline: float, api: Child) -> None:
    """Until the API answers its health check. A port that merely accepts connections is not
    enough: on a busy machine another program (the dev server's own services take free ports
    as they start) can hold the port the API was to bind, and the stack called itself ready
    while its API had stopped."""
    while time.monotonic() < deadline:
        api.supervise(time.monotonic())  # an API that stopped while starting is started again
        if _answers_health(port):
            return
        time.sleep(0.3)
    raise StackError(
        f"the API did not answer on port {port}; if another program holds the port, "
        "stop it or set GOVSCHED_HTTP_PORT"
    )


def _answers_health(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health")
        answer = connection.getresponse()
        body = answer.read()
        return answer.status == 200 and json.loads(body).get("status") == "ok"
    except (OSError, http.client.HTTPException, ValueError, AttributeError):
        return False
    finally:
        connection.close()


def _terminate(children: list[Child], deadline: float) -> None:
    """SIGTERM each child at once, then wait for all of them until `deadline`."""
    for child in children:
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.process.wait(timeout=max(deadline - time.monotonic(), 0.01))


def _stop(children: list[Child]) -> None:
    """Stop every part within STOP_WITHIN_SECONDS: the API and the worker first (the worker
    finishes or hands back what it holds while Temporal still runs), then Temporal; whatever is
    left then is killed with its process group."""
    started = time.monotonic()
    last = started + STOP_WITHIN_SECONDS
    first = [c for c in children if c.name != "temporal"]
    _terminate(first, last - STOP_TEMPORAL_SECONDS)
    _terminate([c for c in children if c.name == "temporal"], last)
    for child in children:
        if child.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGKILL)
            child.process.wait()


def _temporal_argv(settings: Settings) -> list[str]:
    from workflows.base.search import SEARCH_ATTRIBUTES

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
    """Run the stack until interrupted (restarting a part that dies); 0 after the stop."""
    if not Path(settings.temporal_cli).exists() and settings.embedded_temporal:
        raise StackError(f"no Temporal CLI at {settings.temporal_cli}; run `make install`")
    _require_free(settings.http_port, "GOVSCHED_HTTP_PORT")
    if settings.embedded_temporal:
        _require_free(settings.temporal_dev_port, "GOVSCHED_TEMPORAL_DEV_PORT")
        _require_free(settings.temporal_ui_port, "GOVSCHED_TEMPORAL_UI_PORT")
    if not settings.email_enabled:
        _require_free(settings.mail_sink_port, "GOVSCHED_MAIL_SINK_PORT")
    prepared = prepare_database(settings)
    print(prepared, flush=True)
    # a demo loaded now, or by `govsched seed demo` before, gets its work in hand once
    demo_to_stage = prepared.startswith(DEMO_LOADED) or _demo_awaits_staging(settings)

    stopping = False
    serving = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        if not serving:  # still starting: leave the waits at once (the parts stop below)
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    env = {**os.environ, "GOVSCHED_TEMPORAL_ADDRESS": settings.temporal_target}
    if not settings.email_enabled:
        from govsched.services.mail_sink import sink_environment

        # no relay set: a local mail sink is everyone's mailbox (govsched/services/mail_sink.py)
        env.update(sink_environment(settings))
    children: list[Child] = []
    govsched = [str(Path(sys.executable).parent / "govsched")]
    try:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        if settings.embedded_temporal:
            children.append(Child("temporal", _temporal_argv(settings), dict(os.environ)))
        asyncio.run(_temporal_ready(settings, deadline, children))
        if not settings.email_enabled:
            children.append(Child("mail sink", [*govsched, "mail-sink"], env))
        children.append(Child("worker", [*govsched, "worker"], env))
        api = Child("api", [*govsched, "api"], env)
        children.append(api)
        _http_ready(settings.http_port, deadline, api)
        if demo_to_stage:
            # the demo's work in hand, once the worker runs: a restart finds it already there
            asyncio.run(_stage_demo(settings))
        _announce(settings)
        serving = True
        while not stopping:
            for child in children:
                child.supervise(time.monotonic())
            time.sleep(0.2)
        _say("govsched: stopping...")
        return 0
    except KeyboardInterrupt:
        _say("govsched: stopping...")
        return 130
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
    if settings.email_enabled:
        lines.append(f"  email relay       {settings.smtp_host}:{settings.smtp_port_or_default}")
    else:
        from govsched.services.mail_sink import maildir_path

        lines.append(
            f"  local mail sink   127.0.0.1:{settings.mail_sink_port}, every email kept in "
            f"{maildir_path(settings)} (listed at {base}/web/outbox/email)"
        )
    lines.append("Issue yourself a token:  .venv/bin/govsched tokens issue sec-amina-okafor")
    lines.append("Press Ctrl-C to stop.")
    # One write, newline included: print() writes its end separately, and with unbuffered output
    # (PYTHONUNBUFFERED) a worker's notification could land between the last line and its end.
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
