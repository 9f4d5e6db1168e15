"""Impact indicator values per member and reporting year, and reviewers' comments on them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.kernel.model import Pillar
from governance.reports.indicators.submission import IndicatorComment, StoredIndicators
from govsched.persistence import locks
from govsched.persistence.tables import (
    IndicatorCommentRow,
    IndicatorValuesRow,
    MemberRow,
    ReviewRow,
)


def _stored(row: IndicatorValuesRow) -> StoredIndicators:
    return StoredIndicators(
        year=row.year,
        member=row.member_id,
        version=row.version,
        draft=row.draft,
        draft_saved_at=row.draft_saved_at,
        submitted=row.submitted,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        amendments=row.amendments,
    )


def lock(session: Session, year: int, member: str) -> None:
    """Hold the member's values and comments of `year` until this write transaction ends: a
    draft, a submission or an amendment reads the row and writes it whole, its amendment's
    number counted from the one before (`govsched.persistence.locks`)."""
    locks.hold(session, "indicators", year, member)


def get(session: Session, year: int, member: str) -> StoredIndicators | None:
    row = session.get(IndicatorValuesRow, (year, member))
    return None if row is None else _stored(row)


def save(session: Session, kept: StoredIndicators) -> None:
    row = session.get(IndicatorValuesRow, (kept.year, kept.member))
    if row is None:
        row = IndicatorValuesRow(year=kept.year, member_id=kept.member)
        session.add(row)
    row.version = kept.version
    row.draft = kept.draft
    row.draft_saved_at = kept.draft_saved_at
    row.submitted = kept.submitted
    row.submitted_at = kept.submitted_at
    row.submitted_by = kept.submitted_by
    row.amendments = kept.amendments


def years(session: Session) -> list[int]:
    query = select(IndicatorValuesRow.year).distinct().order_by(IndicatorValuesRow.year)
    return list(session.scalars(query))


def submitted_with_members(
    session: Session, year: int
) -> list[tuple[StoredIndicators, Pillar, str]]:
    """The year's submitted values, each with its member's pillar and country, by member id."""
    query = (
        select(IndicatorValuesRow, MemberRow.pillar, MemberRow.country)
        .join(MemberRow, MemberRow.id == IndicatorValuesRow.member_id)
        .where(IndicatorValuesRow.year == year, IndicatorValuesRow.submitted.is_not(None))
        .order_by(IndicatorValuesRow.member_id)
    )
    return [
        (_stored(row), Pillar(pillar), country) for row, pillar, country in session.execute(query)
    ]


def all_stored(session: Session, year: int) -> list[StoredIndicators]:
    query = (
        select(IndicatorValuesRow)
        .where(IndicatorValuesRow.year == year)
        .order_by(IndicatorValuesRow.member_id)
    )
    return [_stored(row) for row in session.scalars(query)]


def _comment(row: IndicatorCommentRow) -> IndicatorComment:
    return IndicatorComment(
        year=row.year,
        report_of=row.report_of,
        reviewer=row.reviewer,
        key=row.key,
        text=row.text,
        at=row.at,
        by=row.by,
    )


def save_comment(session: Session, comment: IndicatorComment) -> None:
    """A reviewer's later comment on the same indicator replaces its earlier one."""
    row = session.get(
        IndicatorCommentRow, (comment.year, comment.report_of, comment.reviewer, comment.key)
    )
    if row is None:
        row = IndicatorCommentRow(
            year=comment.year,
            report_of=comment.report_of,
            reviewer=comment.reviewer,
            key=comment.key,
        )
        session.add(row)
    row.text = comment.text
    row.at = comment.at
    row.by = comment.by


def comments(
    session: Session, year: int, report_of: str, reviewers: Iterable[str] | None = None
) -> list[IndicatorComment]:
    """The comments on `report_of`'s values, of the `reviewers` given (all when None)."""
    query = select(IndicatorCommentRow).where(
        IndicatorCommentRow.year == year, IndicatorCommentRow.report_of == report_of
    )
    if reviewers is not None:
        query = query.where(IndicatorCommentRow.reviewer.in_(sorted(set(reviewers))))
    query = query.order_by(IndicatorCommentRow.reviewer, IndicatorCommentRow.key)
    return [_comment(row) for row in session.scalars(query)]


def comments_by_review(
    session: Session, year: int, reviews: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[IndicatorComment]]:
    """The comments of each (reported member, reviewer) pair given, in one query for them all
    (a page of reviews' feedback); pairs without comments are left out."""
    pairs = set(reviews)
    if not pairs:
        return {}
    query = (
        select(IndicatorCommentRow)
        .where(
            IndicatorCommentRow.year == year,
            IndicatorCommentRow.report_of.in_(sorted({report_of for report_of, _ in pairs})),
        )
        .order_by(
            IndicatorCommentRow.report_of, IndicatorCommentRow.reviewer, IndicatorCommentRow.key
        )
    )
    found: dict[tuple[str, str], list[IndicatorComment]] = {}
    for row in session.scalars(query):
        if (row.report_of, row.reviewer) in pairs:
            found.setdefault((row.report_of, row.reviewer), []).append(_comment(row))
    return found


def reviewers_of(
    session: Session, year: int, member: str, reviewed_only: bool = False
) -> list[str]:
    """The members assigned to review `member`'s report of `year` (`reviewed_only`: those
    whose review is in)."""
    query = select(ReviewRow.reviewer).where(ReviewRow.year == year, ReviewRow.report_of == member)
    if reviewed_only:
        query = query.where(ReviewRow.submitted_at.is_not(None))
    return list(session.scalars(query.order_by(ReviewRow.reviewer)))


def reviewed_by(session: Session, year: int, reviewer: str) -> list[str]:
    """The members whose report of `year` the member `reviewer` reviews."""
    query = (
        select(ReviewRow.report_of)
        .where(ReviewRow.year == year, ReviewRow.reviewer == reviewer)
        .order_by(ReviewRow.report_of)
    )
    return list(session.scalars(query))
