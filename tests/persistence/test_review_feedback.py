"""Which submitted reviews still wait for their feedback, found without walking the sent ones."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, text
from sqlalchemy.dialects import sqlite

from govsched.persistence.db import Database
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.tables import ReviewRow
from tests.persistence.member_rows import insert_members

AT = datetime(2027, 4, 1, 9, tzinfo=UTC)


def _year_of_reviews(db: Database, sent: int, waiting: int, unsubmitted: int) -> None:
    total = sent + waiting + unsubmitted
    members = [f"m-{i:03d}" for i in range(total + 1)]
    rows = []
    for i in range(total):
        submitted = AT if i < sent + waiting else None
        rows.append(
            {
                "year": 2027,
                "report_of": members[i],
                "reviewer": members[i + 1],
                "reason": "test",
                "assigned_at": AT,
                "submitted_at": submitted,
                "feedback_at": AT if i < sent else None,
            }
        )
    with db.writing() as session:
        insert_members(session, members)
        session.execute(insert(ReviewRow), rows)


def test_only_submitted_reviews_not_yet_sent_wait_in_order(db: Database) -> None:
    _year_of_reviews(db, sent=30, waiting=3, unsubmitted=5)

    with db.reading() as session:
        first_two = report_repo.pending_feedback(session, 2027, 2)
        every = report_repo.pending_feedback(session, 2027, 100)

    assert [(r.report_of, r.reviewer) for r in first_two] == [
        ("m-030", "m-031"),
        ("m-031", "m-032"),
    ]
    assert [r.report_of for r in every] == ["m-030", "m-031", "m-032"]
    assert all(r.submitted_at is not None for r in every)


def test_sqlite_answers_from_the_index_of_waiting_reviews(sqlite_db: Database) -> None:
    # each review submission asks this; a walk past every sent review grew with the year
    query = report_repo.feedback_waiting(2027, 2).compile(
        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
    )
    with sqlite_db.reading() as session:
        plan = session.execute(text(f"EXPLAIN QUERY PLAN {query}")).all()

    details = " ".join(str(row[-1]) for row in plan)
    assert "USING INDEX ix_reviews_feedback_waiting" in details
    assert "TEMP B-TREE" not in details  # ordered by the index itself, no sort
