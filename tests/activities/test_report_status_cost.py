"""The reporting cycle's look (`report-cycle-status`, run each time the cycle wakes, and it wakes
with every run of reviews coming in) costs the same SQL and loads the same rows whatever the
registry's size (issue 21: it read every report of the year to find the Inactive members that
reported, which made the review and close phases of the governance year grow faster than the
membership; then it asked whether a report waits for reviewers with a NOT IN over the year's
reviews, which SQLite answered by reading all of them). Counted, never timed, for 4 members and
for 40, every one reported and reviewed, one of them Inactive: the statements, the rows loaded
and the steps SQLite's engine ran; and that member's notice is still there."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from temporalio.testing import ActivityEnvironment

from activities.reports import ReportActivities
from governance.kernel.model import MemberStatus, Pillar
from governance.registry.changes import AddMember, RegistryCommand, SchedulePlenary
from governance.reports.contracts import CycleRequest, CycleStatus
from governance.reports.cycle import Report, ReportKind, Review
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import reports as report_repo
from tests.conftest import migrated
from tests.services.test_report_submission_cost import Cost, counted

YEAR = 2027
AT = datetime(2027, 3, 1, tzinfo=UTC)
LOOK = CycleRequest(year=YEAR, now=datetime(2027, 5, 2, 12, tzinfo=UTC))


def _members(size: int) -> list[str]:
    return [f"gov-{k:03d}" for k in range(size)]


def _registry(size: int) -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(year=YEAR, starts=date(2027, 6, 8), ends=date(2027, 6, 11), location="Oslo")
    ]
    for k, member in enumerate(_members(size)):
        commands.append(
            AddMember(
                id=member,
                name=f"Government {k}",
                pillar=Pillar.GOVERNMENT,
                country=f"C{k % 7}",
                joined=date(2010, 1, 1),
                # the last one reported while Inactive: the Steering Committee is told
                status=MemberStatus.INACTIVE if k == size - 1 else MemberStatus.FULL,
            )
        )
    return commands


# How many virtual machine instructions SQLite runs between two progress calls: 1 counts each.
EVERY_STEP = 1


@contextmanager
def engine_steps(db: Database) -> Iterator[list[int]]:
    """The instructions SQLite's engine runs for the statements sent meanwhile (a scan shows as
    steps per row, whatever the rows loaded), counted on each connection they are sent on."""
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0  # go on

    def count(conn: Any, *_: Any) -> None:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.set_progress_handler(step, EVERY_STEP)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield steps
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
        with db.engine.connect() as conn:  # the pool's connection, counting no more
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.set_progress_handler(None, EVERY_STEP)


def _look(directory: Path, size: int) -> tuple[Cost, CycleStatus, int]:
    url = f"sqlite:///{directory / f'cycle-{size}.db'}"
    migrated(url)
    db = Database.from_url(url)
    members = _members(size)
    try:
        with db.writing() as session:
            seed(session, _registry(size), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
            for member in members:
                report = Report(
                    year=YEAR,
                    member=member,
                    kind=ReportKind.UPDATE,
                    url=f"https://example.org/{member}.pdf",
                    submitted_at=AT,
                    submitted_by=f"fp-{member}",
                )
                report_repo.save_report(session, report)
            report_repo.add_reviews(
                session,
                [
                    Review(
                        year=YEAR,
                        report_of=member,
                        reviewer=members[(k + 1) % size],
                        reason="assigned",
                        assigned_at=AT,
                    )
                    for k, member in enumerate(members)
                ],
            )
            report_repo.mark_done(session, YEAR, "assign-2027-04-19")
        activities = ReportActivities(db, Rulebook(), RecordingNotifier())
        ActivityEnvironment().run(activities.status, LOOK)  # the first look warms nothing up
        with counted(db) as cost, engine_steps(db) as steps:
            status = ActivityEnvironment().run(activities.status, LOOK)
    finally:
        db.dispose()
    return cost, status, steps[0]


def test_a_look_at_the_cycle_costs_the_same_for_4_and_for_40_members(tmp_path: Path) -> None:
    small, small_status, small_steps = _look(tmp_path, 4)
    large, large_status, large_steps = _look(tmp_path, 40)

    assert small.statements == large.statements
    assert small.rows_loaded == large.rows_loaded
    assert small_steps > 0
    assert large_steps == small_steps
    # the plenary, the cycle's log and the one Inactive member's report: nothing per member
    assert large.rows_loaded <= 3
    for status, size in ((small_status, 4), (large_status, 40)):
        assert not status.finished
        assert not status.late_reports
        told = [n.text for n in status.notices]
        assert len(told) == 1
        assert f"Government {size - 1}, an Inactive member, submitted its 2027" in told[0]
