"""A command line loads only the module of the command it names (govsched/cli/main.py)."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from govsched.cli.main import COMMAND_MODULES, OWN_COMMANDS, _parser


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(subs.choices)


def _added_by(module_name: str) -> set[str]:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers()

    def add(
        name: str,
        handler: object,
        help_text: str,
        parent: argparse._SubParsersAction[argparse.ArgumentParser] = commands,
    ) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=help_text)

    importlib.import_module(module_name).register(commands, add)
    return _commands(parser)


def test_every_command_is_known_to_be_own_or_added_by_its_module() -> None:
    every = _commands(_parser())
    assert every == OWN_COMMANDS | set(COMMAND_MODULES)
    assert not OWN_COMMANDS & set(COMMAND_MODULES)
    for module_name in set(COMMAND_MODULES.values()):
        mapped = {name for name, module in COMMAND_MODULES.items() if module == module_name}
        assert _added_by(module_name) == mapped, module_name


def test_a_command_line_builds_only_the_commands_it_needs() -> None:
    assert _commands(_parser(["tokens", "issue", "fp-x"], every_command=False)) == OWN_COMMANDS
    own_and_roster = _commands(_parser(["--debug", "roster", "show"], every_command=False))
    assert own_and_roster == OWN_COMMANDS | {"roster"}
    # no command, or one nobody adds: every command, so help and the error list them all
    assert _commands(_parser(["--help"], every_command=False)) == _commands(_parser())
    assert _commands(_parser(["bogus"], every_command=False)) == _commands(_parser())


def test_an_own_command_does_not_import_the_process_services() -> None:
    probe = (
        "import sys; from govsched.cli.main import _parser; "
        "_parser(['tokens', 'issue', 'fp-x'], every_command=False); "
        "print(sorted(m for m in sys.modules if m.startswith('govsched.cli.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "['govsched.cli.main']"


def test_command_modules_leave_temporal_and_the_workflows_to_the_commands_that_use_them() -> None:
    # each of these modules has commands that only read the database; a workflow's module
    # loads every activity, and Temporal's SDK is a third of a command's start-up
    modules = [
        "govsched.cli.main",
        "govsched.cli.applications",
        "govsched.cli.concerns",
        "govsched.cli.feeds",
        "govsched.cli.notifications",
        "govsched.cli.reports",
        "govsched.cli.roster",
        "govsched.cli.year",
    ]
    probe = (
        "import importlib, sys; "
        f"[importlib.import_module(m) for m in {modules!r}]; "
        "print(sorted({m.split('.')[0] for m in sys.modules} "
        "& {'temporalio', 'workflows', 'activities'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
