"""The `govsched` command.

Every failure the user can fix is one clear message on stderr and a non-zero exit: 2 for input
the rules refuse (with each problem listed), 1 for everything else (an output the system will
not let it write, Temporal out of reach...). `--debug` adds the trace.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext, suppress
from datetime import UTC, datetime
from pathlib import Path

import yaml
from pydantic import ValidationError

from governance.kernel.audit import SYSTEM_ACTOR
from governance.kernel.errors import GovernanceError, InvalidInput, NotFound, Problem
from governance.kernel.text import text_problem
from governance.rulebook.model import validation_problems
from govsched.config import OperatorError, Settings
from govsched.temporal.unavailable import ServiceUnavailable

EXIT_REFUSED = 2
EXIT_FAILED = 1
# what reads the output stopped (`| head`): the status of a command ended by SIGPIPE, said quietly
EXIT_READER_GONE = 141

# The modules that add the process commands, by the top-level commands each adds. A command
# line loads only the module of the command it names (`govsched tokens issue` does not load
# the applications service and its Temporal client), so each command, and each process of the
# stack, starts in about half the time; help and unknown commands load them all.
COMMAND_MODULES = {
    "applications": "govsched.cli.applications",
    "members": "govsched.cli.applications",
    "roster": "govsched.cli.roster",
    "handover": "govsched.cli.year",
    "plenary": "govsched.cli.year",
    "reports": "govsched.cli.reports",
    "concern": "govsched.cli.concerns",
    "feeds": "govsched.cli.feeds",
    "notifications": "govsched.cli.notifications",
    "group": "govsched.cli.groups",  # issue 23
    "group-plan": "govsched.cli.group_plans",  # issue 23: plans and funding requests
}
# The commands this module adds itself.
OWN_COMMANDS = frozenset(
    {
        "run",
        "worker",
        "api",
        "mail-sink",
        "db",
        "seed",
        "tokens",
        "sessions",
        "rulebook",
        "rehearse",
        "history",
    }
)


def _settings() -> Settings:
    return Settings()


def cmd_run(_: argparse.Namespace) -> int:
    import govsched.stack as stack

    return stack.run(_settings())


def cmd_worker(_: argparse.Namespace) -> int:
    from govsched import worker

    asyncio.run(worker.run(_settings()))
    return 0


def cmd_mail_sink(_: argparse.Namespace) -> int:
    from govsched.services.mail_sink import serve

    asyncio.run(serve(_settings()))
    return 0


def cmd_api(_: argparse.Namespace) -> int:
    import uvicorn

    from govsched.http.app import create_app

    settings = _settings()
    app = create_app(settings)
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_level="warning")
    return 0


def cmd_db_upgrade(_: argparse.Namespace) -> int:
    from govsched.persistence.migrate import upgrade

    upgrade(_settings().database_url)
    print("database schema is up to date")
    return 0


def cmd_db_check(_: argparse.Namespace) -> int:
    from govsched.persistence.migrate import check

    check(_settings().database_url)
    print("models and migrations agree")
    return 0


DEMO_WORK_LATER = (
    "its work in hand (applications at every step, a concern in dialogue, a roster deferral, "
    "reports) is staged by the next `govsched run` (`make run`), once its worker runs"
)


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from govsched.persistence.db import Database
    from govsched.persistence.repos import registry as registry_repo
    from govsched.rehearsal.demo_seed import seed_demo
    from govsched.services.rulebooks import load_rulebook_spec

    settings = _settings()
    db = Database.from_url(settings.database_url)
    with db.writing() as session:
        if not registry_repo.is_empty(session):
            if args.if_empty:
                print("the registry already has members: nothing seeded")
                return 0
            print(
                "govsched: the registry already has members; seeding would clash "
                "(use --if-empty to make this a no-op)",
                file=sys.stderr,
            )
            return EXIT_FAILED
        count = seed_demo(session, settings.now(), load_rulebook_spec(settings.rulebook))
    print(f"demo registry loaded: {count} records")
    # staging acts through the workflows, which need Temporal and a worker: the stack's
    print(DEMO_WORK_LATER)
    return 0


def cmd_tokens_issue(args: argparse.Namespace) -> int:
    from govsched.persistence.db import Database
    from govsched.persistence.repos import api_tokens as token_repo
    from govsched.persistence.repos import registry as registry_repo

    db = Database.from_url(_settings().database_url)
    with db.writing() as session:
        if not registry_repo.person_exists(session, args.person):
            raise NotFound("person", args.person)
        token = token_repo.issue(session, args.person, datetime.now(UTC), args.label)
    print(token)
    print(
        f"(a bearer token for {args.person}; it is shown once and stored only as a hash)",
        file=sys.stderr,
    )
    return 0


def _label(text: str) -> str:
    """A token's label: one line of text, as the register shows it."""
    problem = text_problem(text)
    if problem is not None or any(c in text for c in "\r\n\t") or len(text) > 100:
        raise argparse.ArgumentTypeError("give one line of text, at most 100 characters")
    return text


def cmd_tokens_revoke(args: argparse.Namespace) -> int:
    from govsched.persistence.db import Database
    from govsched.services.sessions import revoke_tokens

    db = Database.from_url(_settings().database_url)
    with db.writing() as session:
        revoked = revoke_tokens(session, args.person, args.by, datetime.now(UTC))
    print(
        f"revoked {revoked.tokens} token(s) of {args.person}; "
        f"ended {revoked.sessions} web session(s)"
    )
    return 0


def cmd_sessions_end(args: argparse.Namespace) -> int:
    from govsched.persistence.db import Database
    from govsched.services.sessions import end_sessions

    db = Database.from_url(_settings().database_url)
    with db.writing() as session:
        ended = end_sessions(session, args.person, args.by, datetime.now(UTC))
    print(f"ended {ended} web session(s) of {args.person}")
    return 0


def cmd_rulebook_check(args: argparse.Namespace) -> int:
    from govsched.services.rulebooks import load_rulebook_spec

    load_rulebook_spec(args.rulebook or _settings().rulebook)
    print("the rulebook is valid")
    return 0


def cmd_rulebook_show(args: argparse.Namespace) -> int:
    from govsched.services.rulebooks import load_rulebook_spec

    rulebook = load_rulebook_spec(args.rulebook or _settings().rulebook)
    print(yaml.safe_dump(rulebook.model_dump(mode="json"), sort_keys=False, allow_unicode=True))
    return 0


def cmd_rehearse(args: argparse.Namespace) -> int:
    from govsched.cli.arguments import could_hold, writing
    from govsched.rehearsal.driver import rehearse_file

    histories = Path(args.histories) if args.histories else None
    with (
        writing(args.out, "--out"),
        writing(histories, "--histories") if histories else nullcontext(),
    ):
        # checked before the year runs, so a folder that cannot be written is said at once,
        # not after it; nothing is made yet (a scenario refused leaves no folder behind)
        for folder in (Path(args.out), histories):
            if folder is not None:
                could_hold(folder)
        summary = asyncio.run(
            rehearse_file(Path(args.scenario), Path(args.out), _settings(), histories)
        )
    print(summary.describe())
    return 0 if summary.ok or args.allow_refusals else EXIT_REFUSED


def cmd_history_export(args: argparse.Namespace) -> int:
    from temporalio.service import RPCError, RPCStatusCode

    from govsched.cli.arguments import writing
    from govsched.temporal.client import connect

    async def export() -> str:
        client = await connect(_settings())
        try:
            history = await client.get_workflow_handle(args.workflow_id).fetch_history()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise NotFound("workflow", args.workflow_id) from None
            raise
        return history.to_json()

    text = asyncio.run(export())
    with writing(args.out, "--out"):
        Path(args.out).write_text(text, encoding="utf-8")
    print(f"history of {args.workflow_id} written to {args.out}")
    return 0


def _modules_for(argv: Sequence[str] | None) -> list[str]:
    """The command modules `argv` needs: none for this module's own commands, the one that
    adds the command named, or all of them (no command, help, or a name nobody adds)."""
    words = [word for word in (argv or []) if not word.startswith("-")]
    if words and words[0] in OWN_COMMANDS:
        return []
    if words and words[0] in COMMAND_MODULES:
        return [COMMAND_MODULES[words[0]]]
    return list(dict.fromkeys(COMMAND_MODULES.values()))


def _parser(
    argv: Sequence[str] | None = None, every_command: bool = True
) -> argparse.ArgumentParser:
    """The command line's parser: with `every_command` false, only what `argv` needs."""
    parser = argparse.ArgumentParser(prog="govsched", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str,
        handler: Callable[[argparse.Namespace], int],
        help_text: str,
        parent: argparse._SubParsersAction[argparse.ArgumentParser] = commands,
    ) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("run", cmd_run, "run the embedded stack (Temporal dev server, worker, API)")
    add("worker", cmd_worker, "run a worker against the configured Temporal")
    add("api", cmd_api, "serve the HTTP API")
    add("mail-sink", cmd_mail_sink, "a local SMTP server keeping every email (`run` starts it)")

    db = commands.add_parser("db", help="database schema").add_subparsers(
        dest="db_command", required=True, metavar="ACTION"
    )
    add("upgrade", cmd_db_upgrade, "apply all migrations", db)
    add("check", cmd_db_check, "check the models and migrations agree", db)

    seed = commands.add_parser("seed", help="load data").add_subparsers(
        dest="seed_command", required=True, metavar="WHAT"
    )
    demo = add("demo", cmd_seed_demo, "load the fictional demo registry", seed)
    demo.add_argument("--if-empty", action="store_true", help="do nothing if members exist")

    tokens = commands.add_parser("tokens", help="API bearer tokens").add_subparsers(
        dest="tokens_command", required=True, metavar="ACTION"
    )
    issue = add("issue", cmd_tokens_issue, "issue a token for a person (printed once)", tokens)
    issue.add_argument("person", help="the person's id")
    issue.add_argument("--label", default="", type=_label, help="what the token is for")
    revoke = add(
        "revoke",
        cmd_tokens_revoke,
        "revoke every token of a person (and end their web sessions)",
        tokens,
    )
    revoke.add_argument("person", help="the person's id")
    revoke.add_argument("--by", default=SYSTEM_ACTOR, help="who acts, for the audit log")

    sessions = commands.add_parser("sessions", help="web sessions").add_subparsers(
        dest="sessions_command", required=True, metavar="ACTION"
    )
    end = add("end", cmd_sessions_end, "end every web session of a person", sessions)
    end.add_argument("person", help="the person's id")
    end.add_argument("--by", default=SYSTEM_ACTOR, help="who acts, for the audit log")

    rulebook = commands.add_parser("rulebook", help="the initiative's rules").add_subparsers(
        dest="rulebook_command", required=True, metavar="ACTION"
    )
    for name, handler, text in (
        ("check", cmd_rulebook_check, "validate a rulebook, listing every problem"),
        ("show", cmd_rulebook_show, "print the effective rulebook"),
    ):
        sub = add(name, handler, text, rulebook)
        sub.add_argument("rulebook", nargs="?", help="bundled name or TOML/YAML file")

    rehearse = add(
        "rehearse",
        cmd_rehearse,
        "run a scenario's year on a time-skipping clock through the real workflows",
    )
    rehearse.add_argument("scenario", help="the scenario YAML file")
    rehearse.add_argument("--out", required=True, help="directory for the outputs")
    rehearse.add_argument("--histories", help="also write every workflow's history there")
    rehearse.add_argument(
        "--allow-refusals", action="store_true", help="exit 0 even if the rules refused some events"
    )

    modules = _modules_for(None) if every_command else _modules_for(argv)
    for name in modules:
        importlib.import_module(name).register(commands, add)

    history = commands.add_parser("history", help="workflow histories").add_subparsers(
        dest="history_command", required=True, metavar="ACTION"
    )
    export = add("export", cmd_history_export, "write a workflow's history as JSON", history)
    export.add_argument("workflow_id")
    export.add_argument("--out", required=True)
    return parser


def invalid_arguments(args: argparse.Namespace) -> list[Problem]:
    """Arguments that are not valid text (governance.kernel.text), each named (`summary`).

    Bytes the terminal's encoding cannot decode reach Python as unpaired surrogates; like a
    request's, such text is refused before anything runs, whatever command takes it."""
    problems = []
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            problem = text_problem(item) if isinstance(item, str) else None
            if problem is not None:
                problems.append(Problem(name, problem))
                break
    return problems


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command `argv` names; everything it writes goes through govsched.cli.terminal."""
    from govsched.cli.terminal import ReaderGone, terminal_output

    with terminal_output():
        try:
            return _run(sys.argv[1:] if argv is None else argv)
        except ReaderGone:
            return EXIT_READER_GONE


def _run(words: Sequence[str]) -> int:
    from govsched.cli.terminal import ReaderGone

    args = _parser(words, every_command=False).parse_args(words)
    invalid = invalid_arguments(args)
    if invalid:
        refused = InvalidInput("an argument is not valid text", invalid)
        print(f"govsched: {refused.describe()}", file=sys.stderr)
        return EXIT_REFUSED
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        result: int = args.handler(args)
        return result
    except GovernanceError as exc:
        print(f"govsched: {exc.describe()}", file=sys.stderr)
        return EXIT_REFUSED
    except ValidationError as exc:
        refused = InvalidInput("the input is invalid", validation_problems(exc))
        print(f"govsched: {refused.describe()}", file=sys.stderr)
        return EXIT_REFUSED
    except (OperatorError, ServiceUnavailable) as exc:
        print(f"govsched: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except ReaderGone:
        raise
    except Exception as exc:
        if args.debug:
            raise
        # here, not at the top: the commands that never reach Temporal do not load its SDK
        from govsched.temporal.client import unreachable

        if unreachable(exc):
            target = _settings().temporal_target
            print(f"govsched: Temporal cannot be reached at {target}; try again", file=sys.stderr)
            return EXIT_FAILED
        if (
            isinstance(exc, OSError)
            and isinstance(exc.filename, str | bytes | os.PathLike)
            and exc.strerror
        ):
            # the system refusing a file or folder (a command's own outputs say which argument
            # it is: govsched.cli.arguments.writing); anything else keeps its class name
            where = os.fsdecode(exc.filename)
            print(
                f"govsched: {where}: {exc.strerror} (run with --debug for details)", file=sys.stderr
            )
            return EXIT_FAILED
        database = _database_problem(exc)
        if database is not None:
            print(f"govsched: {database}", file=sys.stderr)
            return EXIT_FAILED
        name = type(exc).__name__
        print(f"govsched: {name}: {exc} (run with --debug for details)", file=sys.stderr)
        return EXIT_FAILED


def _database_problem(exc: Exception) -> str | None:
    """A database the command cannot use, in one sentence saying what to do: run from another
    folder, the default SQLite file was a new, empty one and the first query's SQL was shown."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, ProgrammingError

    url = _settings().database_url
    # not a URL at all, it is shown as given: it holds no password to hide
    with suppress(ArgumentError):
        url = make_url(url).render_as_string(hide_password=True)
    if isinstance(exc, NoSuchModuleError | ArgumentError):
        return f"GOVSCHED_DATABASE_URL ({url!r}) is not a database address govsched can use"
    missing = ("no such table", "does not exist")
    if isinstance(exc, OperationalError | ProgrammingError) and any(
        words in str(exc.orig) for words in missing
    ):
        return (
            f"the database at {url} has no govsched tables: run `govsched db upgrade` there "
            "(or run from the folder `make run` set up, where var/govsched.db is)"
        )
    if isinstance(exc, OperationalError):
        return f"the database at {url} cannot be used: {exc.orig}"
    return None


def main() -> None:
    code = run()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = EXIT_READER_GONE
    # The Temporal SDK's native threads can crash CPython's finalisation
    # (temporalio/sdk-python#300); all work is done and flushed, so skip it.
    os._exit(code)


if __name__ == "__main__":
    main()
