"""A pooled PostgreSQL connection left in the middle of a statement (as an activity cancelled in
its thread leaves it) is replaced at the next checkout, not handed out to fail.

Seen in the authorization matrix on a loaded machine: a 500 from the pool's ping, "can't change
'autocommit' now: connection in transaction status ACTIVE"."""

from __future__ import annotations

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import text

from govsched.persistence.db import make_engine


@pytest.mark.postgres
def test_a_connection_left_busy_is_replaced_at_the_next_checkout(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
            left = connection.connection.dbapi_connection
        assert left is not None
        # a statement sent and never read: the connection is busy inside the pool
        left.pgconn.send_query(b"select pg_sleep(0.2)")
        assert left.info.transaction_status == TransactionStatus.ACTIVE
        with engine.connect() as connection:
            assert connection.execute(text("select 42")).scalar() == 42
            assert connection.connection.dbapi_connection is not left
    finally:
        engine.dispose()
