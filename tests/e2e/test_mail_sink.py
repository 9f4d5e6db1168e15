"""`govsched mail-sink`, the local mail sink `make run` starts: a real SMTP server that keeps
every message in a Maildir, says so on the console, and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import mailbox
import signal
import subprocess
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

from tests.chaos.processes import wait_for
from tests.e2e.stack_process import BIN, free_port, port_is_free


def test_the_mail_sink_keeps_every_message_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "GOVSCHED_VAR_DIR": str(tmp_path),
        "GOVSCHED_MAIL_SINK_PORT": str(port),
        "PATH": "/usr/bin:/bin",
    }
    sink = subprocess.Popen(
        [str(BIN / "govsched"), "mail-sink"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        wait_for(lambda: not port_is_free(port), 30, "the mail sink to listen")
        message = EmailMessage()
        message["From"] = "secretariat@vpi.example.org"
        message["To"] = "Ana <ana@norland.example>"
        message["Subject"] = "Your sign-in link"
        message.set_content("Open this link.")
        asyncio.run(aiosmtplib.send(message, hostname="127.0.0.1", port=port))
        box = mailbox.Maildir(tmp_path / "mail-sink", create=False)
        wait_for(lambda: len(box) == 1, 30, "the message in the Maildir")
        [kept] = list(box)
        assert kept["Subject"] == "Your sign-in link"
        assert str(kept.get_payload()).strip() == "Open this link."
    finally:
        sink.send_signal(signal.SIGTERM)
        out, _ = sink.communicate(timeout=30)
    assert sink.returncode == 0
    assert "[mail] ana@norland.example: Your sign-in link" in out
