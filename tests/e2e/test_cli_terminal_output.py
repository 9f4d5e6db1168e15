"""What `govsched` writes to a terminal: stored text cannot take the terminal over.

Found by a review: listings printed a stored name as written, so a name holding U+202E showed
the rest of its line reversed (an applicant's name read as another's, a state backwards) and
one holding U+009B (a terminal's Control Sequence Introducer) could recolour or clear the
screen. Every command's output now goes through govsched.cli.terminal. Runs in-process."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import govsched.cli.main as cli
from governance.applications.model import ApplicationRecord
from govsched.cli.terminal import for_terminal
from govsched.persistence.repos import applications as application_repo
from tests.api.conftest import seeded_database
from tests.governance.applications.application_cast import admission

SECRETARIAT = "sec-amina-okafor"
# a right-to-left override, an isolate, a C1 Control Sequence Introducer and a line separator
HOSTILE = "Good Org\u202e gnissecorp \u2066x\u009b31mRED\u2028end"
# what a terminal must never be given raw
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    url, db = seeded_database(tmp_path)
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", url)
    hostile: ApplicationRecord = admission()
    hostile = hostile.model_copy(
        update={"applicant": hostile.applicant.model_copy(update={"organisation": HOSTILE})}
    )
    with db.writing() as session:
        application_repo.save(session, hostile)
    yield tmp_path
    db.dispose()


def govsched(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_escaping_keeps_layout_and_every_script_and_escapes_what_drives_a_terminal() -> None:
    assert for_terminal("a\tb\nc é 中文 العربية\u200d") == "a\tb\nc é 中文 العربية\u200d"
    assert for_terminal("\x1b[2J\r\x07\x7f\x85\x9b") == (
        "\\u001b[2J\\u000d\\u0007\\u007f\\u0085\\u009b"
    )
    assert for_terminal(HOSTILE) == "Good Org\\u202e gnissecorp \\u2066x\\u009b31mRED\\u2028end"


def test_a_stored_name_is_listed_escaped(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, listed, _ = govsched(capsys, "applications", "list")
    assert code == 0
    assert not UNSAFE.search(listed), listed
    assert "app-ember\tawaiting_completeness_check\t2027-03-31\tGood Org\\u202e gnissecorp" in (
        listed
    )
    code, shown, _ = govsched(capsys, "applications", "show", "app-ember")
    assert code == 0
    assert not UNSAFE.search(shown), shown
    assert "\\u202e" in shown


def test_json_output_reads_back_as_the_stored_text(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON's own escape: the escaped listing is still the same document."""
    code, _, err = govsched(
        capsys,
        *("group", "create", "grp-hostile", "--name", HOSTILE, "--country", "CO"),
        *("--timezone", "America/Bogota", "--by", SECRETARIAT),
    )
    assert code == 0, err
    code, shown, _ = govsched(capsys, "group", "show", "grp-hostile", "--by", SECRETARIAT)
    assert code == 0
    assert not UNSAFE.search(shown), shown
    assert json.loads(shown)["name"] == HOSTILE


def test_what_any_command_writes_to_stdout_or_stderr_is_escaped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """One place for every command, the ones to come included (and its error messages)."""

    def writes(_: argparse.Namespace) -> int:
        sys.stdout.write(f"listed: {HOSTILE}\n")
        sys.stderr.write(f"said: {HOSTILE}\n")
        return 0

    monkeypatch.setattr(cli, "cmd_db_check", writes)
    code, out, err = govsched(capsys, "db", "check")
    assert code == 0
    assert out == f"listed: {for_terminal(HOSTILE)}\n"
    assert err == f"said: {for_terminal(HOSTILE)}\n"


class ClosedPipe:
    """A stdout whose reader has gone (`| head` after its lines)."""

    def write(self, _: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_stops_reading_ends_the_command_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`govsched applications list | head -1`: was "govsched: BrokenPipeError: [Errno 32] Broken
    pipe (run with --debug for details)" and exit status 1."""

    def lists(_: argparse.Namespace) -> int:
        sys.stdout.write("a line nobody reads\n")
        return 0

    monkeypatch.setattr(cli, "cmd_db_check", lists)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code = cli.run(["db", "check"])
    # quietly, with the status of a command ended by SIGPIPE (128 + 13)
    assert (code, capsys.readouterr().err) == (141, "")
