"""SQLite shared by several writers: WAL, foreign keys, write transactions that BEGIN IMMEDIATE."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from governance.kernel.audit import AuditEntry
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.tables import AuditRow, ChairTermRow

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
THREADS = 8
WRITES = 25


def _entry(thread: int, n: int) -> AuditEntry:
    return AuditEntry(
        key=f"t{thread}-w{n:02d}",
        at=T0 + timedelta(seconds=n),
        actor=f"writer-{thread}",
        action="member.added",
        item_kind="member",
        item_id=f"member-{thread}-{n}",
    )


def _raw(db: Database) -> sqlite3.Connection:
    """A plain sqlite3 connection to the same file that never waits for a lock."""
    path = make_url(str(db.engine.url)).database
    assert path is not None
    return sqlite3.connect(path, timeout=0, isolation_level=None)


def test_concurrent_writers_all_succeed(sqlite_db: Database) -> None:
    def write(thread: int) -> int:
        added = 0
        for n in range(WRITES):
            with sqlite_db.writing() as session:
                # Read, then write: the pattern that fails with "database is locked" under a
                # deferred BEGIN once another connection wrote in between.
                added += audit_repo.append(session, _entry(thread, n))
        return added

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(write, range(THREADS)))

    assert results == [WRITES] * THREADS
    with sqlite_db.reading() as session:
        keys = session.scalars(select(AuditRow.key)).all()
    assert len(keys) == THREADS * WRITES
    assert set(keys) == {f"t{t}-w{n:02d}" for t in range(THREADS) for n in range(WRITES)}


def test_a_new_connection_uses_wal_and_enforces_foreign_keys(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as connection:
        journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        busy_timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()

    assert str(journal_mode).lower() == "wal"
    assert foreign_keys == 1
    assert busy_timeout == 30000


def test_a_missing_foreign_key_is_refused(sqlite_db: Database) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), sqlite_db.writing() as session:
        session.add(ChairTermRow(member_id="gov-nowhere", starts=T0, ends=T0 + timedelta(days=1)))

    with sqlite_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ChairTermRow)) == 0


def test_a_write_transaction_takes_the_write_lock_when_it_begins(sqlite_db: Database) -> None:
    other = _raw(sqlite_db)
    try:
        with sqlite_db.writing() as session:
            session.execute(text("SELECT 1"))  # the transaction begins here, before any write
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        # Once the writer is done, the lock is free again.
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_read_transaction_leaves_the_write_lock_free(sqlite_db: Database) -> None:
    other = _raw(sqlite_db)
    try:
        with sqlite_db.reading() as session:
            session.execute(text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_readers_see_the_last_commit_while_a_write_is_under_way(sqlite_db: Database) -> None:
    with sqlite_db.writing() as session:
        audit_repo.append(session, _entry(0, 0))

    with sqlite_db.writing() as writer:
        audit_repo.append(writer, _entry(0, 1))
        writer.flush()
        with sqlite_db.reading() as reader:
            assert [e.key for e in audit_repo.entries(reader)] == ["t0-w00"]

    with sqlite_db.reading() as reader:
        assert [e.key for e in audit_repo.entries(reader)] == ["t0-w00", "t0-w01"]
