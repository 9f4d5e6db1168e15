"""`govsched group-plan ...` as a coordinator, the Secretariat and the Steering Committee run
it against a running Temporal: the same rules as the API, a clear message and exit status 2 for
every refusal (nothing recorded by one), and the budget's totals as exact decimals."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from governance.groups.model import Exploration, Group, GroupStatus
from govsched.cli.main import EXIT_REFUSED, run
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from tests.api.conftest import seeded_database
from tests.helpers import running_worker

SECRETARIAT = "sec-amina-okafor"
COORDINATOR = "fp-co-aurum-mining"
COMMITTEE = "fp-gov-norland"
OUTSIDER = "fp-gov-lusmark"


async def test_a_plan_and_a_funding_request_from_the_command_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    local_env: WorkflowEnvironment,
) -> None:
    url, db = seeded_database(tmp_path)
    with db.writing() as session:
        group_repo.save_group(
            session,
            Group(
                id="ghana",
                name="Ghana group",
                country="GH",
                timezone="Africa/Accra",
                status=GroupStatus.ACTIVE,
                exploration=Exploration(demand="a", support="b", recorded_on=date(2026, 12, 1)),
                coordinators=frozenset({COORDINATOR}),
            ),
        )
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", url)
    monkeypatch.setenv("GOVSCHED_TODAY", "2027-03-01")
    monkeypatch.setenv(
        "GOVSCHED_TEMPORAL_ADDRESS", local_env.client.service_client.config.target_host
    )

    async def govsched(*args: str) -> tuple[int, str, str]:
        # the command runs its own event loop, as from a terminal; the worker runs on this one
        code = await asyncio.to_thread(run, list(args))
        out, err = capsys.readouterr()
        return code, out, err

    async with running_worker(local_env.client, db) as queue:
        monkeypatch.setenv("GOVSCHED_TASK_QUEUE", queue)
        assert (await govsched("group-plan", "start", "ghana", "2027", "--by", OUTSIDER))[
            0
        ] == EXIT_REFUSED
        started = await govsched("group-plan", "start", "ghana", "2027", "--by", COORDINATOR)
        assert started == (0, "ghana 2027: 0 of 0 deliverables done; budget no budget\n", "")
        line = ("group-plan", "budget", "ghana", "2027")
        assert (
            await govsched(
                *line,
                "venue",
                "--label",
                "Venue",
                "--amount",
                "2500.10",
                "--currency",
                "GHS",
                "--by",
                COORDINATOR,
            )
        )[0] == 0
        for amount in ("0.10", "0.20"):
            code, _, _ = await govsched(
                *line,
                f"l-{amount[-2:]}",
                "--label",
                "Trainers",
                "--amount",
                amount,
                "--currency",
                "USD",
                "--by",
                COORDINATOR,
            )
            assert code == 0
        cents = await govsched(
            *line,
            "bad",
            "--label",
            "Bad",
            "--amount",
            "1.005",
            "--currency",
            "USD",
            "--by",
            COORDINATOR,
        )
        assert cents[0] == EXIT_REFUSED
        assert "amount: USD is counted to 2 decimal places" in cents[2]
        shown = await govsched("group-plan", "show", "ghana", "2027", "--by", OUTSIDER)
        assert json.loads(shown[1])["budget_totals"] == {"GHS": "2500.10", "USD": "0.30"}

        fund = (
            "group-plan",
            "fund",
            "ghana",
            "fr-cli",
            "--year",
            "2027",
            "--amount",
            "5200.75",
            "--currency",
            "USD",
            "--purpose",
            "Two trainings.",
        )
        refused = await govsched(*fund, "--by", SECRETARIAT)
        assert refused[0] == EXIT_REFUSED
        assert "coordinator of ghana" in refused[2]
        asked = await govsched(*fund, "--by", COORDINATOR)
        assert asked[0] == 0, asked[2]
        assert asked[1].split() == ["fr-cli", "ghana", "5200.75", "USD", "submitted"]
        returned = await govsched(
            "group-plan", "check", "fr-cli", "--missing", "A quote.", "--by", SECRETARIAT
        )
        assert returned[1].split()[-1] == "returned"
        again = await govsched(
            "group-plan",
            "complete",
            "fr-cli",
            "--purpose",
            "Two trainings; quote attached.",
            "--by",
            COORDINATOR,
        )
        assert again[1].split()[-1] == "submitted"
        review = await govsched("group-plan", "check", "fr-cli", "--by", SECRETARIAT)
        assert review[1].split()[-1] == "under_review"
        said = await govsched(
            "group-plan",
            "recommend",
            "fr-cli",
            "object",
            "--comment",
            "Not now.",
            "--by",
            COMMITTEE,
        )
        assert said[0] == 0, said[2]
        assert (await govsched("group-plan", "requests", "ghana", "--by", OUTSIDER))[1] == ""
        seen = await govsched("group-plan", "requests", "ghana", "--by", COMMITTEE)
        assert seen[1].split()[0] == "fr-cli"
    with db.reading() as session:
        stored = plan_repo.get_request(session, "fr-cli")
    assert stored is not None
    assert [r.person for r in stored.recommendations] == [COMMITTEE]
    db.dispose()
