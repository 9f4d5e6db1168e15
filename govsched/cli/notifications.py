"""`govsched notifications`: the kinds of direct message a person opted out of, and the
channels (Slack, email, both) and email cadence they chose."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime

from governance.notifications.channels import Channels, DeliveryChoice, EmailCadence
from governance.rulebook.model import NotificationKind, stoppable
from govsched.config import Settings

Add = Callable[..., argparse.ArgumentParser]
KINDS = [kind.value for kind in NotificationKind if stoppable(kind)]


def _change(args: argparse.Namespace, opt_out: bool) -> int:
    from govsched.persistence.db import Database
    from govsched.services import notification_preferences

    db = Database.from_url(Settings().database_url)
    try:
        kinds = [NotificationKind(k) for k in args.kinds]
        now = datetime.now(UTC)
        add, remove = (kinds, []) if opt_out else ([], kinds)
        result = notification_preferences.change(db, args.person, add, remove, args.by, now)
    finally:
        db.dispose()
    print(f"{args.person} opts out of: {', '.join(k.value for k in result) or 'nothing'}")
    return 0


def cmd_opt_out(args: argparse.Namespace) -> int:
    return _change(args, opt_out=True)


def cmd_opt_in(args: argparse.Namespace) -> int:
    return _change(args, opt_out=False)


def _channels_line(person: str, choice: DeliveryChoice) -> str:
    channels = "default (every configured channel)" if choice.channels is None else choice.channels
    return f"{person} is told on: {channels}; emails: {choice.email.value}"


def cmd_show(args: argparse.Namespace) -> int:
    from govsched.persistence.db import Database
    from govsched.services import channel_choices, notification_preferences

    db = Database.from_url(Settings().database_url)
    try:
        kinds = notification_preferences.opted_out(db, args.person)
        choice = channel_choices.delivery_choice(db, args.person)
    finally:
        db.dispose()
    print(_channels_line(args.person, choice))
    print(f"{args.person} opts out of: {', '.join(k.value for k in kinds) or 'nothing'}")
    return 0


def cmd_channels(args: argparse.Namespace) -> int:
    """Where a person is told (issue 19), and how often emails come."""
    from govsched.persistence.db import Database
    from govsched.services import channel_choices

    db = Database.from_url(Settings().database_url)
    try:
        current = channel_choices.delivery_choice(db, args.person)
        choice = DeliveryChoice(
            channels=None if args.channels == "default" else Channels(args.channels),
            email=EmailCadence(args.email) if args.email else current.email,
        )
        channel_choices.set_delivery_choice(db, args.person, choice, args.by, datetime.now(UTC))
    finally:
        db.dispose()
    print(_channels_line(args.person, choice))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    group = commands.add_parser(
        "notifications", help="notification preferences (direct-message opt-outs)"
    ).add_subparsers(dest="notifications_command", required=True, metavar="ACTION")
    for name, handler, text in (
        ("opt-out", cmd_opt_out, "stop direct messages of these kinds to a person"),
        ("opt-in", cmd_opt_in, "resume direct messages of these kinds to a person"),
    ):
        sub = add(name, handler, text, group)
        sub.add_argument("person", help="the person's id")
        sub.add_argument("kinds", nargs="+", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
        sub.add_argument("--by", default="cli", help="who asks (recorded in the audit log)")
    show = add("show", cmd_show, "a person's channels and the kinds they opted out of", group)
    show.add_argument("person", help="the person's id")
    channels = add("channels", cmd_channels, "where a person is told: Slack, email or both", group)
    channels.add_argument("person", help="the person's id")
    channels.add_argument(
        "channels",
        choices=["default", *(c.value for c in Channels)],
        help="default (every configured channel), slack, email or both",
    )
    channels.add_argument(
        "--email",
        choices=[c.value for c in EmailCadence],
        help="immediate (one email per notice) or daily (one digest a day); unchanged if absent",
    )
    channels.add_argument("--by", default="cli", help="who asks (recorded in the audit log)")
