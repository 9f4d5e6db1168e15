"""kill -9 the worker while it emails, restart it: every email arrives, and a second copy only
inside the documented window (RELIABILITY.md, "Email").

The SMTP server in the test process kills the worker twice: once while a recipient is being
named (before any DATA: the relay has nothing), and once after a message's data arrived and
before the relay's 250 went back (the window: the relay has it, the outbox cannot know). The
first kill must cost the message being addressed nothing; the second must give the message whose
data was in hand a second copy, byte for byte the same (same Message-ID). Emails go out on several
connections at once, so another message's data may be at the relay at either kill (seen under
load at the first): the window is what the outbox held as handed over at each kill, and a second
copy of anything outside it fails the test.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from governance.notifications.channels import EmailState
from governance.registry.changes import SchedulePlenary
from governance.registry.contracts import RegistryChange
from govsched.persistence.db import Database
from govsched.persistence.tables import EmailMessageRow, NotificationRow
from tests.chaos.processes import ChaosStack, wait_for
from tests.chaos.settle import failed_workflows, settle
from tests.chaos.slack_chaos import ChaosSlack
from tests.chaos.workload import ISSUED, connect_retrying, prepare, submit_retrying
from tests.smtp_sink import Received, SmtpSink

pytestmark = [pytest.mark.timeout(300), pytest.mark.temporal]

KILL_AT_RCPT = 2  # the second recipient named: before its DATA
KILL_AT_DATA = 5  # the fifth message's data in hand, its 250 not yet sent


@dataclass
class EmailChaosStack(ChaosStack):
    smtp_port: int = 0

    def environ(self) -> dict[str, str]:
        env = super().environ()
        env.update(
            GOVSCHED_SMTP_HOST="127.0.0.1",
            GOVSCHED_SMTP_PORT=str(self.smtp_port),
            GOVSCHED_SMTP_TLS="none",
            GOVSCHED_SMTP_FROM="VPI Secretariat <secretariat@chaos.example>",
            GOVSCHED_SMTP_TIMEOUT_SECONDS="3",
        )
        return env


class Killer:
    """Kills the worker from the SMTP server's thread at the chosen moments; the test restarts
    it. Remembers the Message-ID whose data was in hand at the kill in the window."""

    def __init__(self, stack: ChaosStack) -> None:
        self.stack = stack
        self.rcpts = 0
        self.datas = 0
        self.killed = threading.Event()
        self.in_window: str | None = None
        # every email whose outbox row said "handed over" once the worker was dead: the
        # documented window, read at the instant of each kill
        self.window: set[str] = set()
        self.kills = 0

    def on_rcpt(self, _address: str) -> None:
        self.rcpts += 1
        if self.rcpts == KILL_AT_RCPT:
            self._kill()

    def on_data(self, received: Received) -> None:
        self.datas += 1
        if self.datas == KILL_AT_DATA:
            self.in_window = received.message_id
            self._kill()

    def _kill(self) -> None:
        self.stack.kill_worker()
        self.kills += 1
        # read once the worker is dead: nothing can move a row out of the window any more
        self.window |= _handed_over(self.stack.database_url)
        self.killed.set()


async def test_every_email_arrives_and_a_second_copy_only_in_the_window(tmp_path: Path) -> None:
    slack = ChaosSlack()
    slack.start()
    with SmtpSink() as sink:
        stack = EmailChaosStack(
            tmp_path / "var", slack.base_url, compressed=True, smtp_port=sink.port
        )
        killer = Killer(stack)
        sink.handler.on_rcpt = killer.on_rcpt
        sink.handler.on_data = killer.on_data
        try:
            prepare(stack.settings, slack)
            stack.start_temporal()
            client = await connect_retrying(stack.settings)
            stack.start_worker()
            change = RegistryChange(
                key="chaos-email-plenary",
                at=ISSUED,
                actor="sec-ada",
                command=SchedulePlenary(
                    year=2101,
                    starts=ISSUED.date().replace(year=2101),
                    ends=ISSUED.date().replace(year=2101) + timedelta(days=3),
                    location="Norland Harbour",
                    host="gov-norland",
                ),
            )
            submitted = asyncio.ensure_future(
                submit_retrying(stack.settings, client, change, stack.settings.task_queue)
            )
            while killer.kills < 2:
                await asyncio.to_thread(killer.killed.wait, 120)
                assert killer.killed.is_set(), "the worker was never killed"
                killer.killed.clear()
                stack.start_worker()
            assert (await submitted).refusal is None
            await settle(client, 180)
            assert await failed_workflows(client) == []
            db = Database.from_url(stack.database_url)
            try:
                wait_for(lambda: _pending(db) == 0, 60, "every notification to be sent")
                rows = _outbox(db)
            finally:
                db.dispose()
        finally:
            stack.stop()
            slack.stop()
        copies = Counter(r.message_id for r in sink.received)

    assert killer.kills == 2
    assert len(rows) >= KILL_AT_DATA + 1
    assert {state for _mid, state, _n in rows} == {EmailState.ACCEPTED.value}
    # every email arrived ...
    assert {mid for mid, _state, _n in rows} == set(copies)
    # ... once, except the one whose data was at the relay when the worker died
    assert killer.in_window is not None
    duplicated = {mid: n for mid, n in copies.items() if n > 1}
    assert killer.in_window in duplicated
    # a second copy only of what the outbox had in the window when the worker died, never more
    assert set(duplicated) <= killer.window
    assert set(duplicated.values()) == {2}
    twice = [r for r in sink.received if r.message_id == killer.in_window]
    assert twice[0].raw == twice[1].raw
    handovers = {mid: n for mid, _state, n in rows}
    assert handovers[killer.in_window] == 2
    # a copy needs a DATA: the outbox counts every hand-over that may have left one (a DATA cut
    # off by the kill counts too, though the relay kept nothing of it)
    assert all(copies[mid] <= n for mid, n in handovers.items())


def _handed_over(url: str) -> set[str]:
    db = Database.from_url(url)
    try:
        with db.reading() as session:
            query = session.query(EmailMessageRow.message_id).filter(
                EmailMessageRow.state == EmailState.HANDED_OVER.value
            )
            return {mid for (mid,) in query}
    finally:
        db.dispose()


def _pending(db: Database) -> int:
    with db.reading() as session:
        return session.query(NotificationRow).filter(NotificationRow.status != "sent").count()


def _outbox(db: Database) -> list[tuple[str, str, int]]:
    with db.reading() as session:
        return [
            (row.message_id, row.state, row.handovers)
            for row in session.query(EmailMessageRow).all()
        ]
