"""PostgreSQL connections cut under running activities: retries recover, nothing half-written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from tests.chaos.disruptions import ConnectionLoss
from tests.chaos.experiment import FULL_RUN, SEED, TEST_TIMEOUT, Outcome, run
from tests.chaos.report import assert_same_as, record
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.timeout(TEST_TIMEOUT)


@pytest.fixture
def chaos_schema() -> Iterator[tuple[str, str]]:
    """A fresh schema, and the URL the worker uses for it under its own application_name."""
    schema = f"chaos_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except OperationalError as exc:
        pytest.fail(f"PostgreSQL is required at {POSTGRES_URL}: {exc}")
    yield schema, f"{POSTGRES_URL}?options=-csearch_path%3D{schema}&application_name={schema}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


async def test_activities_recover_from_lost_database_connections(
    tmp_path: Path, baseline: Outcome, chaos_schema: tuple[str, str]
) -> None:
    schema, url = chaos_schema
    # the full run cuts every 0.2-0.8 s throughout; the short one every 0.5-1.5 s
    interval = (0.2, 0.8) if FULL_RUN else (0.5, 1.5)
    loss = ConnectionLoss(POSTGRES_URL, schema, SEED, interval)
    outcome = await run(tmp_path / "var", loss, database_url=url)
    record("database-connection-loss", outcome, baseline)
    assert int(str(outcome.figures["backends_terminated"])) > 0
    assert_same_as(outcome, baseline)
