"""What a run ended with, in bytes that do not depend on timing, and its own consistency."""

from __future__ import annotations

import difflib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import NotificationRow, SlackMessageRow
from govsched.rehearsal.export import STATE_SECTIONS, write_outputs
from govsched.services.rulebooks import load_rulebook_spec
from tests.chaos.slack_chaos import ChaosSlack
from tests.chaos.workload import ISSUED


@dataclass(frozen=True)
class Snapshot:
    files: dict[str, bytes]
    ledger: list[dict[str, Any]]
    slack: list[dict[str, Any]]
    posts: int

    def differences(self, expected: Snapshot) -> list[str]:
        """What differs from `expected`, each with the first lines of its diff."""
        out = [
            _diff(name, expected.files.get(name, b""), self.files.get(name, b""))
            for name in sorted(set(self.files) | set(expected.files))
            if self.files.get(name) != expected.files.get(name)
        ]
        if self.ledger != expected.ledger:
            out.append(_diff("ledger", _lines(expected.ledger), _lines(self.ledger)))
        if self.slack != expected.slack:
            out.append(_diff("slack", _lines(expected.slack), _lines(self.slack)))
        return out


def _canonical(path: Path) -> bytes:
    """The file's bytes, with JSON objects' keys sorted: PostgreSQL's JSONB keeps its own key
    order, and the experiments compare runs on either database with one baseline."""
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return _lines(rows)
    if path.suffix == ".json":
        return json.dumps(json.loads(path.read_bytes()), sort_keys=True, indent=1).encode()
    return path.read_bytes()


def _lines(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows).encode()


def _diff(name: str, expected: bytes, got: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode().splitlines(), got.decode().splitlines(), "expected", "got", lineterm=""
    )
    return f"{name} differs:\n" + "\n".join(list(lines)[:40])


@contextmanager
def _database(url: str) -> Iterator[Database]:
    db = Database.from_url(url)
    try:
        yield db
    finally:
        db.dispose()


def take(url: str, slack: ChaosSlack) -> Snapshot:
    """The rehearsal's export (state, notifications, audit, every feed) plus ledger and Slack."""
    rulebook = load_rulebook_spec("vpi")
    with tempfile.TemporaryDirectory() as out, _database(url) as db, db.reading() as session:
        write_outputs(session, rulebook, ISSUED + timedelta(days=1), Path(out), [], STATE_SECTIONS)
        files = {
            str(p.relative_to(out)): _canonical(p)
            for p in sorted(Path(out).rglob("*"))
            if p.is_file()
        }
        ledger = [
            {"key": r.key, "status": r.status, "channel": r.channel, "text": r.text}
            for r in session.scalars(select(NotificationRow).order_by(NotificationRow.key))
        ]
    return Snapshot(files, ledger, slack.final_messages(), len(slack.posted))


def problems(url: str, slack: ChaosSlack) -> list[str]:
    """Exactly once, nothing half-done: what this run's own records and Slack disagree on."""
    found = [f"posted {n} times: {pair}" for pair, n in slack.duplicates().items()]
    posted = {(channel, ts): key for channel, key, ts in slack.posted}
    in_slack = {(m.channel, m.ts) for m in slack.all_messages()}
    with _database(url) as db, db.reading() as session:
        for row in session.scalars(select(NotificationRow)):
            if row.status != "sent":
                found.append(f"notification {row.key} is {row.status}")
        for msg in session.scalars(select(SlackMessageRow)):
            where = (msg.channel_id, msg.ts or "")
            if msg.ts is None:
                found.append(f"post of {msg.notification_key} to {msg.target} never confirmed")
            elif where not in in_slack:
                found.append(f"{msg.notification_key} recorded at {where}, absent from Slack")
            elif posted.get(where) not in (None, msg.notification_key) and not _edited(msg):
                found.append(f"{msg.notification_key} recorded on another key's message")
        recorded = {(m.channel_id, m.ts) for m in session.scalars(select(SlackMessageRow))}
        found += [f"a post nobody recorded: {p}" for p in posted if p not in recorded]
        found += _half_written(session)
    return found


def _edited(msg: SlackMessageRow) -> bool:
    # An update in place: this key's row points at the message an earlier key posted.
    return msg.kind == "change_notice"


def _half_written(session: Any) -> list[str]:
    """Every audited change has its effects, and every effect its audit entry."""
    audited: dict[str, set[str]] = {}
    for entry in audit_repo.entries(session):
        audited.setdefault(entry.action, set()).add(entry.item_id)
    plenaries = {p.id for p in registry_repo.list_plenaries(session)}
    people = {p.id for p in registry_repo.list_people(session)}
    found = []
    if audited.get("plenary.scheduled", set()) != plenaries:
        found.append(f"plenaries {plenaries} vs audited {audited.get('plenary.scheduled')}")
    if audited.get("person.added", set()) != people:
        found.append(f"people {sorted(people)} vs audited {audited.get('person.added')}")
    return found
