"""What keeps the always-on worker small: the roster's draw and the peer-review assignment in
processes of their own (the same writes as in the worker's process, on both databases; their
refusals raised in the worker; every reviewer told, also after a crash between the writes and
the notices), a worker that never loads the solver's libraries, and malloc limited to two
arenas."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import ActivityEnvironment

from activities.own_process import OwnProcessFailed, run_in_own_process
from activities.reports import ReportActivities
from activities.review_assignment import assign_reviews
from activities.roster import RosterActivities
from governance.kernel.model import Pillar
from governance.registry.changes import AddMember, RegistryCommand, SchedulePlenary
from governance.reports.contracts import CycleRequest
from governance.reports.cycle import CycleDates, Report, ReportKind, Review
from governance.roster.document import RosterDocument, publish
from governance.rulebook.model import Rulebook
from govsched.notify.console import ConsoleNotifier, RecordingNotifier
from govsched.persistence.commands import roster as roster_commands
from govsched.persistence.commands.registry import seed
from govsched.persistence.commands.reports import dates_of
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.repos import roster as roster_repo
from govsched.worker import limit_malloc_arenas
from tests.activities.test_roster_activities import SCHEDULED, _plan
from tests.conftest import migrated
from tests.helpers import focal_point_of

YEAR = 2027
PILLARS = (Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO)
COUNTRIES = ("Norland", "Sudria", "Westmark", "Ostia", "Lumen")
SIZE = 15
SEEDED = datetime(2026, 12, 1, tzinfo=UTC)
AFTER_DUE = datetime(2027, 4, 20, 12, tzinfo=UTC)
STRICT = Rulebook()
RELAXED = STRICT.model_copy(
    update={"peer_review": STRICT.peer_review.model_copy(update={"forbid_reciprocal_pairs": False})}
)


def _member(k: int) -> str:
    return f"m{k:02d}"


def _registry(size: int) -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(
            year=YEAR, starts=date(2027, 5, 18), ends=date(2027, 5, 21), location="Oslo"
        )
    ]
    for k in range(size):
        commands.append(
            AddMember(
                id=_member(k),
                name=f"Member {k}",
                pillar=PILLARS[k % 3],
                country=COUNTRIES[k % len(COUNTRIES)],
                joined=date(2010 + k % 9, 5, 1),
            )
        )
        commands.append(focal_point_of(_member(k)))
    return commands


def _fresh(url: str, size: int = SIZE) -> Database:
    migrated(url)
    database = Database.from_url(url)
    with database.writing() as session:
        seed(session, _registry(size), SEEDED, Rulebook())
    return database


def _reported(database: Database, size: int = SIZE) -> Database:
    with database.writing() as session:
        for k in range(size):
            report = Report(
                year=YEAR,
                member=_member(k),
                kind=ReportKind.FULL,
                url=f"https://{_member(k)}.example/report",
                submitted_at=datetime(2027, 3, 1, tzinfo=UTC),
                submitted_by=f"fp-{_member(k)}",
            )
            report_repo.save_report(session, report)
        report_repo.mark_done(session, YEAR, "assign-2027-04-19")  # the assignment date passed
    return database


@pytest.fixture
def seeded(db_url: str) -> Database:
    return _fresh(db_url)


@pytest.fixture
def alongside(tmp_path: Path) -> Database:
    """The same registry in a SQLite file of its own, where the worker's process does the work."""
    return _fresh(f"sqlite:///{tmp_path / 'alongside.db'}")


def test_the_draw_in_its_own_process_publishes_what_the_worker_would(
    seeded: Database, alongside: Database
) -> None:
    apart = RosterActivities(seeded, Rulebook(), ConsoleNotifier(io.StringIO()), apart=True)
    here = RosterActivities(alongside, Rulebook(), ConsoleNotifier(io.StringIO()))
    plan = _plan(apart)

    drawn = ActivityEnvironment().run(apart.draw_stored, plan)
    again = ActivityEnvironment().run(apart.draw_stored, plan)  # a retry: drawn once
    expected = ActivityEnvironment().run(here.draw_stored, _plan(here))

    assert drawn == again == expected
    assert drawn.slots
    with seeded.reading() as session:
        stored = roster_repo.document(session, "plenary-2027")
        event = calendar_repo.get(session, f"roster-2027-{drawn.slots[0]}@vpi.govsched")
    with alongside.reading() as session:
        stored_here = roster_repo.document(session, "plenary-2027")
    assert stored is not None
    assert stored == stored_here
    assert event is not None


def test_a_refusal_in_its_own_process_is_raised_in_the_worker(seeded: Database) -> None:
    apart = RosterActivities(seeded, Rulebook(), ConsoleNotifier(io.StringIO()), apart=True)
    plan = _plan(apart).model_copy(update={"plenary_id": "plenary-1999"})

    with pytest.raises(LookupError) as raised:
        ActivityEnvironment().run(apart.draw_stored, plan)

    assert "plenary-1999" in str(raised.value)


def test_a_job_process_that_dies_is_reported_with_its_last_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dying = tmp_path / "dying-python"
    dying.write_text("#!/bin/sh\necho 'MemoryError: the machine is full' >&2\nexit 137\n")
    dying.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(dying))

    with pytest.raises(OwnProcessFailed) as raised:
        run_in_own_process("draw-roster", f"sqlite:///{tmp_path}/none.db")

    assert "draw-roster" in str(raised.value)
    assert "status 137" in str(raised.value)
    assert "the machine is full" in str(raised.value)
    with pytest.raises(ValueError, match="no such job"):
        run_in_own_process("anything", f"sqlite:///{tmp_path}/none.db")


def _assigned(database: Database) -> set[tuple[str, str, str]]:
    with database.reading() as session:
        return {(r.reviewer, r.report_of, r.reason) for r in report_repo.reviews(session, YEAR)}


def test_the_assignment_in_its_own_process_writes_and_tells_what_the_worker_would(
    seeded: Database, alongside: Database
) -> None:
    told_apart, told_here = RecordingNotifier(), RecordingNotifier()
    apart = ReportActivities(_reported(seeded), RELAXED, told_apart, apart=True)
    here = ReportActivities(_reported(alongside), RELAXED, told_here)
    request = CycleRequest(year=YEAR, now=AFTER_DUE)

    sent = ActivityEnvironment().run(apart.assign_late, request)
    ActivityEnvironment().run(here.assign_late, request)

    assert _assigned(seeded) == _assigned(alongside)
    assert len(_assigned(seeded)) == SIZE * RELAXED.peer_review.reviewers_per_report
    assert told_apart.sent == told_here.sent
    reviewers = {reviewer for reviewer, _, _ in _assigned(seeded)}
    assert sent == len(told_apart.sent) == len(reviewers)
    with seeded.reading() as session:
        deadline = calendar_repo.get(session, f"reviews-2027-{min(reviewers)}@vpi.govsched")
    assert deadline is not None


@pytest.fixture
def three(db_url: str) -> Database:
    """One member of each pillar, each reported: every pair of reviewers is reciprocal, which
    the VPI rulebook forbids, so no report can be assigned."""
    return _reported(_fresh(db_url, 3), 3)


def test_reports_set_aside_in_its_own_process_are_told_and_marked(three: Database) -> None:
    notifier = RecordingNotifier()
    strict = ReportActivities(three, STRICT, notifier, apart=True)
    request = CycleRequest(year=YEAR, now=AFTER_DUE)

    ActivityEnvironment().run(strict.assign_late, request)

    (cannot,) = notifier.sent
    assert "forbid_reciprocal_pairs" in cannot.text
    assert _assigned(three) == set()
    with three.reading() as session:
        assert report_repo.unreviewed_reports(session, YEAR) == ["m00", "m01", "m02"]
    # set aside: the cycle does not try again under these rules
    assert not ActivityEnvironment().run(strict.status, request).late_reports


def _dates(database: Database) -> CycleDates:
    with database.reading() as session:
        dates = dates_of(session, YEAR, RELAXED)
    assert dates is not None
    return dates


def test_reviewers_are_told_after_a_crash_between_the_writes_and_the_notices(
    seeded: Database,
) -> None:
    notifier = RecordingNotifier()
    activities = ReportActivities(_reported(seeded), RELAXED, notifier)
    dates = _dates(seeded)
    # the first attempt wrote the reviews, then its worker died before telling anyone
    assign_reviews(seeded, RELAXED, dates, AFTER_DUE)
    assert notifier.sent == []

    request = CycleRequest(year=YEAR, now=AFTER_DUE)
    ActivityEnvironment().run(activities.assign_late, request)
    ActivityEnvironment().run(activities.assign_late, request)  # and once more: told once

    told = {r for n in notifier.sent for r in n.recipients}
    reviewers = {reviewer for reviewer, _, _ in _assigned(seeded)}
    assert told == {f"fp-{reviewer}" for reviewer in reviewers}
    assert len(notifier.sent) == len(reviewers)


def test_the_reviews_assigned_at_one_instant_come_back_in_pages_of_members(
    seeded: Database,
) -> None:
    _reported(seeded)
    assign_reviews(seeded, RELAXED, _dates(seeded), AFTER_DUE)
    with seeded.writing() as session:  # another year's review at the same instant
        other_year = Review(
            year=YEAR - 1, report_of="m00", reviewer="m01", reason="r", assigned_at=AFTER_DUE
        )
        report_repo.add_reviews(session, [other_year])
    with seeded.reading() as session:
        pages, after = [], ""
        while found := report_repo.reviews_by_reviewer(
            session, YEAR, after, 2, assigned_at=AFTER_DUE
        ):
            after, page = found
            pages.append(page)
        elsewhen = report_repo.reviews_by_reviewer(session, YEAR, "", 100, assigned_at=SCHEDULED)

    whole: dict[str, list[str]] = {}
    for reviewer, reviewed, _ in sorted(_assigned(seeded)):
        whole.setdefault(reviewer, []).append(reviewed)
    assert len(pages) == (SIZE + 1) // 2  # two members a page
    assert all(len(page) <= 2 for page in pages)
    assert {r: of for page in pages for r, of in page.items()} == whole
    assert sum(len(page) for page in pages) == len(whole)
    assert elsewhen == (_member(SIZE - 1), {})


def test_the_worker_loads_neither_numpy_nor_or_tools() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, govsched.worker, activities.reports, activities.roster; "
            "roots = {m.split('.')[0] for m in sys.modules}; "
            "print(sorted(roots & {'numpy', 'ortools', 'pandas'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_glibc_takes_the_limit_on_malloc_arenas() -> None:
    # this machine's libc is glibc: mallopt answers 1 when it takes the setting
    assert limit_malloc_arenas() is True


def test_a_job_process_ends_when_the_worker_that_started_it_dies() -> None:
    # A stand-in worker starts a job process and dies at once, as a killed worker would. The
    # job's request pipe is held open by a sleeper that outlives the worker, so the job does not
    # end by reading the end of its input: only its worker's death can end it.
    worker = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, subprocess, sys; "
            "quiet = dict(stderr=subprocess.DEVNULL); "
            "sleeper = subprocess.Popen(['sleep', '600'], stdout=subprocess.PIPE, **quiet); "
            "job = subprocess.Popen([sys.executable, '-m', 'activities.own_process', "
            "str(os.getpid())], stdin=sleeper.stdout, stdout=subprocess.DEVNULL, **quiet); "
            "print(job.pid, sleeper.pid, flush=True); os._exit(0)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    job, sleeper = (int(pid) for pid in worker.stdout.split())
    try:
        assert _ends_within(job, seconds=60)
    finally:
        os.kill(sleeper, signal.SIGKILL)


def _ends_within(pid: int, seconds: float) -> bool:
    """Whether the process is gone (or a zombie nobody waits for) before `seconds` pass; the
    bound only says "it ended", however slow the machine."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            return True
        if state in {"Z", "X"}:
            return True
        time.sleep(0.05)
    return False


def test_other_writers_write_while_the_roster_is_drawn(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On SQLite a write transaction locks out every other writer: the draw (30 s at 20,000
    # members) must not be computed inside one.
    database = _fresh(sqlite_url)
    activities = RosterActivities(database, Rulebook(), ConsoleNotifier(io.StringIO()))
    plan = _plan(activities)
    path = sqlite_url.removeprefix("sqlite:///")
    wrote = []

    def draw_while_another_process_writes(*arguments: Any) -> RosterDocument:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once if the draw holds the lock
            other.execute("COMMIT")
            wrote.append(path)
        finally:
            other.close()
        return publish(*arguments)

    monkeypatch.setattr(roster_commands, "publish", draw_while_another_process_writes)
    drawn = ActivityEnvironment().run(activities.draw_stored, plan)

    assert wrote == [path]
    assert drawn.slots
    with database.reading() as session:
        assert roster_repo.slot_members(session, "plenary-2027") == drawn.slots
