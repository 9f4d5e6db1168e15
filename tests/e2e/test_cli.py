"""The `govsched` command: what it prints, and its exit status for every kind of mistake."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.stack_process import StackEnv

REFUSING_SCENARIO = """
start: 2027-01-04
until: 2027-02-01
members:
  - {id: co-aurum, name: Aurum Mining, pillar: company, country: Norland}
events:
  - at: 2027-01-05
    do: set_chair
    with: {member: co-aurum, starts: 2027-05-21, ends: 2028-05-19}
"""


def test_database_seed_and_tokens_from_the_command_line(tmp_path: Path) -> None:
    env = StackEnv(var_dir=tmp_path)
    assert env.govsched("db", "upgrade").returncode == 0
    checked = env.govsched("db", "check")
    seeded = env.govsched("seed", "demo")
    reseeded = env.govsched("seed", "demo")
    tolerant = env.govsched("seed", "demo", "--if-empty")
    issued = env.govsched("tokens", "issue", "sec-amina-okafor", "--label", "laptop")
    unknown = env.govsched("tokens", "issue", "nobody")
    revoked = env.govsched("tokens", "revoke", "sec-amina-okafor")

    assert checked.stdout.splitlines()[-1] == "models and migrations agree"
    assert seeded.stdout.splitlines() == [
        "demo registry loaded: 154 records",
        "its work in hand (applications at every step, a concern in dialogue, a roster deferral, "
        "reports) is staged by the next `govsched run` (`make run`), once its worker runs",
    ]
    assert reseeded.returncode == 1
    assert "already has members" in reseeded.stderr
    assert tolerant.returncode == 0
    assert issued.returncode == 0
    assert len(issued.stdout.strip()) >= 43
    assert unknown.returncode == 2
    assert "person 'nobody' does not exist" in unknown.stderr
    assert revoked.stdout.strip() == (
        "revoked 1 token(s) of sec-amina-okafor; ended 0 web session(s)"
    )
    assert "Traceback" not in reseeded.stderr + unknown.stderr


def test_an_invalid_rulebook_is_refused_with_every_problem_listed(tmp_path: Path) -> None:
    rulebook = tmp_path / "rules.toml"
    rulebook.write_text(
        '[applications]\nno_objection_days = -1\n[initiative]\ntimezone = "Mars/Olympus"\n',
        encoding="utf-8",
    )
    env = StackEnv(var_dir=tmp_path)
    refused = env.govsched("rulebook", "check", str(rulebook))
    valid = env.govsched("rulebook", "check")
    shown = env.govsched("rulebook", "show")
    assert refused.returncode == 2
    assert "applications.no_objection_days: Input should be greater than or equal to 1" in (
        refused.stderr
    )
    assert valid.stdout.strip() == "the rulebook is valid"
    assert "timezone: America/Toronto" in shown.stdout


def test_rehearse_exit_status_follows_refusals(tmp_path: Path) -> None:
    env = StackEnv(var_dir=tmp_path)
    scenario = tmp_path / "refusing.yaml"
    scenario.write_text(REFUSING_SCENARIO, encoding="utf-8")
    strict = env.govsched("rehearse", str(scenario), "--out", str(tmp_path / "strict"))
    lenient = env.govsched(
        "rehearse", str(scenario), "--out", str(tmp_path / "lenient"), "--allow-refusals"
    )
    assert strict.returncode == 2
    assert "event 0 (set_chair) refused" in strict.stdout
    assert (tmp_path / "strict" / "state.json").exists()
    assert lenient.returncode == 0


def test_an_invalid_scenario_runs_nothing_and_lists_each_problem(tmp_path: Path) -> None:
    env = StackEnv(var_dir=tmp_path)
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(
        "start: 2027-01-04\nuntil: 2027-02-01\nevents:\n  - {at: 2027-03-01, do: nap}\n",
        encoding="utf-8",
    )
    result = env.govsched("rehearse", str(scenario), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "events.0.do: unknown action 'nap'" in result.stderr
    assert "events.0.at: outside the scenario's [start, until]" in result.stderr
    assert not (tmp_path / "out").exists()
