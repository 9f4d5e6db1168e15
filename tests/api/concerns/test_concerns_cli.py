"""`govsched concern ...` in-process against a database, the dev server and the real worker:
the path, refusals with exit status 2 and no trace, masked reads, the Secretariat's export."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from temporalio.testing import WorkflowEnvironment

import govsched.cli.main as cli
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from tests.concern_registry import SEEDED_AT, concern_registry
from tests.helpers import running_worker


@dataclass
class Run:
    code: int
    out: str
    err: str


def _run(argv: list[str]) -> int:
    try:
        return cli.run(argv)
    except SystemExit as exit_:  # argparse refuses bad arguments this way
        return int(exit_.code or 0)


async def test_the_concern_commands(
    local_env: WorkflowEnvironment,
    lane_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = lane_url
    upgrade(url)
    db = Database.from_url(url)
    with db.writing() as session:
        seed(session, concern_registry(), SEEDED_AT, Rulebook())
    case = f"c-{uuid.uuid4().hex[:8]}"

    async with running_worker(local_env.client, db) as queue:
        monkeypatch.setenv("GOVSCHED_DATABASE_URL", url)
        monkeypatch.setenv("GOVSCHED_TASK_QUEUE", queue)
        target = local_env.client.service_client.config.target_host
        monkeypatch.setenv("GOVSCHED_TEMPORAL_ADDRESS", target)

        async def govsched(*argv: str) -> Run:
            capsys.readouterr()
            code = await asyncio.to_thread(_run, ["concern", *argv])
            captured = capsys.readouterr()
            return Run(code, captured.out, captured.err)

        run: Callable[..., Awaitable[Run]] = govsched
        summary = "Guards untrained."
        filed = await run(
            "file",
            case,
            "--about",
            "co-aurum",
            "--summary",
            summary,
            "--anonymous",
            "--by",
            "nina-ngo",
        )
        wrong_role = await run("acknowledge", case, "--by", "carl-co")
        acked = await run("acknowledge", case, "--by", "sam-sec")
        extended = await run("extend", case, "--reason", "Site visit.", "--by", "chris-chair")
        twice = await run("extend", case, "--reason", "Again.", "--by", "chris-chair")
        bad_outcome = await run("decide", case, "--outcome", "expel", "--by", "sam-sec")
        shown = await run("show", case, "--by", "carl-co")
        hidden = await run("show", case, "--by", "olga-gov")
        listed = await run("list", "--by", "nick-ngo")
        refused_export = await run("export", "--by", "sally-sc")
        exported = await run("export", "--by", "sam-sec")
        withdrawn = await run("withdraw", case, "--by", "nina-ngo")
    db.dispose()

    assert filed.code == 0, filed.err
    assert f"{case}" in filed.out
    assert "filed" in filed.out
    assert (wrong_role.code, "needs the role 'secretariat'" in wrong_role.err) == (2, True)
    assert acked.code == 0, acked.err
    assert extended.code == 0, extended.err
    assert (twice.code, "cannot be extended again" in twice.err) == (2, True)
    assert bad_outcome.code == 2
    assert json.loads(shown.out)["filed_by"] == "anonymous"
    assert "nina-ngo" not in shown.out
    assert (hidden.code, "does not exist" in hidden.err) == (2, True)
    assert case in listed.out
    assert refused_export.code == 2
    assert json.loads(exported.out)[0]["history"][0]["by"] == "nina-ngo"
    assert withdrawn.code == 0, withdrawn.err
    assert "withdrawn" in withdrawn.out
    for result in (wrong_role, twice, hidden, refused_export):
        assert "Traceback" not in result.err
