"""Every command the README shows, run against the demo stack (issue 19).

The README's examples name the demo's people and ids, and its years are those of the demo as it
stands on README_TODAY (the README says so): the stack here runs with that today. An example
(a literal command line) must exit 0, in the README's order. A synopsis (a line with placeholders
such as PERSON, [optional] parts or a|b choices) cannot run as written: its command must exist
and know every option the line names, which its --help shows.
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from govsched.cli.main import _parser as cli_parser
from tests.e2e.stack_process import BIN, RunningStack, StackEnv

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"
# the day the README's examples are written for (README, "make run")
README_TODAY = date(2027, 2, 15)
PLACEHOLDER = re.compile(
    r"\b[A-Z][A-Z_]*[A-Z](?:\.[a-z]+)?\b|\[|\||\.\.\.|\bS\b|\bN\b|\bK\b|\bL\b|\bP\b"
)


def readme_commands() -> list[str]:
    """The command lines of the README's code blocks, continuation lines joined, in order."""
    commands = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", README.read_text(), re.S | re.M):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            words = line.strip()
            # not the stack's banner ("govsched is running:") nor a table's rows
            if re.match(r"(\.venv/bin/)?govsched [a-z]|curl ", words) and not words.endswith(":"):
                commands.append(words)
    return commands


def _without_comment(line: str) -> str:
    return shlex.join(shlex.split(line, comments=True))


def is_synopsis(line: str) -> bool:
    return bool(PLACEHOLDER.search(_without_comment(line).replace("<token>", "")))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackEnv]:
    env = StackEnv(var_dir=tmp_path_factory.mktemp("readme") / "var", today=README_TODAY)
    running = RunningStack(env)
    try:
        running.wait_ready()
        yield env
    finally:
        code = running.interrupt()
    assert code == 0, "\n".join(running.lines)


def _run(env: StackEnv, argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=env.environ(), capture_output=True, text=True, timeout=180, check=False
    )


def test_the_readme_shows_commands_of_both_kinds() -> None:
    commands = readme_commands()
    examples = [c for c in commands if not is_synopsis(c)]
    assert len(examples) >= 25, examples
    assert len(commands) - len(examples) >= 20


def test_every_readme_example_runs_against_the_demo(stack: StackEnv) -> None:
    token = ""
    failures = []
    for line in (c for c in readme_commands() if not is_synopsis(c)):
        argv = shlex.split(line, comments=True)
        if argv[0].endswith("govsched"):
            argv[0] = str(BIN / "govsched")
        else:
            argv = [a.replace("<token>", token) for a in argv]
            argv = [a.replace("http://127.0.0.1:8000", stack.base_url) for a in argv]
            argv[1:1] = ["--silent", "--show-error", "--fail-with-body"]
        done = _run(stack, argv)
        if done.returncode != 0:
            failures.append(f"{line}\n  exit {done.returncode}: {done.stderr or done.stdout}")
        elif argv[1:3] == ["tokens", "issue"] and not token:
            token = done.stdout.strip().split()[-1]
    assert failures == [], "\n".join(failures)


def _command(words: list[str]) -> tuple[list[str], argparse.ArgumentParser]:
    """The longest command path `words` start with, and its parser."""
    path: list[str] = []
    current = cli_parser()
    for word in words:
        subs = [a for a in current._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or word not in subs[0].choices:
            break
        current = subs[0].choices[word]
        path.append(word)
    return path, current


def test_every_readme_synopsis_names_a_command_and_options_that_exist() -> None:
    failures = []
    for line in (c for c in readme_commands() if is_synopsis(c)):
        argv = shlex.split(line, comments=True)
        # "mark-complete|start-review": each alternative is a command of its own
        for alternative in argv[2].split("|") if "|" in argv[2] else [argv[2]]:
            path, parser = _command([argv[1], alternative])
            known = {o for action in parser._actions for o in action.option_strings}
            named = set(re.findall(r"--[a-z][a-z-]*", " ".join(argv)))
            if len(path) < 2 or not named <= known:
                failures.append(f"{line}: command {path}, unknown {sorted(named - known)}")
    assert failures == [], "\n".join(failures)
