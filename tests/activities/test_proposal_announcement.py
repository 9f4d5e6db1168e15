"""Every Full member's focal point hears of a proposed admission once, page by page."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from temporalio.testing import ActivityEnvironment

from activities import applications
from activities.applications import ApplicationActivities
from governance.applications.contracts import ProposalAnnouncement
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from tests.governance.applications.application_cast import (
    PERIOD_ENDS,
    REVIEW_ENDS,
    in_no_objection_period,
)

FULL = 7


def _registry() -> list[RegistryCommand]:
    commands: list[RegistryCommand] = []
    statuses = [MemberStatus.FULL] * FULL + [MemberStatus.ENGAGED]
    for k, status in enumerate(statuses):
        commands.append(
            AddMember(
                id=f"co-{k}",
                name=f"Company {k}",
                pillar=Pillar.COMPANY,
                country="Norland",
                status=status,
            )
        )
        commands.append(
            AddPerson(
                id=f"fp-co-{k}",
                name=f"Focal {k}",
                email=f"fp{k}@co.example",
                member=f"co-{k}",
                roles=[Role.FOCAL_POINT],
            )
        )
    return commands


@pytest.fixture
def notifier(db: Database, monkeypatch: pytest.MonkeyPatch) -> RecordingNotifier:
    monkeypatch.setattr(applications, "PAGE", 3)  # pages of 3, 3 and 1 Full members
    with db.writing() as session:
        seed(session, _registry(), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
    return RecordingNotifier()


def _announcement() -> ProposalAnnouncement:
    return ProposalAnnouncement(record=in_no_objection_period(), at=REVIEW_ENDS)


def test_each_full_member_is_told_once_with_the_last_day_to_object(
    db: Database, notifier: RecordingNotifier
) -> None:
    heartbeats: list[object] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: heartbeats.append(details[0])
    activities = ApplicationActivities(db, Rulebook(), notifier)

    told = env.run(activities.announce_proposal, _announcement())

    assert told == FULL
    assert [n.recipients for n in notifier.sent] == [(f"fp-co-{k}",) for k in range(FULL)]
    assert heartbeats == ["fp-co-2", "fp-co-5", "fp-co-6"]
    deadline = PERIOD_ENDS.astimezone(UTC)
    assert all("may object" in n.text for n in notifier.sent)
    assert all(str(deadline.year) in n.text for n in notifier.sent)
    again = env.run(activities.announce_proposal, _announcement())
    assert again == FULL
    assert len(notifier.sent) == FULL  # the ledger already holds every key


def test_a_retry_resumes_after_the_last_page_it_reported(
    db: Database, notifier: RecordingNotifier
) -> None:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, heartbeat_details=["fp-co-2"])
    activities = ApplicationActivities(db, Rulebook(), notifier)

    told = env.run(activities.announce_proposal, _announcement())

    assert told == FULL - 3
    assert [n.recipients[0] for n in notifier.sent] == [f"fp-co-{k}" for k in range(3, FULL)]
