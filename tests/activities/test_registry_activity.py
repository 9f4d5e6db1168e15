"""The registry-change activity: applied once per key, refusals written nowhere."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from temporalio.testing import ActivityEnvironment

from activities.registry import RegistryActivities
from governance.kernel.audit import AuditEntry
from governance.kernel.calendar import PUBLIC
from governance.kernel.model import Pillar
from governance.registry.changes import RegistryCommand
from governance.registry.contracts import AppliedChange, CommandOutcome, RegistryChange
from governance.rulebook.model import NotificationKind, Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import AppliedCommandRow, AuditRow, MemberRow, NotificationRow
from tests.helpers import NORLAND, PLENARY

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)


@pytest.fixture
def activities(db: Database) -> RegistryActivities:
    return RegistryActivities(db, Rulebook())


def _change(command: RegistryCommand, key: str) -> RegistryChange:
    return RegistryChange(key=key, at=T0, actor="sec-test", reason="test", command=command)


def _apply(activities: RegistryActivities, change: RegistryChange) -> CommandOutcome:
    return ActivityEnvironment().run(activities.apply, change)


def _count(db: Database, row: type[object]) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(row)) or 0)


def test_a_change_is_applied_with_its_audit_entry(
    db: Database, activities: RegistryActivities
) -> None:
    outcome = _apply(activities, _change(NORLAND, "add-norland"))

    assert outcome.refusal is None
    assert outcome.applied == AppliedChange(
        item_kind="member",
        item_id="gov-norland",
        summary="Government of Norland recorded as a full member",
    )
    with db.reading() as session:
        member = registry_repo.get_member(session, "gov-norland")
        entries = audit_repo.entries(session)
    assert member is not None
    assert member.pillar is Pillar.GOVERNMENT
    # No joining date given: the local date in Toronto at the change's instant.
    assert member.joined == date(2027, 1, 4)
    assert [(e.key, e.action, e.actor, e.reason) for e in entries] == [
        ("add-norland:member.added", "member.added", "sec-test", "test")
    ]
    assert entries[0].at == T0


def test_the_same_key_again_returns_the_same_outcome_and_writes_nothing(
    db: Database, activities: RegistryActivities
) -> None:
    change = _change(NORLAND, "add-norland")
    first = _apply(activities, change)

    again = _apply(activities, change)

    assert again == first
    assert again.applied is not None
    assert _count(db, MemberRow) == 1
    assert _count(db, AuditRow) == 1
    assert _count(db, AppliedCommandRow) == 1


def test_another_key_for_the_same_member_is_refused_and_writes_nothing(
    db: Database, activities: RegistryActivities
) -> None:
    _apply(activities, _change(NORLAND, "add-norland"))

    outcome = _apply(
        activities, _change(NORLAND.model_copy(update={"name": "Norland"}), "add-norland-2")
    )

    assert outcome.applied is None
    assert outcome.refusal is not None
    assert outcome.refusal["type"] == "Conflict"
    [problem] = outcome.refusal["problems"]
    assert (problem["path"], problem["reason"], problem["words"]["id"]) == (
        "id",
        "already taken",
        "already taken",
    )
    assert _count(db, MemberRow) == 1
    assert _count(db, AuditRow) == 1
    assert _count(db, AppliedCommandRow) == 1
    with db.reading() as session:
        member = registry_repo.get_member(session, "gov-norland")
    assert member is not None
    assert member.name == "Government of Norland"


def test_scheduling_a_plenary_returns_its_announcement_and_publishes_the_event(
    db: Database, activities: RegistryActivities
) -> None:
    _apply(activities, _change(NORLAND, "add-norland"))

    outcome = _apply(activities, _change(PLENARY, "plenary-2027"))

    assert outcome.applied is not None
    assert outcome.applied.item_id == "plenary-2027"
    (notice,) = outcome.applied.notices
    assert notice.key == "announcement:plenary-2027:v1:all_members"
    assert notice.kind is NotificationKind.ANNOUNCEMENT
    assert notice.channel == "all_members"
    assert notice.issued_at == T0
    assert "Norland Harbour, from 18 to 21 May 2027" in notice.text
    assert "hosted by Government of Norland" in notice.text
    with db.reading() as session:
        events = calendar_repo.visible_events(session, frozenset({PUBLIC}))
    # the plenary, a session per day, and its public milestones (save-the-date, call for agenda)
    (event,) = [e for e in events if e.item.kind == "plenary"]
    assert {e.item.kind for e in events} == {"plenary", "plenary_session", "milestone"}
    assert len([e for e in events if e.item.kind == "plenary_session"]) == 4
    assert event.item.uid == "plenary-2027@vpi.govsched"
    assert (event.item.start_date, event.item.end_date) == (date(2027, 5, 18), date(2027, 5, 21))
    assert (event.sequence, event.created, event.last_modified) == (0, T0, T0)
    # The activity returns the notice; delivering it is another activity's job.
    assert _count(db, NotificationRow) == 0


def test_record_audit_is_idempotent(db: Database, activities: RegistryActivities) -> None:
    entry = AuditEntry(
        key="chair_term.began:chair-gov-norland-2026-03-21",
        at=T0,
        actor="system",
        action="chair_term.began",
        item_kind="chair_term",
        item_id="chair-gov-norland-2026-03-21",
        reason="Government of Norland is now the Government Chair.",
    )
    env = ActivityEnvironment()

    assert env.run(activities.record_audit, entry) is True
    assert env.run(activities.record_audit, entry) is False

    with db.reading() as session:
        assert audit_repo.entries(session) == [entry]
