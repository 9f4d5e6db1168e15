"""Review reminders, a moved review date and the late-reviews notice, read a page of reviewers
at a time (issue 21: the whole year's members and reviews at once were the activities worker's
largest step at 20,000 members): every reviewer that still owes a review is told once, of
exactly what it owes, whatever the page size, and the Secretariat's list names every late
reviewer once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.testing import ActivityEnvironment

import activities.reports
from activities.reports import ReportActivities
from activities.review_assignment import assign_reviews
from governance.reports.contracts import RunStep
from governance.reports.cycle import Review, StepKind, cycle_steps
from governance.reports.cycle_log import MovedDates, ToldDates
from govsched.notify.console import RecordingNotifier
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from tests.activities.test_own_process import AFTER_DUE, RELAXED, YEAR, _dates, _fresh, _reported


@pytest.fixture
def reviewing(db_url: str) -> Database:
    """Reviews assigned, and every third one submitted: a reviewer may owe all, some or none."""
    database = _reported(_fresh(db_url))
    assign_reviews(database, RELAXED, _dates(database), AFTER_DUE)
    with database.writing() as session:
        for k, review in enumerate(report_repo.reviews(session, YEAR)):
            if k % 3 == 0:
                submitted = review.model_copy(
                    update={"submitted_at": AFTER_DUE, "submitted_by": f"fp-{review.reviewer}"}
                )
                report_repo.record_review(session, submitted)
    return database


@pytest.fixture(params=[1, 2, 500])
def paged(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Reviewers read this many members a page: one, two, or all of them at once."""
    size: int = request.param
    monkeypatch.setattr(activities.reports, "PAGE", size)
    return size


def _owed(database: Database) -> dict[str, list[str]]:
    """Each reviewer's reviews not yet submitted, by reported member's name, from the whole
    year at once."""
    with database.reading() as session:
        names = {m.id: m.name for m in registry_repo.list_members(session)}
        owed: dict[str, list[str]] = {}
        for review in report_repo.reviews(session, YEAR):
            if review.submitted_at is None:
                owed.setdefault(review.reviewer, []).append(names[review.report_of])
    return {reviewer: sorted(of) for reviewer, of in owed.items()}


def _run(database: Database, kind: StepKind) -> RecordingNotifier:
    dates = _dates(database)
    (step,) = [s for s in cycle_steps(dates, RELAXED) if s.kind == kind][:1]
    notifier = RecordingNotifier()
    cycle = ReportActivities(database, RELAXED, notifier)
    ActivityEnvironment().run(cycle.run_step, RunStep(year=YEAR, step=step.name, now=step.at))
    return notifier


@pytest.mark.usefixtures("paged")
def test_each_reviewer_is_reminded_once_of_what_it_still_owes(reviewing: Database) -> None:
    owed = _owed(reviewing)
    assert owed
    assert len(owed) < len({r.reviewer for r in _all_reviews(reviewing)})

    sent = _run(reviewing, StepKind.REVIEW_REMINDER).sent

    assert sorted(r for n in sent for r in n.recipients) == sorted(f"fp-{m}" for m in owed)
    for notice in sent:
        (person,) = notice.recipients
        assert f"of {', '.join(owed[person.removeprefix('fp-')])} for {YEAR}" in notice.text


@pytest.mark.usefixtures("paged")
def test_a_moved_review_date_is_told_to_each_reviewer_that_still_owes_once(
    reviewing: Database,
) -> None:
    dates = _dates(reviewing)
    was = ToldDates(dates.due, dates.review_due - timedelta(days=7))
    with reviewing.writing() as session:
        report_repo.mark_done(session, YEAR, was.marker)
    move = MovedDates(was=was, now=ToldDates.of(dates))
    notifier = RecordingNotifier()
    cycle = ReportActivities(reviewing, RELAXED, notifier)

    ActivityEnvironment().run(cycle.run_step, RunStep(year=YEAR, step=move.name, now=AFTER_DUE))

    told = sorted(r for n in notifier.sent for r in n.recipients)
    assert told == sorted(f"fp-{m}" for m in _owed(reviewing))


@pytest.mark.usefixtures("paged")
def test_the_late_reviews_notice_names_every_late_reviewer_once(reviewing: Database) -> None:
    owed = _owed(reviewing)
    with reviewing.reading() as session:
        names = registry_repo.member_names(session, set(owed))

    (notice,) = _run(reviewing, StepKind.REVIEWS_LATE).sent

    for reviewer, of in owed.items():
        assert notice.text.count(f"{names[reviewer]} (of {', '.join(of)})") == 1
    assert notice.text.count(" (of ") == len(owed)


def _all_reviews(database: Database) -> list[Review]:
    with database.reading() as session:
        return report_repo.reviews(session, YEAR)


def test_reviews_come_back_in_pages_of_members_open_ones_only_if_asked(
    reviewing: Database,
) -> None:
    with reviewing.reading() as session:
        pages, after = [], ""
        while found := report_repo.reviews_by_reviewer(session, YEAR, after, 2, open_only=True):
            after, page = found
            pages.append(page)
        every = report_repo.reviews_by_reviewer(session, YEAR, "", 100)
    assert every is not None
    owed = _owed(reviewing)
    paged = {r: of for page in pages for r, of in page.items()}
    assert set(paged) == set(owed)
    assert sum(len(of) for of in paged.values()) == sum(len(of) for of in owed.values())
    assert sum(len(of) for of in every[1].values()) == len(_all_reviews(reviewing))
