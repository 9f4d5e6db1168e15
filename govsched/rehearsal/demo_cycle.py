"""The demo's closed reporting cycle as its year lived it (issue 19): the reports its members
sent, the reviewers the cycle's assignment gave them, and the reviews that came back.

Everything here lies before the day the demo is loaded, so it is recorded, never announced:
reports nearly all before the due day (two late, four never sent); reviewers assigned by the
cycle's own assignment (`activities.review_assignment.assignment_input` and the peer-review
solver) at its instant, the overdue step, and a late report's on its arrival, the earlier
assignments kept, as the cycle does; every review sent back before the review due day but two,
still awaited when the plenary met. Each review goes through the rule the review form applies
(`submit_review`), and its feedback counts as sent on arrival, as the cycle sends it, so the
closed cycle has nothing left to tell.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import groupby

from sqlalchemy.orm import Session

from activities.review_assignment import assignment_input
from governance.kernel.model import Plenary
from governance.kernel.timekeeping import local_date, start_of_day
from governance.reports.cycle import (
    CycleDates,
    Report,
    Review,
    StepKind,
    SubmitReview,
    cycle_dates,
    cycle_steps,
    expected_kind,
    owes_report,
    set_aside_marker,
    submit_review,
)
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo

# The closed cycle as most years go: nearly every member that owed a report sent it before the
# due day, two sent theirs late and four none. Norland and Lusmark are among the four: the
# browser tests submit their reports into that cycle (late, as a member catching up would).
LAST_CYCLE_WITHOUT_REPORT = frozenset(
    {"gov-norland", "gov-lusmark", "gov-westmarch", "ngo-rule-of-law-partners"}
)
LAST_CYCLE_LATE = frozenset({"co-kestrel-mining", "ngo-grievance-access-project"})
# on time, the reports came in over the weeks before the due day; late ones a few days after it
_FIRST_DAYS_BEFORE_DUE = 30
_DAYS_LATE = 5
# reviews came back from the second day after their assignment on; how many were still awaited
# when the plenary met (the reviewer load picture and the grid show them open)
_FIRST_REVIEW_AFTER_DAYS = 2
REVIEWS_NEVER_SENT = 2


def live_closed_cycle(session: Session, plenary: Plenary, rulebook: Rulebook) -> None:
    """Record the cycle of `plenary` (held before today) as it was lived: reports, assignments
    in the order the cycle made them, and reviews."""
    dates = cycle_dates(plenary, rulebook)
    tz = rulebook.initiative.timezone
    reports = _reports(session, dates, rulebook)
    # every cycle has its assignment step: a plenary early in January has it at the opening,
    # its due day having come before (governance.reports.cycle.cycle_steps)
    (assign_at,) = [s.at for s in cycle_steps(dates, rulebook) if s.kind is StepKind.ASSIGN]
    # the assignment step takes the reports in by then; each later one gets reviewers on arrival
    for at, arriving in groupby(reports, key=lambda r: max(r.submitted_at, assign_at)):
        for report in arriving:
            report_repo.save_report(session, report)
        session.flush()
        _assign(session, dates.year, at, rulebook)
    _reviewed(session, dates, plenary, tz)


def _reports(session: Session, dates: CycleDates, rulebook: Rulebook) -> list[Report]:
    """The cycle's reports as its members sent them, earliest first: those that owed one (and
    had joined by the time the cycle opened), but for `LAST_CYCLE_WITHOUT_REPORT`."""
    tz = rulebook.initiative.timezone
    first = max(dates.due - timedelta(days=_FIRST_DAYS_BEFORE_DUE), dates.opens)
    span = max((dates.due - first).days + 1, 1)
    owing = [
        m
        for m in registry_repo.list_members(session)
        if owes_report(m.status, m.pillar, rulebook)
        and m.joined < dates.opens
        and m.id not in LAST_CYCLE_WITHOUT_REPORT
    ]
    reports = []
    for number, member in enumerate(owing):
        on_time = first + timedelta(days=number % span)
        sent = dates.due + timedelta(days=_DAYS_LATE) if member.id in LAST_CYCLE_LATE else on_time
        # a plenary early in January has its due day before its cycle opens: every report of
        # such a cycle came in once it opened, late
        sent = max(sent, dates.opens)
        template = rulebook.reporting.templates.get(member.pillar, [])
        reports.append(
            Report(
                year=dates.year,
                member=member.id,
                kind=expected_kind(dates.year, member.joined, rulebook),
                url=f"https://example.org/{member.id}/report-{dates.year - 1}.pdf",
                sections=tuple(section.key for section in template),
                submitted_at=start_of_day(sent, tz) + timedelta(hours=10),
                submitted_by=f"fp-{member.id}",
                late=sent > dates.due,
            )
        )
    return sorted(reports, key=lambda r: (r.submitted_at, r.member))


def _assign(session: Session, year: int, at: datetime, rulebook: Rulebook) -> None:
    """The cycle's assignment at `at`, for the reports without reviewers (the solver is imported
    here, as the cycle imports it: it costs every importer about 0.4 s)."""
    from governance.reports.peer_review.assignment import plan_reviews

    wanted = assignment_input(session, year, rulebook)
    if wanted is None:
        return
    plan = plan_reviews(wanted[0], rulebook)
    for aside in plan.set_aside:
        report_repo.mark_done(session, year, set_aside_marker(aside.report_of, rulebook))
    report_repo.add_reviews(
        session,
        [
            Review(
                year=year,
                report_of=a.report_of,
                reviewer=a.reviewer,
                reason=a.reason,
                assigned_at=at,
            )
            for a in plan.assignments
        ],
    )
    session.flush()


def _reviewed(session: Session, dates: CycleDates, plenary: Plenary, tz: str) -> None:
    """Every assigned review sent back, a few a day, by its reviewer's focal point, but for
    `REVIEWS_NEVER_SENT` of them spread through the list; none after the plenary opened."""
    assigned = report_repo.reviews(session, dates.year)
    never = {len(assigned) * (n + 1) // (REVIEWS_NEVER_SENT + 1) for n in range(REVIEWS_NEVER_SENT)}
    people = {p.id: p for p in registry_repo.list_people(session)}
    for number, review in enumerate(assigned):
        if number in never:
            continue
        received = _received_on(review.assigned_at, dates, plenary, number, tz)
        person = people[f"fp-{review.reviewer}"]
        recorded = submit_review(
            SubmitReview(
                year=dates.year,
                report_of=review.report_of,
                reviewer=review.reviewer,
                by=person.id,
                url=f"https://example.org/{review.reviewer}/review-{review.report_of}.pdf",
            ),
            received,
            review,
            person.roles,
            person.member,
        )
        report_repo.record_review(session, recorded)
        report_repo.mark_feedback(session, recorded, received)


def _received_on(
    assigned_at: datetime, dates: CycleDates, plenary: Plenary, number: int, tz: str
) -> datetime:
    """When the `number`th review came back: between its assignment and the review due day
    (after it, when it was assigned too late to make it, as in a cycle whose plenary met early
    in January), and before the plenary opened where its assignment left a day for it."""
    first: date = local_date(assigned_at, tz) + timedelta(days=_FIRST_REVIEW_AFTER_DAYS)
    span = max((dates.review_due - first).days + 1, 1)
    day = min(first + timedelta(days=number % span), plenary.starts - timedelta(days=1))
    return max(start_of_day(day, tz) + timedelta(hours=14), assigned_at + timedelta(hours=1))
