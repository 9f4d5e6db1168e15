"""With Temporal unreachable, reads keep working and changes are a clear 503, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest
import pytest_asyncio

from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import registry as registry_repo
from tests.api.conftest import SECRETARIAT, free_port, seeded_database, serving
from tests.today import today


def FIRST_FORECAST_YEAR(today: date) -> int:  # noqa: N802 (a table of stated answers)
    """The forecast's first year, stated for the demo registry with its fixed dates (this
    module seeds it so), whose plenaries end on 20 March 2026 and 19 March 2027: the year
    after the last plenary held, never a past year."""
    if today <= date(2026, 3, 20):
        return 2026
    if today <= date(2027, 3, 19):
        return 2027
    if today <= date(2027, 12, 31):
        return 2028
    return today.year  # no demo plenary after 2027: the forecast starts this year


@pytest_asyncio.fixture
async def client_without_temporal(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[httpx.AsyncClient]:
    url, db = seeded_database(tmp_path_factory.mktemp("unavailable"))
    with db.writing() as session:
        token = token_repo.issue(session, SECRETARIAT, datetime.now(UTC))
    nowhere = f"127.0.0.1:{free_port()}"
    app = create_app(
        Settings(database_url=url, temporal_address=nowhere), db=db, run_scheduler=False
    )
    async with (
        serving(app) as base_url,
        httpx.AsyncClient(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as client,
    ):
        yield client
    with db.reading() as session:
        assert registry_repo.get_member(session, "ngo-unsaved") is None
    db.dispose()


async def test_changes_get_a_503_to_retry_and_reads_still_work(
    client_without_temporal: httpx.AsyncClient,
) -> None:
    member = {"id": "ngo-unsaved", "name": "Unsaved", "pillar": "ngo", "country": "Y"}
    change = await client_without_temporal.post("/members", json=member)
    read = await client_without_temporal.get("/members/gov-norland")
    assert change.status_code == 503
    assert change.headers["Retry-After"] == "5"
    assert change.json()["error"] == "unavailable"
    assert "nothing was changed" in change.json()["message"]
    assert read.status_code == 200


async def test_roster_reads_work_and_deferrals_wait_for_temporal(
    client_without_temporal: httpx.AsyncClient,
) -> None:
    forecast = await client_without_temporal.get("/rosters/forecast", params={"years": 2})
    deferral = await client_without_temporal.post(
        "/rosters/2027/deferrals", json={"member": "co-aurum-mining", "reason": "Audit late."}
    )
    first = FIRST_FORECAST_YEAR(today())
    assert forecast.status_code == 200
    assert [y["year"] for y in forecast.json()] == [first, first + 1]
    assert deferral.status_code == 503
    assert deferral.json()["error"] == "unavailable"
