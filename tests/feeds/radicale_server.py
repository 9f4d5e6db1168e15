"""A real Radicale CalDAV server on a free port, for acceptance of what the feeds publish."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from icalendar import Calendar

USER = ("vpi", "vpi")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def radicale(folder: Path) -> Iterator[str]:
    """Start Radicale (the pinned dev dependency) and yield its base URL; fail loudly if absent."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--storage-filesystem-folder",
            str(folder),
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                raise AssertionError(f"Radicale did not start: {output}")
            try:
                httpx.get(base + "/.web/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def per_event_documents(feed: bytes) -> list[tuple[str, bytes]]:
    """A feed split as CalDAV stores it: one VCALENDAR per event, with the zones it uses."""
    calendar = Calendar.from_ical(feed)
    zones = list(calendar.walk("VTIMEZONE"))
    documents = []
    for event in calendar.walk("VEVENT"):
        single = Calendar()
        for name in ("PRODID", "VERSION", "CALSCALE"):
            single.add(name, calendar[name])
        for zone in zones:
            single.add_component(zone)
        single.add_component(event)
        documents.append((str(event["UID"]), single.to_ical()))
    return documents


def upload(base: str, collection: str, feed: bytes) -> list[int]:
    """PUT each event of the feed into a fresh calendar collection; returns the statuses."""
    with httpx.Client(base_url=base, auth=USER, timeout=30) as client:
        made = client.request("MKCALENDAR", f"/{USER[0]}/{collection}/")
        assert made.status_code == 201, made.text
        statuses = []
        for index, (_, document) in enumerate(per_event_documents(feed)):
            response = client.put(
                f"/{USER[0]}/{collection}/event-{index}.ics",
                content=document,
                headers={"Content-Type": "text/calendar; charset=utf-8"},
            )
            statuses.append(response.status_code)
        return statuses


def stored_uids(base: str, collection: str) -> set[str]:
    with httpx.Client(base_url=base, auth=USER, timeout=30) as client:
        response = client.get(f"/{USER[0]}/{collection}/")
        assert response.status_code == 200, response.text
    return {str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
