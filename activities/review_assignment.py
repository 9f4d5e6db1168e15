"""The peer-review assignment's store work: what it solves for, the solve, the reviews and their
deadlines written. `govsched worker` runs `assign_reviews` in a process of its own
(activities/own_process.py): it holds every member, report and candidate at once, and the solver's
libraries, for a few seconds once a year. The worker tells the reviewers afterwards, reading
back from the store what was assigned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from governance.kernel.messages import Message
from governance.kernel.model import Member
from governance.reports.cycle import (
    REPORTING,
    CycleDates,
    Review,
    may_review,
    review_deadline,
)
from governance.reports.cycle_log import CycleLog
from governance.reports.peer_review.plan import Assignment, AssignmentInput, Reviewable
from governance.rulebook.model import Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo


@dataclass(frozen=True)
class SetAside:
    """A report no reviewer may take under the present rules, and why, in the Secretariat's
    words (`name` is the reported member's)."""

    report_of: str
    name: str
    why: str | Message


@dataclass(frozen=True)
class Assigned:
    reports: int  # the reports the assignment was for
    set_aside: tuple[SetAside, ...]


def waiting_for_reviewers(session: Session, year: int, log: CycleLog, rulebook: Rulebook) -> bool:
    """Whether some report of `year` has no reviewer and is not set aside (`log`: the cycle's
    done steps): what `assignment_input` would solve for, read without loading the registry."""
    return bool(set(report_repo.unreviewed_reports(session, year)) - log.set_aside(rulebook))


def assign_reviews(
    db: Database, rulebook: Rulebook, dates: CycleDates, at: datetime
) -> Assigned | None:
    """Reviewers for the year's reports without any, written with each reviewer's deadline in
    its calendars (one transaction); None when every report has its reviewers. The set-aside
    reports are answered, not marked: the caller tells the Secretariat, then marks them, so
    that a retry after a crash in between tells again (the ledger keeps it once) rather than
    not at all."""
    with db.reading() as session:
        wanted = assignment_input(session, dates.year, rulebook)
    if wanted is None:
        return None
    inp, members = wanted
    # Imported here: the solver brings OR-Tools, numpy and pandas, about 0.4 s and 75 MiB
    # that every process importing the worker (the CLI, the API, each test) would pay.
    from governance.reports.peer_review.assignment import plan_reviews

    plan = plan_reviews(inp, rulebook)
    reviews = [
        Review(
            year=dates.year,
            report_of=a.report_of,
            reviewer=a.reviewer,
            reason=a.reason,
            assigned_at=at,
        )
        for a in plan.assignments
    ]
    if reviews:
        with db.writing() as session:
            report_repo.add_reviews(session, reviews)
            publish_deadlines(session, dates, {r.reviewer for r in reviews}, at, rulebook)
    return Assigned(
        reports=len(inp.reports),
        set_aside=tuple(
            SetAside(a.report_of, members[a.report_of].name, a.words or a.reason)
            for a in plan.set_aside
        ),
    )


def publish_deadlines(
    session: Session, dates: CycleDates, reviewers: set[str], at: datetime, rulebook: Rulebook
) -> None:
    """Each reviewer's review deadline in its calendars (a new date or report: SEQUENCE up)."""
    names = {m.id: m.name for m in registry_repo.list_members(session)}
    of: dict[str, list[str]] = {}
    for r in report_repo.reviews(session, dates.year):
        if r.reviewer in reviewers:
            of.setdefault(r.reviewer, []).append(names.get(r.report_of, r.report_of))
    for reviewer, reports_of in sorted(of.items()):
        calendar_repo.upsert(session, review_deadline(dates, reviewer, reports_of, rulebook), at)


def assignment_input(
    session: Session, year: int, rulebook: Rulebook
) -> tuple[AssignmentInput, dict[str, Member]] | None:
    """What the assignment solves for the year's reports without reviewers, or waiting for one
    in place of a reviewer that left (none set aside under the present rules), with the
    registry's members by id; None when every report has its reviewers. The cycle's assignment
    and the demo's lived year (govsched/rehearsal) ask it."""
    members = {m.id: m for m in registry_repo.list_members(session)}
    reported = [r.member for r in report_repo.reports(session, year)]
    existing = report_repo.reviews(session, year)
    log = CycleLog.of(report_repo.done_steps(session, year))
    have = {r.report_of for r in existing}
    # a report whose reviewer left waits again, with the reviews it kept (`release_reviews`)
    waiting = set(report_repo.unreviewed_reports(session, year))
    skipped = log.set_aside(rulebook)
    wanted = [m for m in reported if (m not in have or m in waiting) and m not in skipped]
    if not wanted:
        return None

    def reviewable(member_id: str) -> Reviewable:
        m = members[member_id]
        return Reviewable(member=m.id, pillar=m.pillar, country=m.country, group=m.group)

    previous = report_repo.reviews(session, year - 1)
    inp = AssignmentInput(
        year=year,
        seed=f"peer-review-{year}",
        reports=tuple(reviewable(m) for m in wanted),
        reviewers=tuple(
            reviewable(m.id)
            for m in members.values()
            if m.status in REPORTING and may_review(m.pillar)
        ),
        conflicts=report_repo.conflicts(session),
        previous=frozenset((r.reviewer, r.report_of) for r in previous),
        existing=tuple(
            Assignment(report_of=r.report_of, reviewer=r.reviewer, reason=r.reason)
            for r in existing
        ),
    )
    return inp, members
