"""The audit log: one entry per key, a stable order, and no way to change the past."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from governance.kernel.audit import AuditEntry
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.tables import AuditRow

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)


def _entry(key: str, at: datetime = T0, item_id: str = "gov-norland", **extra: str) -> AuditEntry:
    return AuditEntry(
        key=key,
        at=at,
        actor=extra.get("actor", "sec-test"),
        action=extra.get("action", "member.added"),
        item_kind=extra.get("item_kind", "member"),
        item_id=item_id,
        reason=extra.get("reason", "recorded"),
        data={"summary": f"entry {key}"},
    )


def _rows(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)


def test_append_is_idempotent_by_key(db: Database) -> None:
    with db.writing() as session:
        assert audit_repo.append(session, _entry("step-1")) is True
    with db.writing() as session:
        # A retried step writes the same key, possibly with other details: nothing is added.
        assert audit_repo.append(session, _entry("step-1", at=T0 + timedelta(hours=1))) is False

    assert _rows(db) == 1
    with db.reading() as session:
        (stored,) = audit_repo.entries(session)
    assert stored == _entry("step-1")
    assert stored.at.tzinfo is UTC
    assert stored.data == {"summary": "entry step-1"}


def test_entries_are_ordered_by_instant_then_key(db: Database) -> None:
    later = T0 + timedelta(minutes=5)
    with db.writing() as session:
        for key, at in [("c", T0), ("b", later), ("a", later), ("d", T0 - timedelta(days=1))]:
            audit_repo.append(session, _entry(key, at=at))

    with db.reading() as session:
        keys = [e.key for e in audit_repo.entries(session)]

    assert keys == ["d", "c", "a", "b"]


def test_entries_filter_by_item(db: Database) -> None:
    with db.writing() as session:
        audit_repo.append(session, _entry("m1", item_id="gov-norland"))
        audit_repo.append(session, _entry("m2", item_id="gov-estavia"))
        audit_repo.append(
            session,
            _entry("p1", item_id="plenary-2027", item_kind="plenary", action="plenary.scheduled"),
        )

    with db.reading() as session:
        members = [e.key for e in audit_repo.entries(session, item_kind="member")]
        norland = [e.key for e in audit_repo.entries(session, item_id="gov-norland")]
        plenary = audit_repo.entries(session, item_kind="plenary", item_id="plenary-2027")
        nothing = audit_repo.entries(session, item_kind="plenary", item_id="gov-norland")

    assert members == ["m1", "m2"]
    assert norland == ["m1"]
    assert [e.action for e in plenary] == ["plenary.scheduled"]
    assert nothing == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET reason = 'rewritten'",
        "UPDATE audit_log SET at = at",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE key = 'k1'",
    ],
)
def test_the_database_refuses_to_change_the_audit_log(db: Database, statement: str) -> None:
    with db.writing() as session:
        audit_repo.append(session, _entry("k1"))
        audit_repo.append(session, _entry("k2"))

    with pytest.raises(DBAPIError, match="append-only"), db.writing() as session:
        session.execute(text(statement))

    with db.reading() as session:
        stored = audit_repo.entries(session)
    assert [e.key for e in stored] == ["k1", "k2"]
    assert {e.reason for e in stored} == {"recorded"}
