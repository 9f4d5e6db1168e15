"""The weekly digest: one scheduler process runs it, missed runs coalesce, reruns are no-ops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from activities.notifications import NotificationActivities
from governance.kernel.calendar import PUBLIC, CalendarItem, role_audience
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import leases as lease_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.services.digest import DIGEST_JOB, send_digest
from govsched.services.leased_scheduler import JOB_TABLE, LeasedScheduler, register, run_registered
from tests.scheduler_process import LEASE
from tests.slack_fake import SlackFake
from tests.slack_helpers import slack_notifier
from tests.today import now, today

RULES = Rulebook()


@pytest.fixture
def fake() -> Iterator[SlackFake]:
    server = SlackFake().start()
    yield server
    server.stop()


def _entry(
    uid: str, title: str, days: int, audiences: set[str], confidential: bool
) -> CalendarItem:
    return CalendarItem(
        uid=f"{uid}@vpi.govsched",
        kind="deadline",
        title=title,
        start_date=today(RULES) + timedelta(days=days),
        audiences=frozenset(audiences),
        confidential=confidential,
    )


def _seed_calendar(db: Database) -> None:
    sc, sec = role_audience(Role.STEERING_COMMITTEE), role_audience(Role.SECRETARIAT)
    items = [
        _entry("review", "Recommendations due on Kestrel", 5, {sc, sec}, True),
        _entry("papers", "Final papers", 3, {sec}, True),
        _entry("plenary", "Annual Plenary", 10, {PUBLIC}, False),
        _entry("later", "Outcome note", 40, {PUBLIC}, False),
    ]
    with db.writing() as session:
        for item in items:
            calendar_repo.upsert(session, item, now())


@pytest.mark.dates
def test_each_channel_gets_what_it_may_see_once_a_week(db: Database, fake: SlackFake) -> None:
    _seed_calendar(db)
    notify = NotificationActivities(db, slack_notifier(db, fake))
    # noon of today where the initiative is, not now(): a week's digest is keyed by the local
    # week, and now() five minutes before a local Monday (03:55 UTC in Toronto) put the second
    # call in the next week
    at = datetime.combine(today(RULES), time_of_day(12), ZoneInfo(RULES.initiative.timezone))

    first = send_digest(db, RULES, notify, at)
    again = send_digest(db, RULES, notify, at + timedelta(minutes=5))

    assert [r.status for r in first] == ["sent", "sent"]
    assert all(r.already_sent for r in again)
    [secretariat] = fake.messages("CSECRETARIAT")
    [steering] = fake.messages("CSTEERING")
    assert "Final papers" in secretariat.text
    assert "Recommendations due on Kestrel" in secretariat.text
    assert "Annual Plenary" in secretariat.text
    assert "Final papers" not in steering.text
    assert "Recommendations due on Kestrel" in steering.text
    assert "Outcome note" not in secretariat.text + steering.text
    with db.reading() as session:
        keys = [n.key for n in notification_repo.delivered(session)]
    assert len(keys) == 2
    assert all(k.startswith("digest:digest-") for k in keys)


def _stored_job(db: Database) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=db.engine, tablename=JOB_TABLE)},
        timezone=UTC,
    )
    scheduler.start(paused=True)
    return scheduler


def _detach(scheduler: BackgroundScheduler) -> None:
    scheduler.remove_jobstore("default", shutdown=False)
    scheduler.shutdown(wait=True)


def test_runs_missed_during_downtime_coalesce_into_one(db: Database) -> None:
    runs: list[float] = []
    register("coalesce-probe", lambda: runs.append(time.time()))
    before = _stored_job(db)
    # The job last ran five hours ago and nothing has run it since: five runs were missed.
    # The scheduler and its leases keep the machine's time (runs are due in real hours, not on
    # the demo's day), so these instants are the wall clock's, and no expectation is a date.
    before.add_job(
        run_registered,
        IntervalTrigger(hours=1),
        args=["coalesce-probe"],
        id="coalesce-probe",
        next_run_time=datetime.now(UTC) - timedelta(hours=5),
    )
    _detach(before)

    scheduler = LeasedScheduler(
        db, "coalesce-lease", "one", {"coalesce-probe": IntervalTrigger(hours=1)}, renew_every=60
    )
    assert scheduler.tick() is True
    # Once the job is rescheduled an hour ahead, every missed run it was going to make has been
    # handed to the executor; stopping waits for those to finish. No fixed wait is needed.
    _wait_for(lambda: runs and _next_run(db, "coalesce-probe") > time.time() + 50 * 60, 10)
    scheduler.stop()

    assert len(runs) == 1
    after = _stored_job(db)
    job = after.get_job("coalesce-probe")
    _detach(after)
    assert job is not None
    assert job.next_run_time > datetime.now(UTC) + timedelta(minutes=50)


def test_the_digest_job_run_twice_posts_once(db: Database, fake: SlackFake) -> None:
    notify = NotificationActivities(db, slack_notifier(db, fake))
    register(DIGEST_JOB, lambda: send_digest(db, RULES, notify, now()))
    run_registered(DIGEST_JOB)
    run_registered(DIGEST_JOB)
    assert len(fake.messages("CSECRETARIAT")) == 1
    assert len(fake.messages("CSTEERING")) == 1
    assert "Nothing falls due." in fake.messages("CSECRETARIAT")[0].text


def _spawn(url: str, holder: str, out: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.scheduler_process", url, holder, str(out)],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    deadline = time.monotonic() + 30
    while not Path(str(out) + ".ready").exists():
        assert process.poll() is None, f"{holder} exited with {process.returncode}"
        assert time.monotonic() < deadline, f"{holder} did not start"
        time.sleep(0.1)
    return process


def _runs(out: Path) -> list[tuple[str, float]]:
    if not out.exists():
        return []
    lines = out.read_text(encoding="utf-8").splitlines()
    return [(holder, float(at)) for holder, at in (line.split() for line in lines)]


def _next_run(db: Database, job_id: str) -> float:
    """The job's next run time as the job store keeps it (seconds since the epoch)."""
    with db.engine.connect() as connection:
        found = connection.exec_driver_sql(
            f"SELECT next_run_time FROM {JOB_TABLE} WHERE id = '{job_id}'"
        ).scalar_one()
    return float(found)


def _wait_for(predicate: object, seconds: float) -> None:
    # a deadline, not a measure: it returns as soon as the predicate holds (a loaded machine
    # once needed more than 20 s for three runs of a job due each second)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def test_two_scheduler_processes_on_one_job_store_run_each_job_once(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    first = _spawn(db_url, "first", tmp_path / "first")
    second = None
    try:
        second = _spawn(db_url, "second", tmp_path / "second")
        _wait_for(lambda: len(_runs(tmp_path / "first")) >= 3, 120)
        # the second stands by while the first runs the job three more times (each second)
        seen = len(_runs(tmp_path / "first"))
        _wait_for(lambda: len(_runs(tmp_path / "first")) >= seen + 3, 120)
        assert _runs(tmp_path / "second") == []
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = time.time()
        _wait_for(lambda: len(_runs(tmp_path / "second")) >= 2, 120)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=20)
    firsts, seconds = _runs(tmp_path / "first"), _runs(tmp_path / "second")
    assert all(at <= killed_at for _, at in firsts)
    assert all(at >= killed_at for _, at in seconds)
    with db.reading() as session:
        # The survivor released its lease when it stopped.
        assert lease_repo.holder(session, LEASE, datetime.now(UTC)) is None
