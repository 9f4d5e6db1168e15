"""One scheduler process for the lease tests: `python -m tests.scheduler_process URL HOLDER OUT`.

It registers a probe job that appends "<holder> <instant>" to OUT each time it runs, and runs
a LeasedScheduler until SIGTERM (or until killed, which is the point of one test).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from apscheduler.triggers.interval import IntervalTrigger

from govsched.persistence.db import Database
from govsched.services.leased_scheduler import LeasedScheduler, register

PROBE = "probe"
LEASE = "test-lease"
TTL = timedelta(seconds=3)
RENEW = 0.5


def main(url: str, holder: str, out: str) -> None:
    db = Database.from_url(url)

    def probe() -> None:
        with Path(out).open("a", encoding="utf-8") as file:
            file.write(f"{holder} {time.time():.3f}\n")

    register(PROBE, probe)
    scheduler = LeasedScheduler(
        db, LEASE, holder, {PROBE: IntervalTrigger(seconds=1)}, ttl=TTL, renew_every=RENEW
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    scheduler.start()
    Path(out + ".ready").write_text(holder, encoding="utf-8")
    stop.wait()
    scheduler.stop()
    db.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:4])
