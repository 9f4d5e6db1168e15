"""Every voting member's focal point hears of a proposed admission once, page by page; no
observer's and no Engaged member's does."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
from govsched.persistence.repos import registry as registry_repo
from tests.governance.applications.application_cast import (
    PERIOD_ENDS,
    REVIEW_ENDS,
    in_no_objection_period,
)

FULL = 7
# The generated-registry test's examples share one database per run (SQLite, PostgreSQL): their
# ids carry the example's number, and the voters seeded so far accumulate per database.
EXAMPLES = itertools.count()
VOTERS: dict[str, set[str]] = {}


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


# Generated registries: every pillar (observers included) and every status the registry records,
# focal points or not (an observer is never Engaged: the registry refuses it).
MEMBERS = st.lists(
    st.tuples(
        st.sampled_from(list(Pillar)),
        st.sampled_from(list(MemberStatus)),
        st.booleans(),  # has a focal point
        st.booleans(),  # has a colleague without the focal-point role
    ).filter(lambda m: not (m[0] is Pillar.OBSERVER and m[1] is MemberStatus.ENGAGED)),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(members=MEMBERS)
def test_only_voting_members_focal_points_are_told_whatever_the_registry(
    db: Database, members: list[tuple[Pillar, MemberStatus, bool, bool]]
) -> None:
    """Observers are Full while active, Engaged members are admitted: neither votes, so neither
    hears of a proposed admission. Each example adds its own members to the database, so the
    expected recipients are every voting focal point seeded so far (written out from the rule,
    not from the code under test)."""
    example = next(EXAMPLES)
    voters = VOTERS.setdefault(db.engine.url.render_as_string(), set())
    commands: list[RegistryCommand] = []
    for k, (pillar, status, focal, colleague) in enumerate(members):
        member = f"m{example}-{k}"
        commands.append(
            AddMember(id=member, name=member, pillar=pillar, country="Norland", status=status)
        )
        if focal:
            commands.append(
                AddPerson(
                    id=f"fp-{member}",
                    name="Focal",
                    email=f"fp@{member}.example",
                    member=member,
                    roles=[Role.FOCAL_POINT],
                )
            )
            voting = status is MemberStatus.FULL and pillar is not Pillar.OBSERVER
            if voting:
                voters.add(f"fp-{member}")
        if colleague:
            commands.append(
                AddPerson(
                    id=f"staff-{member}", name="Staff", email=f"s@{member}.example", member=member
                )
            )
    with db.writing() as session:
        seed(session, commands, datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
    notifier = RecordingNotifier()
    record = in_no_objection_period().model_copy(update={"id": f"app-generated-{example}"})
    told = ActivityEnvironment().run(
        ApplicationActivities(db, Rulebook(), notifier).announce_proposal,
        ProposalAnnouncement(record=record, at=REVIEW_ENDS),
    )
    recipients = {n.recipients[0] for n in notifier.sent}
    assert recipients == voters
    assert told == len(voters)
    with db.reading() as session:
        assert set(registry_repo.voting_focal_points(session)) == voters
