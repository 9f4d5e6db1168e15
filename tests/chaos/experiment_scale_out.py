"""Scaling out with a worker of each role killed: every application once, no notice twice, the
same end as one API process and one worker (scale_out.py says how).

Run by `make chaos` (named on its command line: the file's name keeps it out of `make test`,
whose time it would exceed several times over). Figures: RELIABILITY.md, "Scaling out".
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from tests.chaos.report import FIGURES
from tests.chaos.scale_out import APPLICATIONS, SCALED, SINGLE, Run, run
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.timeout(3600)

# The day both runs take as today (GOVSCHED_TODAY): the plenary is 50 days later.
TODAY = date(2027, 2, 1)


@pytest.fixture
def schemas() -> Iterator[Callable[[], str]]:
    """Fresh PostgreSQL schemas, one per run, dropped afterwards."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def schema() -> str:
        name = f"scale_{uuid.uuid4().hex[:10]}"
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f"CREATE SCHEMA {name}")
        except OperationalError as exc:
            pytest.fail(f"PostgreSQL is required at {POSTGRES_URL}: {exc}")
        made.append(name)
        return f"{POSTGRES_URL}?options=-csearch_path%3D{name}&application_name={name}"

    yield schema
    with admin.connect() as connection:
        for name in made:
            connection.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
    admin.dispose()


def _record(single: Run, scaled: Run) -> None:
    row = {
        "experiment": "scale-out",
        "applications": APPLICATIONS,
        "single": {"topology": single.topology.name, "seconds": round(single.seconds, 1)}
        | single.figures
        | {"counts": single.counts},
        "scaled": {"topology": scaled.topology.name, "seconds": round(scaled.seconds, 1)}
        | scaled.figures
        | {"counts": scaled.counts},
        "problems": len(scaled.problems),
    }
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with FIGURES.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")
    print(f"\n[chaos] {json.dumps(row)}")  # noqa: T201


async def test_two_apis_and_two_workers_of_each_role_lose_one_of_each_and_end_the_same(
    tmp_path: Path, schemas: Callable[[], str]
) -> None:
    single = await run(tmp_path / "single", schemas(), SINGLE, TODAY, kills=False)
    scaled = await run(tmp_path / "scaled", schemas(), SCALED, TODAY, kills=True)
    _record(single, scaled)

    for outcome in (single, scaled):
        assert outcome.problems == [], outcome.problems
        assert outcome.failed == [], outcome.failed
        counts = outcome.counts
        assert counts["applications"] == counts["distinct_applications"] == APPLICATIONS
        assert counts["missing"] == counts["unexpected"] == [], counts
        assert counts["submissions_audited_twice"] == counts["submissions_not_audited"] == []
        assert counts["keys_posted_twice"] == 0, counts
    assert scaled.figures["killed"] == ["worker-workflows-1", "worker-activities-1"]
    assert len(scaled.figures["accepted_by_api"]) == 2  # type: ignore[arg-type]
    differences = scaled.snapshot.differences(single.snapshot)
    assert not differences, "\n\n".join(differences)
    assert scaled.counts["posts"] == single.counts["posts"]
