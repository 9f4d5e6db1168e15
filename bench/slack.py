"""Slack delivery: event-to-message latency from the API, and a paced burst to ten channels.

Latency: the Secretariat records an application over HTTP (`POST /applications`); its
workflow announces it in the Secretariat's channel. Measured from the request leaving the
client to the message arriving at the local Slack-compatible server (through the real
slack_sdk client, the ledger and the pacer), against a baseline measured in the same run:
the same action on the same server with a notifier that only records when it was called.

Burst: 1,000 notifications spread over 10 channels, delivered from 16 activity threads (as a
worker runs them) to a server that answers 429 to posts closer than Slack's one per second
per channel. The baseline is the same burst without pacing to a server without the limit.
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from pydantic import SecretStr
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from activities.notifications import NotificationActivities
from bench.report import machine, median, percentile, write_section
from governance.kernel.notices import Notification, channel_notice
from governance.registry.changes import AddPerson
from governance.rulebook.model import NotificationKind, Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.notify.slack.client import build_clients
from govsched.notify.slack.notifier import SlackNotifier
from govsched.notify.slack.pacing import ChannelPacer
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.repos import api_tokens as token_repo
from tests.api.conftest import serving
from tests.helpers import running_worker
from tests.slack_fake import TOKEN, SlackFake
from worker import register_search_attributes

SECRETARIAT = "bench-secretariat"
CHANNEL_COUNT = 10
# Actions further apart than the pacing interval: latency, not queueing, is measured.
ACTION_GAP = 1.1


@dataclass
class TimingNotifier:
    """The baseline's notifier: notes when each notification reached it."""

    arrivals: dict[str, float] = field(default_factory=dict)

    def deliver(self, notification: Notification) -> str | None:
        self.arrivals[notification.item] = time.monotonic()
        return None


def _database(directory: Path) -> tuple[str, Database, str]:
    url = f"sqlite:///{directory / 'bench.db'}"
    upgrade(url)
    db = Database.from_url(url)
    person = AddPerson(
        id=SECRETARIAT, name="Bench", email="bench@example.org", roles=["secretariat"]
    )
    with db.writing() as session:
        seed(session, [person], datetime.now(UTC), Rulebook())
        token = token_repo.issue(session, SECRETARIAT, datetime.now(UTC), "bench")
    return url, db, token


async def _latencies(
    base_url: str, token: str, count: int, arrived: Callable[[str], float | None], tag: str
) -> list[float]:
    found: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as http:
        for i in range(count):
            person = f"bench-{tag}-{i}"
            body = {
                "id": person,
                "organisation": f"Organisation {i}",
                "pillar": "company",
                "country": "Pelagonia",
                "contact_email": f"{person}@example.org",
                "statement": "We commit to the Voluntary Principles.",
                "documents": [],
            }
            started = time.monotonic()
            response = await http.post(
                "/applications", json=body, headers={"Idempotency-Key": person}
            )
            assert response.status_code == 201, response.text
            deadline = started + 60
            while (at := arrived(person)) is None:
                assert time.monotonic() < deadline, f"no message for {person}"
                await asyncio.sleep(0.002)
            found.append((at - started) * 1000)
            await asyncio.sleep(max(0.0, ACTION_GAP - (time.monotonic() - started)))
    return found


def _slack_arrival(fake: SlackFake) -> Callable[[str], float | None]:
    def arrived(person: str) -> float | None:
        return next(
            (a.at for a in fake.arrivals() if f"({person})" in a.text or person in a.text), None
        )

    return arrived


async def latency(count: int) -> dict[str, list[float]]:
    settings = Settings()
    rules = Rulebook()
    fake = SlackFake().start()
    timing = TimingNotifier()
    with tempfile.TemporaryDirectory(prefix="govsched-bench-slack-") as tmp:
        url, db, token = _database(Path(tmp))
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=settings.temporal_cli,
            dev_server_database_filename=str(Path(tmp) / "temporal.db"),
            data_converter=pydantic_data_converter,
            ui=False,
        )
        channels = {**rules.notifications.channels, "secretariat": "CSECRETARIAT"}
        notifier = SlackNotifier(
            db, build_clients(TOKEN, fake.base_url), channels, pacer=ChannelPacer(db, 1.0)
        )
        results: dict[str, list[float]] = {}
        try:
            await register_search_attributes(env.client)
            for label, chosen, arrived in (
                ("baseline", timing, lambda p: timing.arrivals.get(p)),
                ("slack", notifier, _slack_arrival(fake)),
            ):
                async with running_worker(env.client, db, rules, chosen) as queue:
                    app_settings = Settings(
                        database_url=url,
                        task_queue=queue,
                        slack_token=SecretStr(TOKEN),
                        slack_base_url=fake.base_url,
                    )
                    app = create_app(app_settings, db=db, temporal=env.client, run_scheduler=False)
                    async with serving(app) as base_url:
                        results[label] = await _latencies(base_url, token, count, arrived, label)
        finally:
            await env.shutdown()
            db.dispose()
            fake.stop()
    return results


@dataclass
class Burst:
    seconds: float
    messages: int
    rate_limited: int
    failed: int
    smallest_gap_ms: float


def burst(total: int, paced: bool) -> Burst:
    fake = SlackFake().start()
    if paced:
        fake.enforce_channel_limit(1.0)
    channels = {f"c{i}": f"CBURST{i}" for i in range(CHANNEL_COUNT)}
    now = datetime.now(UTC)
    notices = [
        channel_notice(
            NotificationKind.ANNOUNCEMENT, f"c{i % CHANNEL_COUNT}", f"n{i}", 1, f"#{i}", now
        )
        for i in range(total)
    ]
    with tempfile.TemporaryDirectory(prefix="govsched-bench-burst-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'burst.db'}"
        upgrade(url)
        db = Database.from_url(url)
        notifier = SlackNotifier(
            db,
            build_clients(TOKEN, fake.base_url, retries=8),
            channels,
            pacer=ChannelPacer(db, 1.0 if paced else 0.0),
            attempts=5,
        )
        activities = NotificationActivities(db, notifier, report=lambda _line: None)
        failed = 0
        lock = threading.Lock()

        def one(notice: Notification) -> None:
            nonlocal failed
            try:
                activities.deliver(notice)
            except Exception:
                with lock:
                    failed += 1

        started = time.monotonic()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(one, notices))
        elapsed = time.monotonic() - started
        db.dispose()
    gaps = []
    for channel in channels.values():
        times = sorted(a.at for a in fake.arrivals() if a.channel == channel)
        gaps += [b - a for a, b in itertools.pairwise(times)]
    result = Burst(
        seconds=elapsed,
        messages=len(fake.all_messages()),
        rate_limited=fake.state.rate_limited,
        failed=failed,
        smallest_gap_ms=min(gaps) * 1000 if gaps else 0.0,
    )
    fake.stop()
    return result


def p99(values: list[float]) -> float:
    return percentile(values, 0.99)


def report(
    latencies: dict[str, list[float]], count: int, unpaced: Burst, paced: Burst, total: int
) -> str:
    base, slack = latencies["baseline"], latencies["slack"]
    floor = (total / CHANNEL_COUNT - 1) * 1.0
    rows = [
        "## Slack: event-to-message latency, and a paced burst",
        "",
        f"Machine: {machine()}.",
        "",
        f"Method (latency): {count} `POST /applications` requests one after another "
        f"({ACTION_GAP} s apart, so the one-per-second pacing never queues them), each announced "
        "to the Secretariat's channel by its application workflow on the embedded dev server; "
        "measured from the request "
        "to the message arriving at the local Slack-compatible server (slack_sdk WebClient, "
        "ledger, pacer, Block Kit). Baseline: the same action in the same run with a notifier "
        "that only notes the instant it is called.",
        "",
        "| path | p50 ms | p99 ms | p50 ratio | p99 ratio |",
        "|---|---|---|---|---|",
        f"| notifier reached (baseline) | {median(base):.0f} | {p99(base):.0f} | 1.00 | 1.00 |",
        f"| message at Slack | {median(slack):.0f} | {p99(slack):.0f} | "
        f"{median(slack) / median(base):.2f} | {p99(slack) / p99(base):.2f} |",
        "",
        f"Method (burst): {total} notifications over {CHANNEL_COUNT} channels from 16 threads. "
        "Paced: one message per second per channel, to a server that answers 429 to faster "
        "posts. Baseline: no pacing, to a server without the limit. The paced floor is "
        f"{floor:.0f} s ({total // CHANNEL_COUNT} messages per channel, one a second).",
        "",
        "| run | seconds | ratio to baseline | ratio to paced floor | messages | 429s | failed "
        "| smallest gap in a channel ms |",
        "|---|---|---|---|---|---|---|---|",
        f"| unpaced (baseline) | {unpaced.seconds:.1f} | 1.00 | - | {unpaced.messages} | "
        f"{unpaced.rate_limited} | {unpaced.failed} | {unpaced.smallest_gap_ms:.0f} |",
        f"| paced | {paced.seconds:.1f} | {paced.seconds / unpaced.seconds:.1f} | "
        f"{paced.seconds / floor:.2f} | {paced.messages} | {paced.rate_limited} | {paced.failed} | "
        f"{paced.smallest_gap_ms:.0f} |",
        "",
        (
            "Exactly once held in both runs (messages equal notifications). "
            if unpaced.messages == paced.messages == total
            else f"MESSAGES DIFFER FROM THE {total} NOTIFICATIONS: exactly once did not hold. "
        )
        + "Pacing makes the burst as slow as Slack allows and no slower; the latency ratio is "
        "the cost of the HTTP round trip and the ledger writes around it.",
    ]
    return "\n".join(rows)


def main(count: int, total: int, write: bool) -> str:
    latencies = asyncio.run(latency(count))
    unpaced = burst(total, paced=False)
    paced = burst(total, paced=True)
    body = report(latencies, count, unpaced, paced, total)
    if write:
        write_section("slack", body)
    return body
