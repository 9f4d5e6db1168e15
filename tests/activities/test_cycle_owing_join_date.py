"""The cycle's own steps ask for a report only from members that owe it (issue 19): a member
admitted after a cycle's due day is never reminded, told it is overdue, escalated or told of a
moved date for that cycle; one admitted on the due day itself owes it. Observers (DEFAULT) and
members that left owe nothing whenever they joined.

The steps run as the worker runs them (`run-report-step`), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from temporalio.testing import ActivityEnvironment

from activities.reports import ReportActivities
from governance.kernel.model import MemberStatus, Pillar
from governance.registry.changes import AddMember, RegistryCommand, SchedulePlenary
from governance.reports.contracts import RunStep
from governance.reports.cycle import EscalationKind, MissedReport, Report, ReportKind
from governance.reports.cycle_log import ToldDates
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import reports as report_repo
from tests.helpers import focal_point_of

YEAR = 2027
# the plenary opens on 8 June 2027: reports are due 45 days before (DEFAULT), on 24 April, and
# the overdue step runs at the end of that day
DUE = date(2027, 4, 24)
REVIEW_DUE = date(2027, 5, 24)
RULEBOOK = Rulebook()

# id: (pillar, status, joined)
MEMBERS = {
    "co-long-standing": (Pillar.COMPANY, MemberStatus.FULL, date(2020, 3, 1)),
    "gov-on-the-due-day": (Pillar.GOVERNMENT, MemberStatus.ENGAGED, DUE),
    "ngo-day-after": (Pillar.NGO, MemberStatus.ENGAGED, date(2027, 4, 25)),
    "co-after-the-plenary": (Pillar.COMPANY, MemberStatus.ENGAGED, date(2027, 6, 20)),
    "obs-observer": (Pillar.OBSERVER, MemberStatus.FULL, date(2019, 1, 1)),
    "co-left": (Pillar.COMPANY, MemberStatus.WITHDRAWN, date(2018, 1, 1)),
    "gov-between-dates": (Pillar.GOVERNMENT, MemberStatus.ENGAGED, date(2027, 4, 20)),
}
OWING = {"co-long-standing", "gov-on-the-due-day", "gov-between-dates"}


def _registry() -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(year=YEAR, starts=date(2027, 6, 8), ends=date(2027, 6, 9), location="Oslo")
    ]
    for member, (pillar, status, joined) in MEMBERS.items():
        commands.append(
            AddMember(
                id=member,
                name=member,
                pillar=pillar,
                country="Norland",
                joined=joined,
                status=status,
            )
        )
        commands.append(focal_point_of(member))
    return commands


@pytest.fixture
def registry(db: Database) -> Database:
    with db.writing() as session:
        seed(session, _registry(), datetime(2026, 12, 1, tzinfo=UTC), RULEBOOK)
    return db


def _run(db: Database, step: str, now: datetime) -> RecordingNotifier:
    notifier = RecordingNotifier()
    activities = ReportActivities(db, RULEBOOK, notifier)
    ActivityEnvironment().run(activities.run_step, RunStep(year=YEAR, step=step, now=now))
    return notifier


def _told(notifier: RecordingNotifier) -> set[str]:
    """The members whose focal points were told something."""
    return {
        recipient.removeprefix("fp-")
        for notice in notifier.sent
        for recipient in notice.recipients
        if recipient.startswith("fp-")
    }


def test_a_reminder_run_late_asks_no_member_admitted_after_the_due_day(
    registry: Database,
) -> None:
    # a worker back from downtime runs the last reminder after the due day, when two members
    # admitted since are in the registry
    reminded = _run(registry, f"report-reminder-1-{DUE}", datetime(2027, 4, 27, 14, tzinfo=UTC))
    assert _told(reminded) == OWING


def test_overdue_and_escalation_leave_out_members_admitted_after_the_due_day(
    registry: Database,
) -> None:
    # the overdue step run late, after the plenary, when every member above has joined
    overdue = _run(registry, f"overdue-{DUE}", datetime(2027, 6, 25, 14, tzinfo=UTC))

    assert _told(overdue) == OWING
    with registry.reading() as session:
        missed = report_repo.missed(session, YEAR)
    assert {m.member for m in missed} == OWING
    # the Steering Committee's channel is told of the referrals, naming only those that owed
    (escalation,) = [n for n in overdue.sent if not n.recipients]
    for member in MEMBERS.keys() - OWING:
        assert member not in escalation.text
    for member in OWING:
        assert member in escalation.text


def test_a_moved_due_day_is_told_to_those_that_owe_under_the_new_dates(
    registry: Database,
) -> None:
    # the cycle had told a due day of 10 April; the plenary moved, and the due day with it, to
    # 24 April: `gov-between-dates` (admitted on 20 April) owes now, the later ones still not
    with registry.writing() as session:
        report_repo.mark_done(session, YEAR, ToldDates(date(2027, 4, 10), REVIEW_DUE).marker)
    moved = _run(registry, f"moved-{DUE}-{REVIEW_DUE}", datetime(2027, 4, 22, 14, tzinfo=UTC))
    assert _told(moved) == OWING


def _missed_in_2025(db: Database, reported_late: bool) -> None:
    with db.writing() as session:
        report_repo.mark_done(session, 2025, "close")
        report_repo.save_missed(
            session,
            [
                MissedReport(
                    year=2025,
                    member="co-long-standing",
                    missed_in_a_row=1,
                    escalation=EscalationKind.REFERRED,
                    at=datetime(2025, 4, 26, 4, tzinfo=UTC),
                )
            ],
        )
        if reported_late:
            report_repo.save_report(
                session,
                Report(
                    year=2025,
                    member="co-long-standing",
                    kind=ReportKind.UPDATE,
                    url="https://reports.example/co-long-standing-2025",
                    submitted_at=datetime(2025, 5, 2, 14, tzinfo=UTC),
                    submitted_by="fp-co-long-standing",
                    late=True,
                ),
            )


def test_a_year_without_a_plenary_leaves_two_missed_reports_in_a_row(registry: Database) -> None:
    # 2025's cycle was held and `co-long-standing` missed its report; 2026 had no plenary, so
    # no cycle: missing 2027's too is two cycles in a row, and Inactive status is proposed
    _missed_in_2025(registry, reported_late=False)
    _run(registry, f"overdue-{DUE}", datetime(2027, 4, 25, 4, tzinfo=UTC))
    with registry.reading() as session:
        missed = {m.member: m for m in report_repo.missed(session, YEAR)}
    assert missed["co-long-standing"].missed_in_a_row == 2
    assert missed["co-long-standing"].escalation is EscalationKind.PROPOSE_INACTIVE
    assert missed["gov-on-the-due-day"].missed_in_a_row == 1


def test_a_report_that_came_late_ends_the_row_of_missed_cycles(registry: Database) -> None:
    # overdue in 2025, but reported a week later: missing 2027's is one missed cycle, a referral
    _missed_in_2025(registry, reported_late=True)
    _run(registry, f"overdue-{DUE}", datetime(2027, 4, 25, 4, tzinfo=UTC))
    with registry.reading() as session:
        missed = {m.member: m for m in report_repo.missed(session, YEAR)}
    assert missed["co-long-standing"].missed_in_a_row == 1
    assert missed["co-long-standing"].escalation is EscalationKind.REFERRED
