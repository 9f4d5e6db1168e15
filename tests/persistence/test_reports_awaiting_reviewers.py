"""Which reports still wait for reviewers, kept on the report as its reviews are written (issue
21): the reporting cycle asks each time it wakes, so the answer must cost the waiting reports,
not the year's. Checked against the question asked of the reviews themselves, over assignment
histories with late reports, second assignments, other years and reports never assigned."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import sqlite

from governance.reports.cycle import Report, ReportKind, Review
from govsched.persistence.db import Database
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.tables import ReportRow, ReviewRow
from tests.persistence.member_rows import insert_members

YEAR = 2027
START = datetime(2027, 3, 1, 9, tzinfo=UTC)
MEMBERS = [f"m-{i:03d}" for i in range(60)]


def _members(db: Database) -> None:
    with db.writing() as session:
        insert_members(session, MEMBERS)


def _report(year: int, member: str, at: datetime) -> Report:
    return Report(
        year=year,
        member=member,
        kind=ReportKind.FULL,
        url=f"https://example.org/{member}.pdf",
        submitted_at=at,
        submitted_by=f"fp-{member}",
        late=False,
    )


def _asked_of_the_reviews(db: Database, year: int) -> tuple[list[str], dict[str, datetime]]:
    """The reports without reviews, and each reviewed report's first assignment, from the
    reviews themselves."""
    with db.reading() as session:
        reported = set(session.scalars(select(ReportRow.member_id).where(ReportRow.year == year)))
        first: dict[str, datetime] = {}
        for review in report_repo.reviews(session, year):
            if review.report_of in reported:
                earlier = first.get(review.report_of, review.assigned_at)
                first[review.report_of] = min(earlier, review.assigned_at)
    return sorted(reported - set(first)), first


def _kept_on_the_reports(db: Database, year: int) -> dict[str, datetime]:
    with db.reading() as session:
        rows = session.execute(
            select(ReportRow.member_id, ReportRow.reviewers_assigned_at).where(
                ReportRow.year == year, ReportRow.reviewers_assigned_at.is_not(None)
            )
        ).all()
    return {member: at for member, at in rows if at is not None}


def _review(year: int, report_of: str, reviewer: str, at: datetime) -> Review:
    return Review(year=year, report_of=report_of, reviewer=reviewer, reason="test", assigned_at=at)


def _assign(db: Database, year: int, reviewers: dict[str, list[str]], at: datetime) -> None:
    """Reviews of `year` for the reports in `reviewers`, skipping any already written."""
    with db.writing() as session:
        existing = {(r.report_of, r.reviewer) for r in report_repo.reviews(session, year)}
        report_repo.add_reviews(
            session,
            [
                _review(year, report_of, reviewer, at + timedelta(seconds=k))
                for report_of, chosen in reviewers.items()
                for k, reviewer in enumerate(chosen)
                if (report_of, reviewer) not in existing
            ],
        )


@pytest.mark.parametrize("seed", range(6))
def test_the_reports_waiting_are_those_the_reviews_leave_out(db: Database, seed: int) -> None:
    rng = random.Random(seed)
    _members(db)
    at = START
    reported: dict[int, set[str]] = {YEAR - 1: set(), YEAR: set()}
    for round_ in range(rng.randint(2, 5)):
        at += timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 90))
        # reports come in, late ones after an assignment, in this year and the one before
        with db.writing() as session:
            for year in reported:
                for member in rng.sample(MEMBERS, rng.randint(0, 8)):
                    if member not in reported[year]:
                        report_repo.save_report(session, _report(year, member, at))
                        reported[year].add(member)
        with db.reading() as session:
            waiting = report_repo.unreviewed_reports(session, YEAR)
        # an assignment for some of the waiting reports (the others stay without reviewers:
        # set aside, or no reviewer left), sometimes one more reviewer, later, for a report
        # that has some; and reviews of the year before, which leave this year's reports waiting
        chosen = rng.sample(waiting, rng.randint(0, len(waiting)))
        reviewed = sorted(reported[YEAR] - set(waiting))
        if round_ and reviewed and rng.random() < 0.5:
            chosen.append(rng.choice(reviewed))
        _assign(
            db,
            YEAR,
            {m: rng.sample([r for r in MEMBERS if r != m], rng.randint(1, 2)) for m in chosen},
            at,
        )
        before = rng.sample(sorted(reported[YEAR - 1]), len(reported[YEAR - 1]) // 2)
        _assign(
            db, YEAR - 1, {m: [MEMBERS[0] if m != MEMBERS[0] else MEMBERS[1]] for m in before}, at
        )

        for year in reported:
            waiting_by_reviews, first = _asked_of_the_reviews(db, year)
            with db.reading() as session:
                assert report_repo.unreviewed_reports(session, year) == waiting_by_reviews
            assert _kept_on_the_reports(db, year) == first
    # a report after the last assignment waits, beside the reviewed ones
    late = next(m for m in MEMBERS if m not in reported[YEAR])
    with db.writing() as session:
        report_repo.save_report(session, _report(YEAR, late, at + timedelta(days=1)))
    waiting_by_reviews, first = _asked_of_the_reviews(db, YEAR)
    with db.reading() as session:
        assert late in report_repo.unreviewed_reports(session, YEAR) == waiting_by_reviews
    assert first


def test_sqlite_answers_from_the_index_of_reports_awaiting_reviewers(
    sqlite_db: Database,
) -> None:
    query = report_repo.awaiting_reviewers(YEAR).compile(
        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
    )
    with sqlite_db.reading() as session:
        plan = session.execute(text(f"EXPLAIN QUERY PLAN {query}")).all()

    details = " ".join(str(row[-1]) for row in plan)
    assert "INDEX ix_reports_awaiting_reviewers (year=?)" in details
    assert "reviews" not in details  # the year's reviews are not read
    assert "TEMP B-TREE" not in details  # ordered by the index itself, no sort


def test_a_review_written_without_its_report_marks_nothing(db: Database) -> None:
    # the first reviews of a report are written after it is stored; a review for a member
    # with no report that year changes no report
    _members(db)
    with db.writing() as session:
        report_repo.save_report(session, _report(YEAR, MEMBERS[0], START))
    with db.writing() as session:
        report_repo.add_reviews(session, [_review(YEAR, MEMBERS[1], MEMBERS[2], START)])
    with db.reading() as session:
        assert report_repo.unreviewed_reports(session, YEAR) == [MEMBERS[0]]
        assert session.scalar(select(ReviewRow.report_of)) == MEMBERS[1]


def test_a_report_and_its_reviews_written_in_one_transaction_has_reviewers(db: Database) -> None:
    _members(db)
    with db.writing() as session:
        report_repo.save_report(session, _report(YEAR, MEMBERS[0], START))
        report_repo.add_reviews(session, [_review(YEAR, MEMBERS[0], MEMBERS[1], START)])
    with db.reading() as session:
        assert report_repo.unreviewed_reports(session, YEAR) == []
    assert _kept_on_the_reports(db, YEAR) == {MEMBERS[0]: START}
