"""A report submission through `ReportService` costs the same SQL whatever the registry's size
(issue 22's benchmark): 20,000 members submit in the last weeks of a cycle, so a submission that
read the registry, or searched a table without its index, would make each one slower as the
Initiative grows. Counted, never timed: the statements sent and the rows loaded into the session,
for a registry of 4 members and one of 40 with some reports already in."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.orm import Session
from temporalio.client import Client

from governance.kernel.model import Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SchedulePlenary
from governance.reports.cycle import ReportKind, SubmitReport
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.services.reports import ReportService
from tests.conftest import migrated

SUBMITTED = datetime(2027, 2, 1, 12, tzinfo=UTC)
VALUES = {
    "national_action_plan": "adopted",
    "host_government_outreach": 3,
    "embassies_with_focal_point": "40",
}


def _registry(size: int) -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(year=2027, starts=date(2027, 6, 8), ends=date(2027, 6, 11), location="Oslo")
    ]
    for k in range(size):
        member = f"gov-{k:03d}"
        commands.append(
            AddMember(
                id=member,
                name=f"Government {k}",
                pillar=Pillar.GOVERNMENT,
                country=f"C{k % 7}",
                joined=date(2010, 1, 1),
            )
        )
        commands.append(
            AddPerson(
                id=f"fp-{member}",
                name=f"Focal point {k}",
                email=f"fp-{k}@example.org",
                member=member,
                roles=[Role.FOCAL_POINT],
            )
        )
    return commands


@dataclass
class Cost:
    statements: list[str] = field(default_factory=list)
    rows_loaded: int = 0
    queries: list[tuple[str, Any]] = field(default_factory=list)


@contextmanager
def counted(db: Database) -> Iterator[Cost]:
    cost = Cost()

    def sent(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        cost.statements.append(statement.split(None, 1)[0])
        if statement.startswith("SELECT"):
            cost.queries.append((statement, parameters))

    def loaded(_session: Session, _instance: Any) -> None:
        cost.rows_loaded += 1

    event.listen(db.engine, "before_cursor_execute", sent)
    event.listen(Session, "loaded_as_persistent", loaded)
    try:
        yield cost
    finally:
        event.remove(Session, "loaded_as_persistent", loaded)
        event.remove(db.engine, "before_cursor_execute", sent)


def _submit(service: ReportService, member: str, at: datetime, indicators: bool) -> None:
    command = SubmitReport(
        year=2027,
        member=member,
        by=f"fp-{member}",
        kind=ReportKind.UPDATE,
        url=f"https://example.org/{member}.pdf",
        indicators=dict(VALUES) if indicators else None,
    )
    asyncio.run(service.submit_report(command, at))


def _costs(db: Database, size: int) -> tuple[Cost, Cost]:
    """The cost of a plain submission and of one with indicator values, once every member but
    the last two has submitted."""
    with db.writing() as session:
        seed(session, _registry(size), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
    # before reviewers are assigned no workflow is told: the client is never used
    service = ReportService(cast(Client, None), db, Rulebook(), "cost")
    for k in range(size - 2):
        _submit(service, f"gov-{k:03d}", SUBMITTED + timedelta(minutes=k), indicators=k % 2 == 0)
    with counted(db) as plain:
        _submit(service, f"gov-{size - 2:03d}", SUBMITTED + timedelta(days=1), indicators=False)
    with counted(db) as with_values:
        _submit(service, f"gov-{size - 1:03d}", SUBMITTED + timedelta(days=2), indicators=True)
    return plain, with_values


def _table_scans(db: Database, queries: list[tuple[str, Any]]) -> list[str]:
    """What SQLite would read whole to answer the queries (a table or an index walked from
    end to end), from its query plans."""
    scans = []
    with db.engine.connect() as connection:
        for statement, parameters in queries:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            scans += [
                row.detail
                for row in plan
                if row.detail.startswith("SCAN") and "CONSTANT" not in row.detail
            ]
    return scans


def _database(directory: Path, size: int) -> Database:
    url = f"sqlite:///{directory / f'registry-{size}.db'}"
    migrated(url)
    return Database.from_url(url)


def test_a_submission_sends_the_same_statements_for_4_and_for_40_members(tmp_path: Path) -> None:
    small, large = _database(tmp_path, 4), _database(tmp_path, 40)
    try:
        small_plain, small_values = _costs(small, 4)
        large_plain, large_values = _costs(large, 40)
        scans = _table_scans(large, large_plain.queries + large_values.queries)
    finally:
        small.dispose()
        large.dispose()

    # the report's transaction: plenary, member with its history, person with its roles, an
    # earlier report, the report, the audit entry; then whether the cycle must be woken
    plain = ["BEGIN", *["SELECT"] * 6, "INSERT", "SELECT", "INSERT", "BEGIN", "SELECT", "SELECT"]
    assert small_plain.statements == plain
    assert large_plain.statements == plain
    assert small_plain.rows_loaded == large_plain.rows_loaded == 6
    # the values add their checks and their row with its audit entry, in the same transaction
    assert len(small_values.statements) == len(large_values.statements) == 22
    assert small_values.statements == large_values.statements
    assert small_values.rows_loaded == large_values.rows_loaded == 10
    # every query finds its rows by a key or an index
    assert scans == []
