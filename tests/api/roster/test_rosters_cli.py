"""`govsched roster ...` against the same database, Temporal and worker as the API tests.

Each command runs in-process on a thread of its own (it starts its own event loop, as from a
shell) with the settings a deployment would give it in the environment.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import govsched.cli.main as cli
from governance.roster.document import RosterDocument
from tests.api.roster_fixture import SECRETARIAT, Roster, roster

__all__ = ["roster"]  # the module's fixture


@dataclass
class Run:
    code: int
    out: str
    err: str


GovSched = Callable[..., Awaitable[Run]]


def _run(argv: list[str]) -> int:
    try:
        return cli.run(argv)
    except SystemExit as exit_:  # argparse refuses bad arguments this way
        return int(exit_.code or 0)


@pytest.fixture
def govsched(
    roster: Roster, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> GovSched:
    settings = roster.settings
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GOVSCHED_TEMPORAL_ADDRESS", settings.temporal_address or "")
    monkeypatch.setenv("GOVSCHED_TASK_QUEUE", settings.task_queue)

    async def run(*argv: str) -> Run:
        capsys.readouterr()
        code = await asyncio.to_thread(_run, list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


async def test_show_prints_the_circulated_roster_or_its_json(
    roster: Roster, govsched: GovSched
) -> None:
    shown = await govsched("roster", "show", str(roster.year))
    assert shown.code == 0, shown.err
    assert shown.out.startswith(f"# Verification presentations, {roster.year} plenary")
    as_json = await govsched("roster", "show", str(roster.year), "--format", "json")
    assert as_json.code == 0, as_json.err
    assert RosterDocument.model_validate_json(as_json.out) == RosterDocument.model_validate(
        await roster.document()
    )
    missing = await govsched("roster", "show", "2031")
    assert missing.code == 2
    assert missing.err.startswith("govsched: roster '2031' does not exist")
    assert "Traceback" not in missing.err


async def test_forecast_lists_each_year_with_reasons(roster: Roster, govsched: GovSched) -> None:
    result = await govsched("roster", "forecast", "--years", "2")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"{roster.year}: published"
    header = next(i for i, line in enumerate(lines) if line.startswith(f"{roster.year + 1}:"))
    assert lines[header].startswith(f"{roster.year + 1}: forecast (seed provisional)")
    assert all("never presented" in line or "replaces" in line for line in lines[1:header])


async def test_verify_says_whether_a_file_matches_its_inputs(
    roster: Roster,
    govsched: GovSched,
    tmp_path: Path,
) -> None:
    document = await roster.document()
    good = tmp_path / "roster.json"
    good.write_text(json.dumps(document), encoding="utf-8")
    matches = await govsched("roster", "verify", str(good))
    assert matches.code == 0, matches.err
    assert matches.out.startswith(f"matches: the {roster.year} roster")

    tampered = dict(document)
    slots = list(document["slots"])
    slots[0], slots[1] = slots[1], slots[0]
    tampered["slots"] = slots
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(tampered), encoding="utf-8")
    differs = await govsched("roster", "verify", str(bad))
    assert differs.code == 1
    assert differs.out.startswith(f"differs: the {roster.year} roster")

    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"year": "soon"}', encoding="utf-8")
    refused = await govsched("roster", "verify", str(garbage))
    assert refused.code == 2
    assert "is not a published roster document" in refused.err
    assert "year" in refused.err
    absent = await govsched("roster", "verify", str(tmp_path / "none.json"))
    assert absent.code == 1
    assert "cannot read" in absent.err


async def test_report_compares_the_rule_with_round_robin_and_random(govsched: GovSched) -> None:
    result = await govsched("roster", "report", "--years", "4", "--seed", "7")
    assert result.code == 0, result.err
    header = next(line for line in result.out.splitlines() if "round-robin" in line)
    assert header.split() == ["govsched", "round-robin", "random"]
    again = await govsched("roster", "report", "--years", "4", "--seed", "7")
    assert again.out == result.out


async def test_deferral_commands_act_as_the_person_named(
    roster: Roster, govsched: GovSched
) -> None:
    document = await roster.document()
    member = next(s["member"] for s in document["slots"] if s["pillar"] == "government")
    year = str(roster.year)
    wrong = await govsched(
        "roster", "request-deferral", year, member, "--by", "fp-co-aurum-mining", "--reason", "x"
    )
    assert wrong.code == 2
    assert "needs the role" in wrong.err
    asked = await govsched(
        "roster", "request-deferral", year, member, "--by", SECRETARIAT, "--reason", "Elections."
    )
    assert asked.code == 0, asked.err
    assert yaml.safe_load(asked.out)["member"] == member
    decided = await govsched(
        "roster", "decide-deferral", year, member, "refuse", "--by", SECRETARIAT
    )
    assert decided.code == 0, decided.err
    assert member in decided.out
    unknown_person = await govsched(
        "roster", "request-deferral", year, member, "--by", "nobody-at-all", "--reason", "x"
    )
    assert unknown_person.code == 2
    assert "Traceback" not in unknown_person.err


async def test_record_presentation_records_history_once(govsched: GovSched) -> None:
    args = ("roster", "record-presentation", "2018", "gov-estavia", "--by", SECRETARIAT)
    first = await govsched(*args, "--outcome", "presented", "--key", "cli-2018-estavia")
    assert first.code == 0, first.err
    assert "gov-estavia: presented at the 2018 plenary" in first.out
    second = await govsched(*args, "--outcome", "absent")
    assert second.code == 2
    assert "already recorded" in second.err
    not_secretariat = await govsched(
        "roster",
        "record-presentation",
        "2018",
        "gov-norland",
        "--by",
        "fp-gov-norland",
        "--outcome",
        "presented",
    )
    assert not_secretariat.code == 2
    assert "needs the role 'secretariat'" in not_secretariat.err
    bad = await govsched(*args, "--outcome", "late")
    assert bad.code == 2
    assert "invalid choice" in bad.err


async def test_plenary_milestones_are_listed_completed_and_refusals_exit_2(
    roster: Roster, govsched: GovSched
) -> None:
    year = str(roster.year)
    listed = await govsched("plenary", "milestones", year)
    assert listed.code == 0, listed.err
    assert "final_papers" in listed.out
    done = await govsched("plenary", "complete", year, "final_papers", "--by", SECRETARIAT)
    assert done.code == 0, done.err
    assert "Final papers" in done.out
    after = await govsched("plenary", "milestones", year)
    line = next(row for row in after.out.splitlines() if "final_papers" in row)
    assert f"completed by {SECRETARIAT}" in line
    again = await govsched("plenary", "complete", year, "final_papers", "--by", SECRETARIAT)
    assert again.code == 2
    assert "already complete" in again.err
    backwards = await govsched(
        "plenary",
        "move",
        year,
        "--starts",
        f"{year}-12-20",
        "--ends",
        f"{year}-12-01",
        "--by",
        SECRETARIAT,
    )
    assert backwards.code == 2
    assert "ends: the plenary ends before it starts" in backwards.err
    member = await govsched(
        "plenary",
        "move",
        year,
        "--starts",
        f"{year}-12-20",
        "--ends",
        f"{year}-12-21",
        "--by",
        "fp-co-aurum-mining",
    )
    assert member.code == 2
    assert "secretariat" in member.err
    missing = await govsched("plenary", "milestones", "2199")
    assert missing.code == 2
    assert "Traceback" not in missing.err + backwards.err + member.err


async def test_handover_commands_show_designate_and_tick_off(
    roster: Roster, govsched: GovSched
) -> None:
    year = str(roster.year)
    shown = await govsched("handover", "show", year)
    assert shown.code == 0, shown.err
    assert f"handover {year}:" in shown.out
    assert "briefing_pack" in shown.out
    company = await govsched(
        "handover", "designate", "co-aurum-mining", "--year", year, "--by", SECRETARIAT
    )
    assert company.code == 2
    assert "member: the Chair is a government" in company.err
    named = await govsched(
        "handover", "designate", "gov-estavia", "--year", year, "--by", SECRETARIAT
    )
    assert named.code == 0, named.err
    assert "Government of Estavia will take over" in named.out
    ticked = await govsched("handover", "complete", year, "open_applications", "--by", SECRETARIAT)
    assert ticked.code == 0, ticked.err
    after = await govsched("handover", "show", year)
    assert "-> gov-estavia" in after.out
    line = next(row for row in after.out.splitlines() if "open_applications" in row)
    assert f"completed by {SECRETARIAT}" in line
    agenda = await govsched("plenary", "agenda", year)
    assert agenda.code == 0, agenda.err
    assert "to Government of Estavia" in agenda.out
    as_json = await govsched("plenary", "agenda", year, "--format", "json")
    assert json.loads(as_json.out)["plenary"] == f"plenary-{year}"
    missing = await govsched("handover", "show", "2199")
    assert missing.code == 2
    assert "Traceback" not in missing.err + company.err
