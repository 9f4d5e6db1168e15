"""`govsched feeds`: calendar subscription tokens, and exporting every feed to files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from governance.kernel.audit import SYSTEM_ACTOR
from govsched.cli import arguments
from govsched.config import Settings

Add = Callable[..., argparse.ArgumentParser]


def _database() -> Any:
    from govsched.persistence.db import Database

    return Database.from_url(Settings().database_url)


def _issue(args: argparse.Namespace, replace: bool) -> int:
    from govsched.services.feeds import tokens as feed_tokens
    from govsched.services.sessions import require_actor

    settings = Settings()
    with _database().writing() as session:
        require_actor(session, args.by)
        issued = feed_tokens.issue(
            session, args.person, args.scope, args.by, datetime.now(UTC), replace=replace
        )
    print(issued.url(settings.base_url))
    print(issued.webcal_url(settings.base_url))
    old = " (the old URL no longer works)" if issued.action == "reset" else ""
    print(
        f"(the {issued.scope} calendar feed of {args.person}{old}; shown once, stored only "
        "as a hash)",
        file=sys.stderr,
    )
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    return _issue(args, replace=False)


def cmd_reset(args: argparse.Namespace) -> int:
    return _issue(args, replace=True)


def cmd_revoke(args: argparse.Namespace) -> int:
    from govsched.services.feeds import tokens as feed_tokens
    from govsched.services.sessions import require_actor

    with _database().writing() as session:
        require_actor(session, args.by)
        revoked = feed_tokens.revoke(session, args.person, args.by, datetime.now(UTC), args.scope)
    what = ", ".join(revoked) if revoked else "nothing (no live feed token)"
    print(f"revoked for {args.person}: {what}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from govsched.services.feeds.export import write_feeds
    from govsched.services.rulebooks import load_rulebook_spec

    settings = Settings()
    rulebook = load_rulebook_spec(settings.rulebook)
    with _database().reading() as session, arguments.writing(args.dir, "DIR"):
        written = write_feeds(session, rulebook, settings.now(), Path(args.dir), settings.base_url)
    print(f"{len(written)} feeds written to {args.dir}")
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from govsched.services.feeds.caldav_push import PushOutcome, push_all
    from govsched.services.rulebooks import load_rulebook_spec

    settings = Settings()
    targets = settings.caldav_push
    if args.person is not None:
        if args.person not in targets:
            print(
                f"no CalDAV calendar is configured for {args.person} (GOVSCHED_CALDAV_PUSH)",
                file=sys.stderr,
            )
            return 2
        targets = {args.person: targets[args.person]}
    results = push_all(
        _database(),
        load_rulebook_spec(settings.rulebook),
        targets,
        settings.now(),
        settings.base_url,
    )
    failed = 0
    for person, result in results.items():
        if isinstance(result, PushOutcome):
            print(
                f"{person}: {len(result.put)} put, {len(result.deleted)} deleted, "
                f"{result.unchanged} unchanged"
            )
        else:
            failed += 1
            print(f"{person}: {result}", file=sys.stderr)
    return 1 if failed else 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    feeds = commands.add_parser("feeds", help="calendar feeds").add_subparsers(
        dest="feeds_command", required=True, metavar="ACTION"
    )
    for name, handler, text in (
        ("issue", cmd_issue, "issue a person's feed token (refused if one is live)"),
        ("reset", cmd_reset, "replace a person's feed token: the old URL answers 404 at once"),
    ):
        sub = add(name, handler, text, feeds)
        sub.add_argument("person", help="the person's id")
        sub.add_argument(
            "--scope", default="person", help="person (default), role:<role> or pillar:<pillar>"
        )
        sub.add_argument("--by", default=SYSTEM_ACTOR, help="who acts, for the audit log")
    revoke = add("revoke", cmd_revoke, "revoke a person's feed tokens (all, or --scope)", feeds)
    revoke.add_argument("person", help="the person's id")
    revoke.add_argument("--scope", default=None, help="only this scope's token")
    revoke.add_argument("--by", default=SYSTEM_ACTOR, help="who acts, for the audit log")
    export = add("export", cmd_export, "write every feed as .ics files into DIR", feeds)
    export.add_argument("dir", help="the directory to write into")
    push = add(
        "push", cmd_push, "push feeds to the CalDAV calendars in GOVSCHED_CALDAV_PUSH", feeds
    )
    push.add_argument("person", nargs="?", default=None, help="only this person's")
