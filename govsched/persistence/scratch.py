"""Throwaway databases: a SQLite file, or a schema of its own in a PostgreSQL database.

A rehearsal (and the test suite's PostgreSQL lane) needs an empty database it may fill and
forget. On PostgreSQL one database serves many such runs at once, so each run gets a fresh
schema, reached through the connection's `search_path`, and the schema is dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


@contextmanager
def scratch_url(directory: Path, postgres: str | None = None) -> Iterator[str]:
    """An empty database's URL: a SQLite file in `directory`, or, given a PostgreSQL URL, a new
    schema in that database (dropped when the block ends, with everything in it)."""
    if postgres is None:
        yield f"sqlite:///{directory / 'scratch.db'}"
        return
    if not is_postgres(postgres):
        raise ValueError(f"a scratch schema needs a PostgreSQL URL, not {postgres!r}")
    schema = f"scratch_{uuid.uuid4().hex[:16]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        separator = "&" if "?" in postgres else "?"
        try:
            yield f"{postgres}{separator}options=-csearch_path%3D{schema}"
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    finally:
        admin.dispose()
