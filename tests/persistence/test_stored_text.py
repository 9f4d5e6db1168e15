"""Text stored before invalid text was refused (only SQLite could keep it: NUL in a text column,
an unpaired surrogate or NUL escaped in a JSON document) reads back repaired, so an old row can
never make a read fail (issue 17, item 15)."""

from __future__ import annotations

from datetime import UTC, datetime

from governance.kernel.audit import AuditEntry
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.tables import AuditRow


def test_an_old_audit_entry_with_invalid_text_reads_back_repaired(sqlite_db: Database) -> None:
    # what the old code could leave, written past the models as it was then: NUL in the column,
    # an unpaired surrogate and NUL as escapes in the JSON document
    with sqlite_db.writing() as session:
        session.add(
            AuditRow(
                key="old-1",
                at=datetime(2026, 1, 5, tzinfo=UTC),
                actor="sec-test",
                action="member.added",
                item_kind="member",
                item_id="gov-norland",
                reason="Recorded\x00 at the meeting.",
                data={"n\udc80ote": "fine", "list": ["fi\ud800ne\x00"]},
            )
        )
    with sqlite_db.reading() as session:
        [entry] = audit_repo.entries(session)
    assert entry.reason == "Recorded at the meeting."
    assert entry.data == {"n\ufffdote": "fine", "list": ["fi\ufffdne"]}


def test_valid_text_reads_back_as_written(sqlite_db: Database) -> None:
    written = {"emoji": "😀 \u2028 \u202e", "pair": "\U0001f600", "escaped": "\\ud800"}
    with sqlite_db.writing() as session:
        audit_repo.append(
            session,
            AuditEntry(
                key="ok-1",
                at=datetime(2026, 1, 5, tzinfo=UTC),
                actor="sec-test",
                action="member.added",
                item_kind="member",
                item_id="gov-norland",
                reason="Line\u2028two 😀",
                data=written,
            ),
        )
    with sqlite_db.reading() as session:
        [entry] = audit_repo.entries(session)
    assert entry.data == written
    assert entry.reason == "Line\u2028two 😀"
