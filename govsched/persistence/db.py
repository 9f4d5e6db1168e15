"""Engines and sessions for SQLite (embedded) and PostgreSQL (production).

SQLite is shared by the worker, the API and the CLI, each its own process. Two settings make that
safe: WAL journaling (readers never block the writer), and write transactions that take the
write lock when they begin (`BEGIN IMMEDIATE`). Without the second, a transaction that read
first and writes later can fail at once with "database is locked" when another process wrote in
between, and waiting does not help.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from governance.kernel.text import repaired, repaired_all

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)


# JSON as SQLite keeps it (ASCII, escaped): a NUL or a surrogate escape, which a valid pair or
# an unpaired surrogate both start with. Rare, so most documents are decoded and left alone.
_SUSPECT_JSON = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def _stored_json(raw: str) -> Any:
    """A JSON column's value; text written before text was checked (an unpaired surrogate, a
    NUL) comes back repaired, so an old row cannot make a read fail (governance.kernel.text)."""
    value = json.loads(raw)
    return repaired_all(value) if _SUSPECT_JSON.search(raw) else value


def _stored_text(raw: bytes) -> str:
    """A text column's value; SQLite took NUL characters before they were refused."""
    text = raw.decode("utf-8", "replace")
    return repaired(text) if "\x00" in text else text


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        dbapi_connection.text_factory = _stored_text
        cursor = dbapi_connection.cursor()
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's directory is created if missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, json_deserializer=_stored_json)
        _prepare_sqlite(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    _prepare_postgres(engine)
    return engine


def _prepare_postgres(engine: Engine) -> None:
    """A pooled connection found still busy when it is checked out is discarded, not used.

    An activity Temporal cancels (its timeout, or its worker stopping) is told so inside its
    thread, which can leave the connection it was using in the middle of a statement as it goes
    back to the pool; the next checkout's ping then fails with psycopg's "can't change
    'autocommit' now" instead of reaching the database. Seen once in the authorization matrix
    under a loaded machine, as a 500. Counting such a ping as a lost connection makes the pool
    close that connection and open a fresh one, as it does for a server that went away."""

    @event.listens_for(engine, "handle_error")
    def _busy_connection_is_lost(context: Any) -> None:
        if context.is_pre_ping and "connection in transaction status" in str(
            context.original_exception
        ):
            context.is_disconnect = True


class Database:
    """Sessions for reading and for writing, on one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(engine.execution_options(write=True), expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @property
    def url(self) -> str:
        """The URL this database was opened with, password included: what a process of its own
        opens it with (activities/own_process.py)."""
        return self.engine.url.render_as_string(hide_password=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose work commits together at the end, or not at all."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
