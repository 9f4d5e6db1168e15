"""Reports no reviewers could be found for wait for new rules, and are assigned once they come."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest
from temporalio.testing import ActivityEnvironment

from activities.reports import ReportActivities
from governance.kernel.model import Pillar
from governance.registry.changes import AddMember, RegistryCommand, SchedulePlenary
from governance.reports.contracts import CycleRequest
from governance.reports.cycle import Report, ReportKind
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import reports as report_repo
from tests.helpers import focal_point_of

YEAR = 2027
# one member of each pillar: each report's two reviewers are the other two, so every pair is
# reciprocal and the VPI rulebook (no reciprocal pairs) has no assignment
MEMBERS = {
    "gov-norland": (Pillar.GOVERNMENT, "Norland"),
    "co-aurum": (Pillar.COMPANY, "Sudria"),
    "ngo-watch": (Pillar.NGO, "Westmark"),
}
AFTER_DUE = datetime(2027, 4, 20, 12, tzinfo=UTC)
STRICT = Rulebook()
RELAXED = STRICT.model_copy(
    update={"peer_review": STRICT.peer_review.model_copy(update={"forbid_reciprocal_pairs": False})}
)


def _registry() -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(year=YEAR, starts=date(2027, 6, 8), ends=date(2027, 6, 9), location="Oslo")
    ]
    for member, (pillar, country) in MEMBERS.items():
        commands.append(AddMember(id=member, name=member, pillar=pillar, country=country))
        commands.append(focal_point_of(member))
    return commands


@pytest.fixture
def reported(sqlite_db: Database) -> Database:
    with sqlite_db.writing() as session:
        seed(session, _registry(), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
        for member in MEMBERS:
            report_repo.save_report(
                session,
                Report(
                    year=YEAR,
                    member=member,
                    kind=ReportKind.FULL,
                    url=f"https://{member}.example/report",
                    submitted_at=datetime(2027, 3, 1, tzinfo=UTC),
                    submitted_by=f"fp-{member}",
                ),
            )
        report_repo.mark_done(session, YEAR, "assign-2027-04-19")  # the assignment date passed
    return sqlite_db


def _late(activities: ReportActivities) -> bool:
    return (
        ActivityEnvironment()
        .run(activities.status, CycleRequest(year=YEAR, now=AFTER_DUE))
        .late_reports
    )


def test_set_aside_reports_are_assigned_once_the_rules_allow_it(reported: Database) -> None:
    notifier = RecordingNotifier()
    strict = ReportActivities(reported, STRICT, notifier)
    request = CycleRequest(year=YEAR, now=AFTER_DUE)

    assert _late(strict)
    ActivityEnvironment().run(strict.assign_late, request)
    (cannot,) = notifier.sent
    assert "forbid_reciprocal_pairs" in cannot.text
    with reported.reading() as session:
        assert report_repo.reviews(session, YEAR) == []
    # set aside under these rules: no loop of attempts, and the Secretariat is told once
    assert not _late(strict)
    ActivityEnvironment().run(strict.assign_late, request)
    assert len(notifier.sent) == 1

    relaxed = ReportActivities(reported, RELAXED, notifier)  # a worker started with new rules
    assert _late(relaxed)
    ActivityEnvironment().run(relaxed.assign_late, request)

    with reported.reading() as session:
        pairs = {(r.reviewer, r.report_of) for r in report_repo.reviews(session, YEAR)}
    assert pairs == {(a, b) for a in MEMBERS for b in MEMBERS if a != b}
    assert not _late(relaxed)


def test_a_report_set_aside_before_rules_were_fingerprinted_is_tried_again(
    reported: Database,
) -> None:
    with reported.writing() as session:
        for member in MEMBERS:  # the marker as cycles wrote it before
            report_repo.mark_done(session, YEAR, f"unassignable-{member}")
    relaxed = ReportActivities(reported, RELAXED, RecordingNotifier())

    assert _late(relaxed)
    ActivityEnvironment().run(relaxed.assign_late, CycleRequest(year=YEAR, now=AFTER_DUE))

    with reported.reading() as session:
        assert len(report_repo.reviews(session, YEAR)) == 6


def test_reports_set_aside_under_rule_version_2_are_tried_again_under_version_3(
    reported: Database,
) -> None:
    # version 2 marked a report set aside under a fingerprint of the rulebook's settings alone
    settings = STRICT.peer_review.model_dump(
        mode="json", exclude={"review_due_days_before_plenary", "reminder_days_before_due"}
    )
    fingerprint = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:12]
    with reported.writing() as session:
        for member in MEMBERS:
            report_repo.mark_done(session, YEAR, f"unassignable-{fingerprint}-{member}")
    notifier = RecordingNotifier()
    strict = ReportActivities(reported, STRICT, notifier)

    # version 3 is a change of rules: each report is tried once more (here reciprocity still
    # binds, so they are set aside again, now under version 3's fingerprint, and told once)
    assert _late(strict)
    ActivityEnvironment().run(strict.assign_late, CycleRequest(year=YEAR, now=AFTER_DUE))
    (cannot,) = notifier.sent
    assert "forbid_reciprocal_pairs" in cannot.text
    assert not _late(strict)
