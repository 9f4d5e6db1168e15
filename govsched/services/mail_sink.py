"""The local mail sink `govsched run` starts when no SMTP relay is set (issue 19).

A real SMTP server (aiosmtpd) on 127.0.0.1 that delivers nothing: every message it accepts is
kept in a Maildir under the var directory (readable with any mail program, e.g.
`mutt -f var/mail-sink`) and announced with one line on the console. The workspace's email
outbox lists what was handed to it. It is the mailbox of everyone in the demo, so sign-in
links land here too: whoever runs `make run` reads them in the Maildir, never in the web.
"""

from __future__ import annotations

import asyncio
import mailbox
import signal
import sys
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope

from govsched.config import Settings

SINK_HOST = "127.0.0.1"
MAILDIR = "mail-sink"


def maildir_path(settings: Settings) -> Path:
    return Path(settings.var_dir) / MAILDIR


class MaildirSink:
    """aiosmtpd handler: keep every message in a Maildir and say so."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._box = mailbox.Maildir(path, create=True)  # makes tmp/, new/ and cur/

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, _server: SMTP, _session: Any, envelope: Envelope
    ) -> str:
        content = envelope.original_content or envelope.content or b""
        raw = content if isinstance(content, bytes) else content.encode()
        parsed = message_from_bytes(raw, policy=policy.default)
        self._box.add(mailbox.MaildirMessage(raw))
        subject = str(parsed.get("Subject", "")).replace("\n", " ")
        to = ", ".join(envelope.rcpt_tos)
        sys.stdout.write(f"[mail] {to}: {subject}\n")
        sys.stdout.flush()
        return "250 Message accepted for delivery"


async def serve(settings: Settings, ready: asyncio.Event | None = None) -> None:
    """Serve until SIGINT or SIGTERM."""
    handler = MaildirSink(maildir_path(settings))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="govsched-mail-sink", decode_data=False),
        SINK_HOST,
        settings.mail_sink_port,
    )
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if ready is not None:
        ready.set()
    async with server:
        await stop.wait()


def sink_environment(settings: Settings) -> dict[str, str]:
    """The settings that point the other parts of the stack at the sink."""
    return {
        "GOVSCHED_SMTP_HOST": SINK_HOST,
        "GOVSCHED_SMTP_PORT": str(settings.mail_sink_port),
        "GOVSCHED_SMTP_TLS": "none",
    }
