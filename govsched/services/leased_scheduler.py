"""An APScheduler 3 scheduler that runs in exactly one process: the holder of a database lease.

APScheduler 3 does not coordinate schedulers sharing a job store: two of them would both run
every job. Each process therefore runs `tick()` every few seconds; the one that takes (or
renews) the lease row runs the scheduler, the others stand by, and when the holder dies its
lease expires and another takes over. Jobs live in the SQLAlchemy job store, so a run missed
while no process held the lease is still due when the next holder starts: `coalesce` turns any
number of missed runs into one, and `misfire_grace_time=None` runs it however late.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from govsched.persistence.db import Database
from govsched.persistence.repos import leases as lease_repo

log = logging.getLogger("govsched.scheduler")

JOB_TABLE = "apscheduler_jobs"

# Jobs in a persistent store are saved by reference, so they name a registered callable; each
# process registers its own (a database, a notifier) under the same name.
_REGISTRY: dict[str, Callable[[], object]] = {}


def register(name: str, job: Callable[[], object]) -> None:
    _REGISTRY[name] = job


def run_registered(name: str) -> None:
    job = _REGISTRY.get(name)
    if job is None:
        log.warning("no job registered as %s in this process", name)
        return
    job()


def _wall_clock() -> datetime:
    return datetime.now(UTC)


class LeasedScheduler:
    def __init__(
        self,
        db: Database,
        lease: str,
        holder: str,
        jobs: dict[str, Any],
        ttl: timedelta = timedelta(seconds=60),
        renew_every: float = 15.0,
        timezone: Any = UTC,
        clock: Callable[[], datetime] = _wall_clock,
    ) -> None:
        """`jobs` maps a registered job name to its trigger (an APScheduler trigger object)."""
        self._db = db
        self._lease = lease
        self._holder = holder
        self._jobs = jobs
        self._ttl = ttl
        self._renew_every = renew_every
        self._timezone = timezone
        self._clock = clock
        self._scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._scheduler is not None

    def tick(self) -> bool:
        """Take or renew the lease; start or stop the scheduler to match. True if holding."""
        try:
            with self._db.writing() as session:
                holding = lease_repo.acquire(
                    session, self._lease, self._holder, self._clock(), self._ttl
                )
        except Exception:  # a database hiccup: assume the worst, another may take over
            log.exception("lease %s could not be renewed", self._lease)
            holding = False
        if holding and self._scheduler is None:
            self._scheduler = self._start()
            log.info("%s holds %s: scheduler started", self._holder, self._lease)
        elif not holding and self._scheduler is not None:
            _shutdown(self._scheduler, wait=False)
            self._scheduler = None
            log.info("%s lost %s: scheduler stopped", self._holder, self._lease)
        return holding

    def _start(self) -> BackgroundScheduler:
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self._db.engine, tablename=JOB_TABLE)},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
            timezone=self._timezone,
        )
        scheduler.start(paused=True)
        for name, trigger in self._jobs.items():
            # Never replace a stored job: its next run time is what remembers a missed run.
            if scheduler.get_job(name) is None:
                scheduler.add_job(
                    run_registered, trigger, args=[name], id=name, name=name, jobstore="default"
                )
        scheduler.resume()
        return scheduler

    def start(self) -> None:
        """Tick now and then every `renew_every` seconds on a daemon thread."""
        self._stop.clear()
        self.tick()
        self._thread = threading.Thread(target=self._loop, name=f"lease-{self._lease}", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self._renew_every):
            self.tick()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._renew_every + 5)
        if self._scheduler is not None:
            _shutdown(self._scheduler, wait=True)
            self._scheduler = None
        with self._db.writing() as session:
            lease_repo.release(session, self._lease, self._holder)


def _shutdown(scheduler: BackgroundScheduler, wait: bool) -> None:
    """Stop without touching the job store again.

    APScheduler 3's background thread processes due jobs once more after `shutdown` (its loop
    wakes to see the stopped state). With the store still attached, that pass would advance a
    due job's next run time although its executor is already gone, losing the run, and the
    store's own shutdown would dispose the shared engine; detaching it first avoids both.
    """
    scheduler.pause()
    scheduler.remove_jobstore("default", shutdown=False)
    scheduler.shutdown(wait=wait)
