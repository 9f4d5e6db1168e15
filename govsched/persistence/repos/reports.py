"""Reporting cycles: reports, reviewer assignments and reviews, declared conflicts, missed reports.

Queries that concern every member are paged by member id, so a 20,000-member cycle is read and
notified in bounded batches.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from governance.kernel.model import LEFT_STATUSES, MemberStatus, Pillar
from governance.reports.cycle import EscalationKind, MissedReport, Report, ReportKind, Review
from govsched.persistence.tables import (
    MemberRow,
    MissedReportRow,
    ReportCycleRow,
    ReportRow,
    ReviewConflictRow,
    ReviewRow,
)


def done_steps(session: Session, year: int) -> list[str]:
    row = session.get(ReportCycleRow, year)
    return [] if row is None else list(row.done)


def mark_done(session: Session, year: int, step: str) -> None:
    """Record the step as run, last (a marker recorded again moves to the end)."""
    row = session.get(ReportCycleRow, year)
    if row is None:
        session.add(ReportCycleRow(year=year, done=[step]))
    elif not row.done or row.done[-1] != step:
        row.done = [*(d for d in row.done if d != step), step]


def _report(row: ReportRow) -> Report:
    return Report(
        year=row.year,
        member=row.member_id,
        kind=ReportKind(row.kind),
        url=row.url,
        public=row.public,
        public_on=row.public_on,
        sections=tuple(row.sections),
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        late=row.late,
        after_close=row.after_close,
    )


def save_report(session: Session, report: Report) -> None:
    session.add(
        ReportRow(
            year=report.year,
            member_id=report.member,
            kind=report.kind.value,
            url=report.url,
            public=report.public,
            public_on=report.public_on,
            sections=list(report.sections),
            submitted_at=report.submitted_at,
            submitted_by=report.submitted_by,
            late=report.late,
            after_close=report.after_close,
        )
    )


def get_report(session: Session, year: int, member: str) -> Report | None:
    row = session.get(ReportRow, (year, member))
    return None if row is None else _report(row)


def reports(session: Session, year: int) -> list[Report]:
    query = select(ReportRow).where(ReportRow.year == year).order_by(ReportRow.member_id)
    return [_report(r) for r in session.scalars(query)]


# Members whose reports one statement asks for by key (well under every driver's limit on
# parameters).
_BY_KEY = 500


def reports_by_status(
    session: Session, year: int, status: MemberStatus
) -> list[tuple[Report, str]]:
    """The year's reports of members now of `status`, each with the member's name, by member:
    found from the members of that status (few, along `members.status`'s index), then their
    reports by key, never by reading every report. (Asked as one join, SQLite, which keeps no
    statistics here, walked the year's reports and looked up each one's member.)"""
    names = dict(
        session.execute(
            select(MemberRow.id, MemberRow.name)
            .where(MemberRow.status == status.value)
            .order_by(MemberRow.id)
        ).all()
    )
    ids = list(names)
    found: list[tuple[Report, str]] = []
    for start in range(0, len(ids), _BY_KEY):
        query = (
            select(ReportRow)
            .where(ReportRow.year == year, ReportRow.member_id.in_(ids[start : start + _BY_KEY]))
            .order_by(ReportRow.member_id)
        )
        found.extend((_report(row), names[row.member_id]) for row in session.scalars(query))
    return found


def report_years(session: Session) -> list[int]:
    years = set(session.scalars(select(ReportRow.year).distinct()))
    years |= set(session.scalars(select(ReportCycleRow.year)))
    return sorted(years)


def owing_page(
    session: Session,
    year: int,
    statuses: Iterable[MemberStatus],
    after: str,
    limit: int,
    exempt: Iterable[Pillar] = (),
    joined_by: date | None = None,
) -> list[tuple[str, str, date]]:
    """(id, name, joined) of members with one of `statuses`, of no `exempt` pillar, joined on
    or before `joined_by` (when given), and no report for `year`, in id order after `after`."""
    submitted = select(ReportRow.member_id).where(ReportRow.year == year)
    exempt_values = [p.value for p in exempt]
    query = (
        select(MemberRow.id, MemberRow.name, MemberRow.joined)
        .where(
            MemberRow.status.in_([s.value for s in statuses]),
            MemberRow.id > after,
            MemberRow.id.not_in(submitted),
            *([MemberRow.pillar.not_in(exempt_values)] if exempt_values else []),
            *([MemberRow.joined <= joined_by] if joined_by is not None else []),
        )
        .order_by(MemberRow.id)
        .limit(limit)
    )
    return [(row.id, row.name, row.joined) for row in session.execute(query)]


def _review(row: ReviewRow) -> Review:
    return Review(
        year=row.year,
        report_of=row.report_of,
        reviewer=row.reviewer,
        reason=row.reason,
        assigned_at=row.assigned_at,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        url=row.url,
    )


# Marks a report as having reviewers, once: the first assignment's instant stays. (Core, so one
# statement runs for all of an assignment's reports: the ORM's bulk update takes no extra WHERE.)
_REPORTS_TABLE = cast(Table, ReportRow.__table__)
_REPORTS = _REPORTS_TABLE.c
_REVIEWERS_ASSIGNED = (
    update(_REPORTS_TABLE)
    .where(
        _REPORTS.year == bindparam("report_year"),
        _REPORTS.member_id == bindparam("report_of"),
        _REPORTS.reviewers_assigned_at.is_(None),
    )
    .values(
        reviewers_assigned_at=bindparam(
            "first_assigned_at", type_=_REPORTS.reviewers_assigned_at.type
        )
    )
)


def add_reviews(session: Session, reviews: Iterable[Review]) -> None:
    """Write the reviews, and mark each report they are of as having reviewers."""
    written = list(reviews)
    session.add_all(
        ReviewRow(
            year=r.year,
            report_of=r.report_of,
            reviewer=r.reviewer,
            reason=r.reason,
            assigned_at=r.assigned_at,
        )
        for r in written
    )
    first: dict[tuple[int, str], datetime] = {}
    for r in written:
        key = (r.year, r.report_of)
        first[key] = min(first.get(key, r.assigned_at), r.assigned_at)
    if first:
        session.execute(
            _REVIEWERS_ASSIGNED,
            [
                {"report_year": year, "report_of": member, "first_assigned_at": at}
                for (year, member), at in first.items()
            ],
        )


def reviews_by_reviewer(
    session: Session,
    year: int,
    after: str,
    limit: int,
    *,
    assigned_at: datetime | None = None,
    open_only: bool = False,
) -> tuple[str, dict[str, list[str]]] | None:
    """The reviews of `year` whose reviewers are among the `limit` members after `after` in id
    order, as {reviewer: [reported member]}: only those assigned at `assigned_at` when given,
    only those not yet submitted, by members that have not left, if `open_only`. (the page's
    last member, the page), or None past the last member.

    Paged by the members and read along the reviewer index, so each page costs its own rows:
    paged by the reviews themselves, SQLite chose the (year, ...) key and read every review of
    the year for each page; and a whole year's reviews at once held 34,000 of them in memory at
    20,000 members (issue 21)."""
    reviewers = select(MemberRow.id).where(MemberRow.id > after)
    if open_only:
        # a member that left owes no review (those it had are released when it leaves; this
        # keeps one assigned before that rule out of reminders and late lists all the same)
        reviewers = reviewers.where(MemberRow.status.not_in([s.value for s in LEFT_STATUSES]))
    members = list(session.scalars(reviewers.order_by(MemberRow.id).limit(limit)))
    if not members:
        return None
    query = (
        # the year is checked here, not in SQL: a condition on it makes SQLite prefer the
        # primary key, which starts with the year, to the reviewer index
        select(ReviewRow.year, ReviewRow.reviewer, ReviewRow.report_of)
        .where(ReviewRow.reviewer.in_(members))
        .order_by(ReviewRow.reviewer, ReviewRow.report_of)
    )
    if assigned_at is not None:
        query = query.where(ReviewRow.assigned_at == assigned_at)
    if open_only:
        query = query.where(ReviewRow.submitted_at.is_(None))
    page: dict[str, list[str]] = {}
    for row_year, reviewer, report_of in session.execute(query):
        if row_year == year:
            page.setdefault(reviewer, []).append(report_of)
    return members[-1], page


def reviews_by(session: Session, reviewer: str) -> list[Review]:
    """Every review `reviewer` was assigned, of any year (along the reviewer index)."""
    query = (
        select(ReviewRow)
        .where(ReviewRow.reviewer == reviewer)
        .order_by(ReviewRow.year, ReviewRow.report_of)
    )
    return [_review(r) for r in session.scalars(query)]


def release_reviews(session: Session, released: Iterable[Review]) -> None:
    """The assignments taken back, and each report they were of waiting for reviewers again
    (`awaiting_reviewers`): the cycle's assignment gives it another, its other reviews kept."""
    for review in released:
        session.execute(
            delete(ReviewRow).where(
                ReviewRow.year == review.year,
                ReviewRow.report_of == review.report_of,
                ReviewRow.reviewer == review.reviewer,
            )
        )
        session.execute(
            update(ReportRow)
            .where(ReportRow.year == review.year, ReportRow.member_id == review.report_of)
            .values(reviewers_assigned_at=None)
        )


def record_review(session: Session, review: Review) -> None:
    row = session.get(ReviewRow, (review.year, review.report_of, review.reviewer))
    assert row is not None
    row.submitted_at = review.submitted_at
    row.submitted_by = review.submitted_by
    row.url = review.url


def get_review(session: Session, year: int, report_of: str, reviewer: str) -> Review | None:
    row = session.get(ReviewRow, (year, report_of, reviewer))
    return None if row is None else _review(row)


def reviews(session: Session, year: int) -> list[Review]:
    query = (
        select(ReviewRow)
        .where(ReviewRow.year == year)
        .order_by(ReviewRow.report_of, ReviewRow.reviewer)
    )
    return [_review(r) for r in session.scalars(query)]


def reviews_involving(session: Session, year: int, member: str) -> list[Review]:
    """The reviews of `year` of `member`'s report and by `member`, in `reviews`' order: read
    along the primary key and the reviewer index, not the year's every review."""
    of = select(ReviewRow).where(ReviewRow.year == year, ReviewRow.report_of == member)
    # the year is checked here, not in SQL, as in `reviews_by_reviewer`
    by = select(ReviewRow).where(ReviewRow.reviewer == member)
    found = {(r.report_of, r.reviewer): r for r in session.scalars(of)}
    found |= {(r.report_of, r.reviewer): r for r in session.scalars(by) if r.year == year}
    return [_review(found[key]) for key in sorted(found)]


def add_conflict(
    session: Session, reviewer: str, reported: str, reason: str, at: datetime, by: str
) -> bool:
    """Record a declared conflict; False if it was declared before."""
    if session.get(ReviewConflictRow, (reviewer, reported)) is not None:
        return False
    session.add(
        ReviewConflictRow(
            reviewer_member=reviewer,
            reported_member=reported,
            reason=reason,
            declared_at=at,
            declared_by=by,
        )
    )
    return True


def conflicts(session: Session) -> frozenset[tuple[str, str]]:
    rows = session.execute(
        select(ReviewConflictRow.reviewer_member, ReviewConflictRow.reported_member)
    )
    return frozenset((row[0], row[1]) for row in rows)


def save_missed(session: Session, missed: Iterable[MissedReport]) -> None:
    session.add_all(
        MissedReportRow(
            year=m.year,
            member_id=m.member,
            missed_in_a_row=m.missed_in_a_row,
            escalation=None if m.escalation is None else m.escalation.value,
            at=m.at,
        )
        for m in missed
    )


def was_missed(session: Session, year: int, member: str) -> bool:
    """Whether the cycle of `year` recorded `member` missing on its due day."""
    return session.get(MissedReportRow, (year, member)) is not None


def missed_years(session: Session, members: Iterable[str]) -> dict[str, set[int]]:
    """The cycles each member missed: overdue on the due day and not reported before the cycle
    closed. A report that came late, while the cycle was open, was made: it ends a row of
    missed cycles as a report on time does. One received after the close does not: the
    plenary met without it (ARCHITECTURE.md, "The reporting cycle")."""
    wanted = sorted(set(members))
    reported_late = (
        select(ReportRow.year)
        .where(ReportRow.year == MissedReportRow.year)
        .where(ReportRow.member_id == MissedReportRow.member_id)
        .where(ReportRow.after_close.is_(False))
    )
    query = select(MissedReportRow.member_id, MissedReportRow.year).where(
        MissedReportRow.member_id.in_(wanted), ~reported_late.exists()
    )
    found: dict[str, set[int]] = {m: set() for m in wanted}
    for member, year in session.execute(query):
        found[member].add(year)
    return found


def missed(session: Session, year: int) -> list[MissedReport]:
    query = (
        select(MissedReportRow)
        .where(MissedReportRow.year == year)
        .order_by(MissedReportRow.member_id)
    )
    return [
        MissedReport(
            year=r.year,
            member=r.member_id,
            missed_in_a_row=r.missed_in_a_row,
            escalation=None if r.escalation is None else EscalationKind(r.escalation),
            at=r.at,
        )
        for r in session.scalars(query)
    ]


def awaiting_reviewers(year: int) -> Select[str]:
    """The query for the reports of `year` without reviewers (answered by
    `ix_reports_awaiting_reviewers`: it costs those reports, not the year's)."""
    return (
        select(ReportRow.member_id)
        .where(ReportRow.year == year, ReportRow.reviewers_assigned_at.is_(None))
        .order_by(ReportRow.member_id)
    )


def unreviewed_reports(session: Session, year: int) -> list[str]:
    """Members whose report for `year` has no reviewer yet."""
    return list(session.scalars(awaiting_reviewers(year)))


def feedback_waiting(year: int, limit: int) -> Select[ReviewRow]:
    """The query for submitted reviews not sent yet (answered by `ix_reviews_feedback_waiting`)."""
    return (
        select(ReviewRow)
        .where(
            ReviewRow.year == year,
            ReviewRow.submitted_at.is_not(None),
            ReviewRow.feedback_at.is_(None),
        )
        .order_by(ReviewRow.report_of, ReviewRow.reviewer)
        .limit(limit)
    )


def pending_feedback(session: Session, year: int, limit: int) -> list[Review]:
    """Submitted reviews the reported member has not been sent yet."""
    return [_review(r) for r in session.scalars(feedback_waiting(year, limit))]


def mark_feedback(session: Session, review: Review, at: datetime) -> None:
    """The review sent to the reported member, written by key in one statement (a copy of the
    row the session holds is not refreshed)."""
    done = session.execute(
        update(ReviewRow)
        .where(
            ReviewRow.year == review.year,
            ReviewRow.report_of == review.report_of,
            ReviewRow.reviewer == review.reviewer,
        )
        .values(feedback_at=at),
        execution_options={"synchronize_session": False},
    )
    assert cast(CursorResult[Any], done).rowcount == 1
