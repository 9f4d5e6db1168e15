"""`govsched feeds issue|reset|revoke|export` as a person runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import feed_tokens as feed_token_repo
from tests.feeds.feed_data import OUTSIDER, SECRETARIAT, seeded


def govsched(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GOVSCHED_DATABASE_URL": url, "GOVSCHED_PUBLIC_URL": "https://vpi.example"}
    return subprocess.run(
        [sys.executable, "-c", "import govsched.cli.main as cli; cli.main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def token_of(output: str) -> str:
    url = output.splitlines()[0]
    assert url.startswith("https://vpi.example/calendars/")
    assert output.splitlines()[1] == "webcal://" + url.removeprefix("https://")
    return url.removeprefix("https://vpi.example/calendars/").removesuffix(".ics")


def test_issue_reset_revoke_and_export_from_the_command_line(
    sqlite_url: str, sqlite_db: Database, tmp_path: Path
) -> None:
    seeded(sqlite_db)
    first = govsched(sqlite_url, "feeds", "issue", OUTSIDER, "--by", SECRETARIAT)
    assert first.returncode == 0, first.stderr
    again = govsched(sqlite_url, "feeds", "issue", OUTSIDER)
    assert again.returncode == 2
    assert "use reset" in again.stderr
    reset = govsched(sqlite_url, "feeds", "reset", OUTSIDER, "--by", SECRETARIAT)
    assert reset.returncode == 0, reset.stderr
    old, new = token_of(first.stdout), token_of(reset.stdout)
    with sqlite_db.reading() as session:
        assert feed_token_repo.grant_for(session, old) is None
        assert feed_token_repo.grant_for(session, new) is not None
    revoke = govsched(sqlite_url, "feeds", "revoke", OUTSIDER, "--by", SECRETARIAT)
    assert revoke.returncode == 0, revoke.stderr
    assert "person" in revoke.stdout
    with sqlite_db.reading() as session:
        assert feed_token_repo.grant_for(session, new) is None
        actions = [e.action for e in audit_repo.entries(session, "calendar_feed", OUTSIDER)]
    assert actions == ["calendar_feed.issue", "calendar_feed.reset", "calendar_feed.revoke"]
    unknown = govsched(sqlite_url, "feeds", "issue", "nobody")
    assert unknown.returncode == 2
    assert "'nobody' does not exist" in unknown.stderr
    bad_scope = govsched(sqlite_url, "feeds", "reset", OUTSIDER, "--scope", "all")
    assert bad_scope.returncode == 2
    assert "scope" in bad_scope.stderr

    out = tmp_path / "feeds"
    export = govsched(sqlite_url, "feeds", "export", str(out))
    assert export.returncode == 0, export.stderr
    names = {p.name for p in out.iterdir()}
    assert {"public.ics", f"person-{OUTSIDER}.ics", "role-chair.ics", "pillar-ngo.ics"} <= names
    for path in out.iterdir():
        Calendar.from_ical(path.read_bytes())
    assert new not in "".join(p.read_text() for p in out.iterdir())
