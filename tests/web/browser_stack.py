"""The embedded stack the browser tests drive, as `make run` starts it: one per test process.

Starting it costs 8-14 s of CPU (a Temporal dev server, the worker, the demo's migrations and
data), so every browser test file in a process shares the one started first
(`browser_stack` in tests/web/conftest.py). Each test acts on ids, people and items of its own,
so the files stay independent of one another and of their order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from tests.api.app_helpers import STEERING_COMMITTEE
from tests.e2e.stack_process import RunningStack, StackEnv

# Debian's headless build of Chromium (package chromium-headless-shell, the same Blink as its
# `chromium`): the full browser's `--headless` mode runs the whole desktop browser without a
# window, which took about a third more CPU for the same pages, axe runs and screenshots.
CHROMIUM = Path("/usr/bin/chromium-headless-shell")
INSTALL = "apt-get install chromium-headless-shell"
SECRETARIAT = "sec-amina-okafor"
CHAIR = "fp-gov-norland"
REVIEWER = "fp-gov-estavia"
FOCAL_POINT = "fp-gov-lusmark"


@dataclass
class Stack:
    base_url: str
    tokens: dict[str, str]
    # the Maildir of the stack's local mail sink (govsched/services/mail_sink.py): everyone's
    # mailbox
    mail: Path
    database_url: str = ""

    def api(self, person: str = SECRETARIAT) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[person]}"}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60)

    def post(self, person: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.api(person) as client:
            response = client.post(path, json=body or {})
        assert response.status_code in (200, 201), response.text
        answer: dict[str, Any] = response.json()
        return answer

    def application(self, application_id: str) -> dict[str, Any]:
        with self.api() as client:
            answer: dict[str, Any] = client.get(f"/applications/{application_id}").json()
        return answer


@contextmanager
def running_stack(var_dir: Path) -> Iterator[Stack]:
    """The stack started in `var_dir`, tokens issued to the people the browser tests sign in
    as; stopped with Ctrl-C afterwards, which must end it cleanly."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` ({INSTALL})")
    env = StackEnv(var_dir=var_dir)
    running = RunningStack(env)
    try:
        running.wait_ready()
        database_url = env.environ()["GOVSCHED_DATABASE_URL"]
        db = Database.from_url(database_url)
        people = {SECRETARIAT, CHAIR, REVIEWER, FOCAL_POINT, *STEERING_COMMITTEE}
        with db.writing() as session:
            now = datetime.now(UTC)
            tokens = {p: token_repo.issue(session, p, now, "browser test") for p in people}
        db.dispose()
        yield Stack(env.base_url, tokens, env.var_dir / "mail-sink", database_url)
    finally:
        code = running.interrupt()
    assert code == 0, "\n".join(running.lines)
