"""Shared fixtures: both Temporal servers, both databases, a worker per test.

`--database` (or GOVSCHED_TEST_DATABASE) is the switch between the suite's two lanes: `sqlite`
(the default) or `postgres`. It chooses the database every API, web, workflow, rehearsal and e2e
test runs on (`lane_url`, `lane_db`, `lane_scratch`); persistence tests run on both regardless.

`--workflow-environment` chooses where `workflow_env` tests run: `both` (the default, and what CI
runs), `time-skipping` or `local` (the dev server). PostgreSQL must be reachable at
GOVSCHED_TEST_POSTGRES_URL (default 127.0.0.1:5432, database `test`): if it is not, the tests that
need it fail, they are never skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import sys
import tempfile
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import settings
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.scratch import scratch_url
from tests.absent_modules import install as refuse_absent_modules_at_once
from tests.file_seconds import recorded, seconds_of
from tests.shared_scopes import FamilyScheduling, family_of
from tests.shared_ssl import install as share_one_ssl_context
from worker import register_search_attributes

BIN = Path(sys.executable).parent
TEST_SERVER = BIN / "temporal-test-server"
DEV_SERVER = BIN / "temporal"
POSTGRES_URL = os.environ.get(
    "GOVSCHED_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
share_one_ssl_context()
refuse_absent_modules_at_once()
# Tests ask for one feed several times in a row, as no calendar program does; each would wait a
# second for its turn. tests/api/feeds/test_feed_pacing.py sets the pacing it checks.
os.environ.setdefault("GOVSCHED_FEED_MIN_INTERVAL_SECONDS", "0")

ENVIRONMENTS = ("time-skipping", "local")
DATABASES = ("sqlite", "postgres")
_lane = "sqlite"


def pytest_configure(config: pytest.Config) -> None:
    global _lane
    _lane = config.getoption("--database")
    if _lane == "postgres":
        # Rehearsals read their settings from the environment (`Settings()`), like `make run`.
        os.environ["GOVSCHED_REHEARSAL_DATABASE_URL"] = POSTGRES_URL


def lane() -> str:
    """`sqlite` or `postgres`: the database this run's lane uses."""
    return _lane


def lane_scratch(directory: Path) -> AbstractContextManager[str]:
    """An empty database of the lane's engine: a SQLite file in `directory`, or a schema of its
    own in the PostgreSQL test database, dropped when the block ends."""
    return scratch_url(directory, POSTGRES_URL if _lane == "postgres" else None)


# Databases made for fixtures that outlive a test (module scope); dropped when the session ends.
_session_scratch = ExitStack()


def lane_database(directory: Path) -> str:
    """An empty database of the lane's engine, kept until the session ends."""
    return _session_scratch.enter_context(lane_scratch(directory))


# Migrating a database from nothing costs about 0.15 s of CPU, and some 200 tests a run want a
# migrated SQLite file; seeding the demo registry into it costs a second more, and some 60 module
# fixtures want that: each gets a copy of a file made once per test process instead.
_sqlite_templates: dict[str, Path] = {}


def copy_of_sqlite_template(url: str, name: str, make: Callable[[str], None]) -> None:
    """Fill the empty SQLite database at `url` with a copy of the template `name`, which
    `make(url)` builds (once per test process) from an empty database."""
    if name not in _sqlite_templates:
        template = Path(tempfile.mkdtemp(prefix=f"govsched-{name}-")) / "template.db"
        make(f"sqlite:///{template}")
        _sqlite_templates[name] = template
    source = sqlite3.connect(_sqlite_templates[name])
    target = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def migrated(url: str) -> None:
    """Bring the empty database at `url` to the newest migration."""
    if url.startswith("sqlite:///"):
        copy_of_sqlite_template(url, "migrated", upgrade)
    else:
        upgrade(url)


# `make test` runs the same generated examples every time, so CI never fails on a draw nobody
# can reproduce; `make explore` searches with fresh random seeds and reports the failing blob.
settings.register_profile("repeatable", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("explore", derandomize=False, print_blob=True, deadline=None)
settings.load_profile(os.environ.get("GOVSCHED_HYPOTHESIS_PROFILE", "repeatable"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=DATABASES,
        default=os.environ.get("GOVSCHED_TEST_DATABASE", "sqlite"),
        help="the database of the API, web, workflow, rehearsal and e2e tests (the lane)",
    )
    parser.addoption(
        "--workflow-environment",
        choices=["both", *ENVIRONMENTS],
        default="both",
        help="Temporal server(s) for workflow tests",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "workflow_env" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--workflow-environment")
        kinds = list(ENVIRONMENTS) if choice == "both" else [choice]
        metafunc.parametrize("workflow_env", kinds, indirect=True, scope="session")


def postgres_halves() -> tuple[str, ...]:
    """The folders whose PostgreSQL halves the PostgreSQL lane runs (Makefile POSTGRES_HALVES)."""
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^POSTGRES_HALVES \?= (.+)$", makefile, re.M)
    assert found is not None, "POSTGRES_HALVES not found in the Makefile"
    return tuple(folder.rstrip("/") + "/" for folder in found.group(1).split())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first (tests/file_seconds.py says why), each file's tests together
    and in their own order.

    The SQLite lane leaves out the PostgreSQL half of the tests that run on both databases and
    the PostgreSQL lane runs it from the folders it names: a test on both databases anywhere else
    would run on PostgreSQL in no lane, so it stops the run here."""
    halves = postgres_halves()
    astray = sorted(
        item.nodeid
        for item in items
        if item.get_closest_marker("postgres") and not item.nodeid.startswith(halves)
    )
    if astray:
        raise pytest.UsageError(
            "tests on PostgreSQL outside the PostgreSQL lane's folders (Makefile "
            f"POSTGRES_HALVES): {astray[:5]}"
        )
    table = recorded()
    first_seen: dict[str, int] = {}
    family_seconds: dict[str, float] = defaultdict(float)
    for index, item in enumerate(items):
        path = item.nodeid.split("::")[0]
        if path not in first_seen:
            first_seen[path] = index
            first_seen.setdefault(family_of(path), index)
            family_seconds[family_of(path)] += seconds_of(path, table)

    def key(item: pytest.Item) -> tuple[float, int, float, int]:
        path = item.nodeid.split("::")[0]
        family = family_of(path)
        return (
            -family_seconds[family],
            first_seen[family],
            -seconds_of(path, table),
            first_seen[path],
        )

    items.sort(key=key)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> FamilyScheduling | None:
    """`--dist loadfile` with the files that share a per-process fixture as one unit
    (tests/shared_scopes.py)."""
    if config.getoption("dist") != "loadfile":
        return None
    return FamilyScheduling(config, log)


_exit_status = 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)
    _session_scratch.close()
    for template in _sqlite_templates.values():
        shutil.rmtree(template.parent, ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # The Temporal SDK's native threads can crash CPython's finalisation after every test has
    # passed (temporalio/sdk-python#300), turning a green run red. Results are reported by now.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)


# A dev server can die as it starts: it picks its HTTP API and metrics ports at random, and
# another test's server may take one first (temporalio/cli#543). The SDK then reports that it
# did not start; the next start picks other ports. It is also given longer than the SDK's 5 s,
# which a server starting beside a busy suite can need.
DEV_SERVER_STARTS = 3
DEV_SERVER_STARTUP = timedelta(seconds=30)


async def start_dev_server(
    cli: Path = DEV_SERVER, startup: timedelta = DEV_SERVER_STARTUP
) -> WorkflowEnvironment:
    """A dev server from `cli`, started again (up to DEV_SERVER_STARTS times) if it is not
    serving within `startup`."""
    for attempt in range(1, DEV_SERVER_STARTS + 1):
        try:
            return await WorkflowEnvironment.start_local(
                dev_server_existing_path=str(cli),
                data_converter=pydantic_data_converter,
                ui=False,
                dev_server_log_level="error",
                dev_server_startup_timeout=startup,
            )
        except RuntimeError as exc:
            if attempt == DEV_SERVER_STARTS or "Failed starting" not in str(exc):
                raise
            sys.stderr.write(f"Temporal dev server did not start (attempt {attempt}): {exc}\n")
    raise AssertionError("unreachable: the last attempt returns or raises")


async def start_environment(kind: str) -> WorkflowEnvironment:
    """A Temporal server of the kind named, the search attributes registered."""
    if kind == "time-skipping":
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
        )
    else:
        env = await start_dev_server()
    await register_search_attributes(env.client)
    return env


@pytest_asyncio.fixture(scope="session")
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await start_environment("time-skipping")
    yield env
    await env.shutdown()


@pytest_asyncio.fixture(scope="session")
async def local_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await start_environment("local")
    yield env
    await env.shutdown()


@pytest_asyncio.fixture(scope="session")
async def workflow_env(request: pytest.FixtureRequest) -> AsyncIterator[WorkflowEnvironment]:
    """The environment named by the test's parameter (see pytest_generate_tests)."""
    env = await start_environment(request.param)
    yield env
    await env.shutdown()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'govsched.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except OperationalError as exc:
        pytest.fail(f"PostgreSQL is required at {POSTGRES_URL}: {exc}")
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each persistence test runs on SQLite and on PostgreSQL."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    migrated(db_url)
    database = Database.from_url(db_url)
    yield database
    database.dispose()


@pytest.fixture
def lane_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the lane's engine (`--database`), for one test."""
    with lane_scratch(tmp_path) as url:
        yield url


@pytest.fixture
def lane_db(lane_url: str) -> Iterator[Database]:
    """A migrated database of the lane's engine, where the engine is not the test's subject."""
    migrated(lane_url)
    database = Database.from_url(lane_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    """For tests where the database engine is not the subject."""
    migrated(sqlite_url)
    database = Database.from_url(sqlite_url)
    yield database
    database.dispose()
