"""Activities of the reporting cycle: what is due, and each step carried out for everyone it
concerns, in pages of members, each notice delivered once through the ledger."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session
from temporalio import activity

from activities.keepalive import heartbeating_while_busy
from activities.notifications import NotificationActivities
from activities.own_process import run_in_own_process
from activities.review_assignment import (
    Assigned,
    assign_reviews,
    publish_deadlines,
    waiting_for_reviewers,
)
from governance.kernel.model import MemberStatus
from governance.kernel.notices import Notification
from governance.kernel.timekeeping import end_of_day
from governance.reports import notices as say
from governance.reports.contracts import (
    CycleRequest,
    CycleStatus,
    RunStep,
)
from governance.reports.cycle import (
    REPORTING,
    CycleDates,
    CycleStep,
    MissedReport,
    Review,
    StepKind,
    cycle_steps,
    due_steps,
    escalation_for,
    exempt_pillars,
    expected_kind,
    last_joining_day,
    missed_in_a_row,
    next_step_at,
    set_aside_marker,
)
from governance.reports.cycle_log import CycleLog, MovedDates, ToldDates, step_names
from governance.reports.indicators.submission import comments_text
from governance.rulebook.model import Rulebook
from govsched.notify.port import Notifier
from govsched.persistence.commands.reports import dates_of
from govsched.persistence.db import Database
from govsched.persistence.repos import indicators as indicator_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo

log = logging.getLogger("govsched.activities.reports")

PAGE = 500
# A quarter of the two minutes the cycle allows between heartbeats (BATCH_HEARTBEAT).
SOLVE_HEARTBEAT_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class ReviewerPage:
    """A page of reviewers: their reviews' reported members, by reviewer; the names of both;
    the reviewers' focal points."""

    reviews: dict[str, list[str]]
    names: dict[str, str]
    people: dict[str, list[str]]


class ReportActivities:
    def __init__(
        self, db: Database, rulebook: Rulebook, notifier: Notifier, apart: bool = False
    ) -> None:
        """`apart`: run the peer-review assignment's store work and solve in a short-lived
        process of its own (activities/own_process.py), as `govsched worker` does, so that
        this process never holds them nor loads the solver; otherwise in this process
        (rehearsals and tests: no process start per assignment)."""
        self._db = db
        self._rulebook = rulebook
        self._notify = NotificationActivities(db, notifier)
        self._apart = apart

    def _send(self, notices: Iterable[Notification]) -> int:
        count = 0
        for notice in notices:
            self._notify.deliver(notice)
            count += 1
        return count

    @activity.defn(name="report-cycle-status")
    def status(self, request: CycleRequest) -> CycleStatus:
        """What the cycle must do now: the steps due (a move of its dates first), whether late
        reports await reviewers and reviews await feedback, and when to look again; finished once
        it has closed or its annual plenary is gone and no review awaits its feedback. Notices
        to Inactive members that reported are returned for the workflow to deliver."""
        with self._db.reading() as session:
            dates = dates_of(session, request.year, self._rulebook)
            log = CycleLog.of(report_repo.done_steps(session, request.year))
            feedback = bool(report_repo.pending_feedback(session, request.year, 1))
            if dates is None or log.closed:
                # A review sent after the close is taken (ARCHITECTURE.md, "The reporting
                # cycle"): its feedback still reaches the reported member, then the cycle ends
                # again. Nothing else runs once closed.
                return CycleStatus(
                    notices=[],
                    steps=[],
                    late_reports=False,
                    feedback=feedback,
                    next_at=None,
                    finished=not feedback,
                )
            steps = cycle_steps(dates, self._rulebook)
            late = log.assigned and waiting_for_reviewers(
                session, request.year, log, self._rulebook
            )
            back = self._back_from_inactive(session, request.year)
        return CycleStatus(
            notices=back,
            steps=step_names(log.moved(dates), due_steps(steps, request.now, log.done)),
            late_reports=late,
            feedback=feedback,
            next_at=next_step_at(steps, request.now),
            finished=False,
        )

    def _back_from_inactive(self, session: Session, year: int) -> list[Notification]:
        """Inactive members that reported: the Steering Committee may return them to active."""
        # read from the Inactive members (a few), not from every report: the cycle looks at
        # this each time it wakes, and reading the year's reports made each look grow with the
        # membership (most of a wake at 20,000 members, and wakes come with every review run)
        notices = [
            say.back_from_inactive(year, r.member, name, r.submitted_at, self._rulebook)
            for r, name in report_repo.reports_by_status(session, year, MemberStatus.INACTIVE)
        ]
        return [n for n in notices if notification_repo.status_of(session, n.key) is None]

    @activity.defn(name="run-report-step")
    def run_step(self, order: RunStep) -> int:
        """Carry out one step for everyone it concerns; returns the notices it sent."""
        with self._db.reading() as session:
            dates = dates_of(session, order.year, self._rulebook)
            log = CycleLog.of(report_repo.done_steps(session, order.year))
        if dates is None or log.has_run(order.step):
            return 0
        step = log.step(order.step, dates, self._rulebook)
        if step is None:  # the plenary moved since: the step has a new name now
            return 0
        if isinstance(step, MovedDates):
            sent = self._moved(dates, step, order.now, order.step)
            with self._db.writing() as session:
                report_repo.mark_done(session, order.year, order.step)
                report_repo.mark_done(session, order.year, step.now.marker)
            return sent
        handlers: dict[StepKind, Callable[[CycleDates, CycleStep], int]] = {
            StepKind.OPEN: self._open,
            StepKind.REPORT_REMINDER: self._remind_reporters,
            StepKind.OVERDUE: self._overdue,
            StepKind.ASSIGN: self._assign,
            StepKind.REVIEW_REMINDER: self._remind_reviewers,
            StepKind.REVIEWS_LATE: self._reviews_late,
            StepKind.CLOSE: _nothing,
        }
        sent = handlers[step.kind](dates, step)
        with self._db.writing() as session:
            report_repo.mark_done(session, order.year, order.step)
            if log.told is None:
                report_repo.mark_done(session, order.year, ToldDates.of(dates).marker)
        return sent

    def _moved(self, dates: CycleDates, move: MovedDates, at: datetime, name: str) -> int:
        """Tell whoever still owes something that its date moved with the plenary; nobody else.
        The notices are keyed on the step's `name`, one per move, so a retry sends nothing twice
        and a move back to dates held before is told again."""
        was_due, was_review = move.was.due, move.was.review_due
        sent = 0
        tz = self._rulebook.initiative.timezone
        if was_due != dates.due and at < end_of_day(max(was_due, dates.due), tz):
            for page in self._owing(dates):
                with self._db.reading() as session:
                    people = registry_repo.focal_points_by_member(session, (m for m, _, _ in page))
                for member, _, _ in page:
                    sent += self._send(
                        say.report_moved(
                            dates.year, member, was_due, dates.due, people[member], at, name
                        )
                    )
        if was_review != dates.review_due:
            with self._db.writing() as session:
                reviewers = {r.reviewer for r in report_repo.reviews(session, dates.year)}
                # a reviewer that left has no deadline: its event was withdrawn when it left
                reviewers -= registry_repo.members_that_left(session, reviewers)
                publish_deadlines(session, dates, reviewers, at, self._rulebook)
            for owing in self._reviewer_pages(dates.year, open_only=True):
                for reviewer in owing.reviews:
                    sent += self._send(
                        say.reviews_moved(
                            dates.year,
                            reviewer,
                            was_review,
                            dates.review_due,
                            owing.people[reviewer],
                            at,
                            name,
                        )
                    )
        return sent

    def _open(self, dates: CycleDates, step: CycleStep) -> int:
        with self._db.reading() as session:
            inactive = [
                m.name for m in registry_repo.members_with_status(session, MemberStatus.INACTIVE)
            ]
        return self._send(say.opened(dates, step.at, sorted(inactive)))

    def _owing(self, dates: CycleDates) -> Iterator[list[tuple[str, str, date]]]:
        """Pages of members that still owe the cycle's report (none that joined after its due
        day: `owes_report_for`)."""
        after = ""
        while True:
            with self._db.reading() as session:
                page = report_repo.owing_page(
                    session,
                    dates.year,
                    REPORTING,
                    after,
                    PAGE,
                    exempt_pillars(self._rulebook),
                    joined_by=last_joining_day(dates),
                )
            if not page:
                return
            yield page
            after = page[-1][0]
            activity.heartbeat(after)

    def _remind_reporters(self, dates: CycleDates, step: CycleStep) -> int:
        sent = 0
        for page in self._owing(dates):
            with self._db.reading() as session:
                people = registry_repo.focal_points_by_member(session, (m for m, _, _ in page))
            for member, _, joined in page:
                kind = expected_kind(dates.year, joined, self._rulebook)
                sent += self._send(
                    say.report_reminder(dates, member, kind, people[member], step.name, step.at)
                )
        return sent

    def _overdue(self, dates: CycleDates, step: CycleStep) -> int:
        sent = 0
        escalated: list[MissedReport] = []
        names: dict[str, str] = {}
        for page in self._owing(dates):
            members = [m for m, _, _ in page]
            names |= {m: name for m, name, _ in page}
            with self._db.writing() as session:
                history = report_repo.missed_years(session, members)
                cycles = report_repo.report_years(session)
                missed = []
                for member in members:
                    streak = missed_in_a_row(dates.year, history[member], cycles)
                    missed.append(
                        MissedReport(
                            year=dates.year,
                            member=member,
                            missed_in_a_row=streak,
                            escalation=escalation_for(streak, self._rulebook),
                            at=step.at,
                        )
                    )
                already = {m.member for m in report_repo.missed(session, dates.year)}
                report_repo.save_missed(session, [m for m in missed if m.member not in already])
                people = registry_repo.focal_points_by_member(session, members)
            escalated += missed
            for member in members:
                sent += self._send(
                    say.report_overdue(dates, member, people[member], step.name, step.at)
                )
        return sent + self._send(say.escalations(dates, escalated, names, step.at))

    def _assign(self, dates: CycleDates, step: CycleStep) -> int:
        return self._assign_now(dates, step.at)

    def _assign_now(self, dates: CycleDates, at: datetime) -> int:
        """Reviewers for the reports without any, then each reviewer told of what it was given
        at `at`, read back from the store: a retry after the reviews were written tells whoever
        its first attempt had not told yet."""
        with self._db.reading() as session:
            done = CycleLog.of(report_repo.done_steps(session, dates.year))
            waiting = waiting_for_reviewers(session, dates.year, done, self._rulebook)
        sent = 0
        if waiting:
            with heartbeating_while_busy(SOLVE_HEARTBEAT_EVERY):
                assigned = self._assign_reviews(dates, at)
            if assigned is not None and assigned.set_aside:
                sent += self._set_aside(dates.year, assigned, at)
        return sent + self._tell_reviewers(dates, at)

    def _assign_reviews(self, dates: CycleDates, at: datetime) -> Assigned | None:
        if not self._apart:
            return assign_reviews(self._db, self._rulebook, dates, at)
        done = run_in_own_process("assign-reviews", self._db.url, self._rulebook, dates, at)
        assigned: Assigned | None = done.value
        log.info(
            "peer review %d: %d reports assigned in %.1f s by a process of %.0f MiB",
            dates.year,
            assigned.reports if assigned else 0,
            done.seconds,
            done.peak_mib,
        )
        return assigned

    def _set_aside(self, year: int, assigned: Assigned, at: datetime) -> int:
        """Each waits for new peer-review rules; every other report was assigned. Told before
        it is marked: a retry after a crash in between tells the same (the ledger keeps it
        once), where a retry after the mark would not tell at all."""
        entries = [(a.name, a.why) for a in assigned.set_aside]
        sent = self._send(say.cannot_assign(year, entries, assigned.reports, at))
        with self._db.writing() as session:
            for aside in assigned.set_aside:
                report_repo.mark_done(
                    session, year, set_aside_marker(aside.report_of, self._rulebook)
                )
        return sent

    def _tell_reviewers(self, dates: CycleDates, at: datetime) -> int:
        """Each reviewer's reports assigned at `at`."""
        sent = 0
        for page in self._reviewer_pages(dates.year, assigned_at=at):
            for reviewer, reports_of in page.reviews.items():
                of = {m: page.names.get(m, m) for m in reports_of}
                sent += self._send(say.assigned(dates, reviewer, of, page.people[reviewer], at))
        return sent

    def _reviewer_pages(
        self, year: int, *, assigned_at: datetime | None = None, open_only: bool = False
    ) -> Iterator[ReviewerPage]:
        """The year's reviews by reviewer (`report_repo.reviews_by_reviewer` filters them), a
        page of members at a time: a reminder or a move held every member and every review of
        the year at once, the activities worker's largest step at 20,000 members (issue 21)."""
        after = ""
        while True:
            with self._db.reading() as session:
                found = report_repo.reviews_by_reviewer(
                    session, year, after, PAGE, assigned_at=assigned_at, open_only=open_only
                )
                if found is None:
                    return
                after, reviews = found
                named = set(reviews) | {m for of in reviews.values() for m in of}
                names = registry_repo.member_names(session, named)
                people = registry_repo.focal_points_by_member(session, reviews)
            yield ReviewerPage(reviews, names, people)
            activity.heartbeat(after)

    def _remind_reviewers(self, dates: CycleDates, step: CycleStep) -> int:
        sent = 0
        for page in self._reviewer_pages(dates.year, open_only=True):
            for reviewer, reports_of in page.reviews.items():
                of = sorted(page.names.get(m, m) for m in reports_of)
                sent += self._send(
                    say.review_reminder(
                        dates, reviewer, of, page.people[reviewer], step.name, step.at
                    )
                )
        return sent

    def _reviews_late(self, dates: CycleDates, step: CycleStep) -> int:
        late = [
            (page.names.get(reviewer, reviewer), [page.names.get(m, m) for m in reports_of])
            for page in self._reviewer_pages(dates.year, open_only=True)
            for reviewer, reports_of in page.reviews.items()
        ]
        return self._send(say.reviews_late(dates, late, step.at))

    @activity.defn(name="assign-late-reports")
    def assign_late(self, request: CycleRequest) -> int:
        """Reviewers for reports that arrived after the assignment, leaving the others alone."""
        with self._db.reading() as session:
            dates = dates_of(session, request.year, self._rulebook)
        return 0 if dates is None else self._assign_now(dates, request.now)

    def _indicator_labels(self, year: int) -> dict[str, str]:
        """Each indicator's label in the year's set, for the comments sent with a review."""
        rules = self._rulebook.indicators
        if not any(s.from_year <= year for s in rules.sets):
            return {}
        return {
            ind.key: ind.label()
            for indicators in rules.set_for_year(year).pillars.values()
            for ind in indicators
        }

    @activity.defn(name="send-review-feedback")
    def send_feedback(self, request: CycleRequest) -> int:
        """Send each submitted review to the reported member's focal points, once."""
        sent = 0
        while True:
            with self._db.reading() as session:
                batch = report_repo.pending_feedback(session, request.year, PAGE)
                if not batch:
                    return sent
                names = registry_repo.member_names(session, {r.reviewer for r in batch})
                people = registry_repo.focal_points_by_member(session, (r.report_of for r in batch))
                # the page's comments in one query, not one per review
                comments = indicator_repo.comments_by_review(
                    session, request.year, ((r.report_of, r.reviewer) for r in batch)
                )
            labels = self._indicator_labels(request.year)
            for review in batch:
                at = review.submitted_at or request.now
                said = comments_text(comments.get((review.report_of, review.reviewer), []), labels)
                notices = say.feedback(
                    review,
                    names.get(review.reviewer, review.reviewer),
                    people[review.report_of],
                    at,
                    said,
                )

                def done(session: Session, review: Review = review) -> None:
                    report_repo.mark_feedback(session, review, request.now)

                # the review is marked sent in the transaction of its last notice's receipt,
                # not in one of its own (issue 21: three write transactions a review, now two)
                for notice in notices[:-1]:
                    self._notify.deliver(notice)
                if notices:
                    self._notify.deliver_then(notices[-1], done)
                else:
                    with self._db.writing() as session:
                        done(session)
                sent += len(notices)
            activity.heartbeat(sent)


def _nothing(_dates: CycleDates, _step: CycleStep) -> int:
    """Closing needs no notice: the plenary itself lists the reviews."""
    return 0
