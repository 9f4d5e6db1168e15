"""The suite's database switch (`--database`, GOVSCHED_TEST_DATABASE) reaches every way tests
get a database: per test (`lane_db`), per module (`lane_database`: the API, web and roster
fixtures), the embedded stack's environment (e2e, browser tests) and rehearsals."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from govsched.config import Settings
from govsched.persistence.db import Database
from govsched.persistence.scratch import scratch_url
from tests.conftest import POSTGRES_URL, lane, lane_database
from tests.e2e.stack_process import StackEnv

ENGINE = {"sqlite": "sqlite", "postgres": "postgresql"}


def test_a_tests_own_database_is_the_lanes(
    lane_db: Database, request: pytest.FixtureRequest
) -> None:
    assert lane() == request.config.getoption("--database")
    assert lane_db.engine.dialect.name == ENGINE[lane()]


def test_module_fixtures_the_stack_and_rehearsals_follow_the_lane(tmp_path: Path) -> None:
    shared = lane_database(tmp_path / "module")
    stack = StackEnv(var_dir=tmp_path / "var")
    assert shared.startswith(ENGINE[lane()])
    assert stack.environ()["GOVSCHED_DATABASE_URL"].startswith(ENGINE[lane()])
    rehearsals = Settings().rehearsal_database_url
    assert rehearsals == (POSTGRES_URL if lane() == "postgres" else None)


def test_a_scratch_schema_is_empty_and_gone_afterwards(tmp_path: Path) -> None:
    with scratch_url(tmp_path, POSTGRES_URL) as url:
        db = Database.from_url(url)
        with db.engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            tables = connection.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema = :s"),
                {"s": schema},
            ).scalar_one()
        db.dispose()
    assert schema.startswith("scratch_")
    assert tables == 0
    db = Database.from_url(POSTGRES_URL)
    with db.engine.connect() as connection:
        left = connection.execute(
            text("SELECT count(*) FROM information_schema.schemata WHERE schema_name = :s"),
            {"s": schema},
        ).scalar_one()
    db.dispose()
    assert left == 0
