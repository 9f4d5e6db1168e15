"""What sending reviews' feedback costs the database, counted, never timed (issue 21).

Every submitted review goes to the reported member's focal points through the ledger. The
feedback of a year is one of the governance year's largest bulk sends (34,000 reviews at 20,000
members), and each write transaction waits for SQLite's one write lock with every other
activity. A review costs two write transactions: its notice's intent, then its receipt with the
review marked sent; the reviewers' comments are read once for a page of reviews.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, select
from temporalio.testing import ActivityEnvironment

from activities.reports import ReportActivities
from governance.kernel.model import Pillar
from governance.registry.changes import AddMember, RegistryCommand, SchedulePlenary
from governance.reports.contracts import CycleRequest
from governance.reports.cycle import Report, ReportKind, Review
from governance.reports.indicators.submission import IndicatorComment
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import indicators as indicator_repo
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.tables import ReviewRow
from tests.helpers import focal_point_of

SUBMITTED = datetime(2027, 3, 1, tzinfo=UTC)
ASSIGNED = datetime(2027, 4, 4, tzinfo=UTC)
REVIEWED = datetime(2027, 5, 1, tzinfo=UTC)
NOW = datetime(2027, 5, 2, tzinfo=UTC)
COMPANIES = [f"co-{k}" for k in range(4)]
REVIEWERS = ["gov-a", "ngo-b"]


def _registry() -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(
            year=2027, starts=date(2027, 5, 18), ends=date(2027, 5, 21), location="Norland"
        )
    ]
    pillars = {"gov-a": Pillar.GOVERNMENT, "ngo-b": Pillar.NGO}
    for member in [*COMPANIES, *REVIEWERS]:
        commands.append(
            AddMember(
                id=member,
                name=f"Name of {member}",
                pillar=pillars.get(member, Pillar.COMPANY),
                country="Norland",
                joined=date(2020, 3, 1),
            )
        )
        commands.append(focal_point_of(member))
    return commands


def _year_of_reviews(db: Database) -> None:
    """Every company reported and both reviewers reviewed each report; gov-a commented on
    co-0's values and ngo-b on co-1's."""
    with db.writing() as session:
        seed(session, _registry(), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
        for member in COMPANIES:
            report_repo.save_report(
                session,
                Report(
                    year=2027,
                    member=member,
                    kind=ReportKind.UPDATE,
                    url=f"https://{member}.example/report",
                    submitted_at=SUBMITTED,
                    submitted_by=f"fp-{member}",
                ),
            )
        pairs = [(member, reviewer) for member in COMPANIES for reviewer in REVIEWERS]
        report_repo.add_reviews(
            session,
            [
                Review(year=2027, report_of=of, reviewer=by, reason="test", assigned_at=ASSIGNED)
                for of, by in pairs
            ],
        )
        session.flush()
        for of, by in pairs:
            report_repo.record_review(
                session,
                Review(
                    year=2027,
                    report_of=of,
                    reviewer=by,
                    reason="test",
                    assigned_at=ASSIGNED,
                    submitted_at=REVIEWED,
                    submitted_by=f"fp-{by}",
                    url=f"https://{by}.example/review-{of}",
                ),
            )
        for of, by in [("co-0", "gov-a"), ("co-1", "ngo-b")]:
            indicator_repo.save_comment(
                session,
                IndicatorComment(
                    year=2027,
                    report_of=of,
                    reviewer=by,
                    key="national_action_plan",
                    text=f"{by} asks about {of}'s plan.",
                    at=REVIEWED,
                    by=f"fp-{by}",
                ),
            )


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_review_feedback_costs_two_write_transactions_and_comments_are_read_per_page(
    sqlite_db: Database,
) -> None:
    _year_of_reviews(sqlite_db)
    notifier = RecordingNotifier()
    cycle = ReportActivities(sqlite_db, Rulebook(), notifier)

    with _statements(sqlite_db) as statements:
        sent = ActivityEnvironment().run(cycle.send_feedback, CycleRequest(year=2027, now=NOW))

    reviews = len(COMPANIES) * len(REVIEWERS)
    assert sent == len(notifier.sent) == reviews
    # the notice's intent, then its receipt with the review marked sent (a third transaction
    # of its own for the mark, before issue 21)
    assert statements.count("BEGIN IMMEDIATE") == 2 * reviews
    # one page: the comments of all its reviews in one query (one query a review before)
    assert sum("FROM indicator_comments" in s for s in statements) == 1
    with sqlite_db.reading() as session:
        assert report_repo.pending_feedback(session, 2027, 100) == []
        marked = set(session.scalars(select(ReviewRow.feedback_at)))
    assert marked == {NOW}
    # each review's comments reach its own reported member, and only them
    commented = {
        (n.recipients, n.text.split("Comments on your indicators: ")[1])
        for n in notifier.sent
        if "Comments on your indicators" in n.text
    }
    assert commented == {
        (("fp-co-0",), "National action plan or equivalent policy: gov-a asks about co-0's plan."),
        (("fp-co-1",), "National action plan or equivalent policy: ngo-b asks about co-1's plan."),
    }
    # told once: a second run sends nothing and writes nothing
    with _statements(sqlite_db) as again:
        assert ActivityEnvironment().run(cycle.send_feedback, CycleRequest(year=2027, now=NOW)) == 0
    assert "BEGIN IMMEDIATE" not in again
