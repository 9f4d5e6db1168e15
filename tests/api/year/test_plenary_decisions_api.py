"""Plenary decisions only while a plenary sits, over HTTP and in the web (issue 17.8).

The registry has no plenary but those this module records around today (in the initiative's
time zone), so the expectations hold whatever day the suite runs: one that ended before the
application was submitted, one ahead, and later one in session.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

import govsched.cli.main as cli
from governance.kernel.model import PlenaryKind
from governance.kernel.wording import date_range_text, day_text
from governance.registry.changes import SchedulePlenary
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.repos import registry as registry_repo
from govsched.rehearsal.demo_registry import demo_registry
from tests.api.app_helpers import (
    CHAIR,
    PEOPLE,
    SECRETARIAT,
    People,
    issue_tokens,
    recommend_all,
    under_review,
)
from tests.api.conftest import Api, serving
from tests.conftest import lane_database
from tests.helpers import running_worker
from tests.today import today
from tests.web.html_checks import text
from tests.web.test_web_actions import post_form, web

RULEBOOK = Rulebook()


def _today() -> date:
    return today(RULEBOOK)


def _record_plenary(db: Database, starts: date, ends: date) -> str:
    """An extraordinary plenary recorded as the demo's are; returns its id."""
    command = SchedulePlenary(
        year=starts.year,
        starts=starts,
        ends=ends,
        location="Norland Harbour",
        kind=PlenaryKind.EXTRAORDINARY,
    )
    with db.writing() as session:
        seed(session, [command], datetime.now(UTC), RULEBOOK)
        plenaries = registry_repo.list_plenaries(session)
    return next(p.id for p in plenaries if p.starts == starts)


@dataclass
class Decisions:
    people: People
    settings: Settings  # what a deployment gives the CLI in its environment


@pytest_asyncio.fixture(scope="module")
async def decisions(
    local_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Decisions]:
    url = lane_database(tmp_path_factory.mktemp("decisions"))
    upgrade(url)
    db = Database.from_url(url)
    demo = dataclasses.replace(demo_registry(), plenaries=[])
    with db.writing() as session:
        seed(session, demo.commands(), datetime(2026, 11, 1, tzinfo=UTC), RULEBOOK, demo.seats)
    async with running_worker(local_env.client, db) as queue:
        target = local_env.client.service_client.config.target_host
        settings = Settings(database_url=url, task_queue=queue, temporal_address=target)
        app = create_app(settings, db=db, temporal=local_env.client, run_scheduler=False)
        async with serving(app) as base_url:
            api = Api(base_url, db, {}, local_env.client)
            yield Decisions(People(api, issue_tokens(api, PEOPLE), queue), settings)
    db.dispose()


@pytest.fixture
def people(decisions: Decisions) -> People:
    return decisions.people


def _cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    """A `govsched` command as from a shell, with the deployment's settings."""
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GOVSCHED_TEMPORAL_ADDRESS", settings.temporal_address or "")
    monkeypatch.setenv("GOVSCHED_TASK_QUEUE", settings.task_queue)
    try:
        return cli.run(list(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)


async def _awaiting_plenary(people: People, application: str) -> dict[str, object]:
    await under_review(people, application)
    record = await recommend_all(people, application, objecting={"fp-co-aurum-mining"})
    assert record["state"] == "awaiting_plenary"
    return record


async def test_a_decision_between_plenaries_is_refused_naming_the_next_one(
    decisions: Decisions, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    people = decisions.people
    today = _today()
    # Ended three days ago, within the recording grace, but before the application existed.
    _record_plenary(people.api.db, today - timedelta(days=6), today - timedelta(days=3))
    _record_plenary(people.api.db, today + timedelta(days=40), today + timedelta(days=41))
    # each named as readers know it (its kind, place and dates), not by its id
    held = f"the extraordinary plenary in Norland Harbour ended on {day_text(today - timedelta(3))}"
    ahead = "the next plenary is the extraordinary plenary in Norland Harbour, " + (
        date_range_text(today + timedelta(days=40), today + timedelta(days=41))
    )
    app = "app-between-plenaries"
    waiting = await _awaiting_plenary(people, app)

    refused = await people.post(
        CHAIR, f"/applications/{app}/plenary-decision", {"decision": "admit"}
    )

    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["error"] == "conflict"
    assert ahead in body["message"]
    assert held in body["message"]  # named as held before the application was submitted
    assert [p["field"] for p in body["problems"]] == ["plenary"]
    assert ahead in body["problems"][0]["reason"]
    after = await people.record(app)
    assert after["state"] == "awaiting_plenary"
    assert after["history"] == waiting["history"]
    assert after["decided_at_plenary"] is None

    # The web form meets the same rule, and says so beside the form.
    client = await web(people, SECRETARIAT)
    try:
        page = f"/web/applications/{app}"
        response = await post_form(client, page, f"plenary-decision-{app}", decision="admit")
        assert response.status_code == 409, text(response.text)[:2000]
        # the page writes the dates as the reader's language writes a period
        shown = text(response.text)
        assert "the next plenary is the extraordinary plenary in Norland Harbour, from " in shown
        assert day_text(today + timedelta(days=40)) in shown
    finally:
        await client.aclose()

    # And the command line.
    capsys.readouterr()
    argv = ("applications", "plenary-decision", app, "--by", CHAIR, "--decision", "admit")
    code = await asyncio.to_thread(_cli, decisions.settings, monkeypatch, *argv)
    printed = capsys.readouterr()
    assert code != 0
    assert ahead in printed.err + printed.out
    assert (await people.record(app))["state"] == "awaiting_plenary"


async def test_a_decision_in_session_is_recorded_at_that_plenary(people: People) -> None:
    today = _today()
    app = "app-in-session"
    await _awaiting_plenary(people, app)
    sitting = _record_plenary(people.api.db, today - timedelta(days=1), today + timedelta(days=1))
    decided = await people.post(
        CHAIR, f"/applications/{app}/plenary-decision", {"decision": "admit", "note": "agreed"}
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["state"] == "admitted"
    assert decided.json()["decided_at_plenary"] == sitting
