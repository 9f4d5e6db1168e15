"""The annual reporting cycle: its dates, its steps, submissions, reviews and escalation.

One cycle per reporting year, planned from that year's annual plenary: it opens on the rulebook
date, reports fall due `due_days_before_plenary` before the plenary's first day and reviews
`review_due_days_before_plenary` before it. A cycle is a short list of instants (reminders,
overdue, reviewer assignment, review reminders, close), the same whether 80 or 20,000 members
report: each instant acts on everyone it concerns at once.

Nothing is stored about the dates: they are derived from the plenary each time, so moving the
plenary moves the cycle and only what is still open notices.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from governance.applications.model import Url
from governance.kernel.calendar import (
    CalendarItem,
    EventStatus,
    item_uid,
    member_audience,
    role_audience,
)
from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.messages import N_, Message, say, word
from governance.kernel.model import Frozen, MemberStatus, Pillar, Plenary, Role, Slug, has_left
from governance.kernel.timekeeping import end_of_day, start_of_day
from governance.reports.peer_review.version import RULE_VERSION
from governance.rulebook.model import Rulebook

# Members that owe a report: the Engaged and Full ones; Inactive members may still report (the
# way back), but are not reminded; the Secretariat is asked to reach out to them instead.
REPORTING = frozenset({MemberStatus.ENGAGED, MemberStatus.FULL})
MAY_REPORT = REPORTING | {MemberStatus.INACTIVE}
# Why a member that left does not report: whole sentences, so the article agrees with the status
# ("an expelled member"; "a %(status)s member" read "a expelled member") and a translation can
# make the adjective agree too.
NOT_REPORTING = {
    MemberStatus.WITHDRAWN: N_("a withdrawn member does not report"),
    MemberStatus.EXPELLED: N_("an expelled member does not report"),
}


def not_reporting(status: MemberStatus) -> Message:
    """Why a member of `status` (every status outside MAY_REPORT has its sentence) may not
    report."""
    return say(NOT_REPORTING[status])


def exempt_pillars(rulebook: Rulebook) -> frozenset[Pillar]:
    """Pillars that owe no report: observers, unless `reporting.observers_report`."""
    return frozenset() if rulebook.reporting.observers_report else frozenset({Pillar.OBSERVER})


def owes_report(status: MemberStatus, pillar: Pillar, rulebook: Rulebook) -> bool:
    """Whether a member is asked for its report: reminded, told it is overdue, escalated."""
    return status in REPORTING and pillar not in exempt_pillars(rulebook)


def owes_report_for(
    status: MemberStatus, pillar: Pillar, joined: date, dates: CycleDates, rulebook: Rulebook
) -> bool:
    """Whether a member owes the report of the cycle of `dates`: it is asked for reports now
    (`owes_report`) and was a member when this one fell due. A member admitted after the due
    day (an Engaged member admitted after the plenary, say) owes nothing for that cycle, so
    the reporting grid never marks it missed there."""
    return owes_report(status, pillar, rulebook) and joined <= last_joining_day(dates)


def owed_closed_cycle(
    status: MemberStatus,
    pillar: Pillar,
    joined: date,
    dates: CycleDates,
    rulebook: Rulebook,
    recorded_missing: bool,
) -> bool:
    """Whether a report may still come to the cycle of `dates` after it closed with its
    plenary: only from a member that owed it. That is one the cycle recorded missing on its due
    day (it may have been made Inactive since, for missing it), or one that owes it by today's
    registry (`owes_report_for`: a cycle whose overdue step never ran has no record). A member
    admitted after the cycle, or one that never owed reports, has nothing to send to it."""
    return recorded_missing or owes_report_for(status, pillar, joined, dates, rulebook)


def last_joining_day(dates: CycleDates) -> date:
    """The last day a member may have joined and still owe the cycle's report: its due day. The
    cycle's reminders, overdue notices and escalations ask only members that joined by then
    (a member admitted after the due day was never late for a report it did not owe)."""
    return dates.due


def may_review(pillar: Pillar) -> bool:
    """Observers never review (they attend without a vote; the rulebook check refuses them in
    `peer_review.reviewers_for`)."""
    return pillar is not Pillar.OBSERVER


# Reports the assignment could not serve are set aside under the peer-review rules they failed
# under. When the Secretariat changes those rules (a wider load tolerance, say) and a worker
# starts with them, the cycle's next look finds the reports no longer set aside and assigns them;
# under unchanged rules it does not try again (the same failure, told once). A new version of
# the assignment rule is a change of rules too: version 3 assigns the years version 2 set aside
# whole for the load tolerance, so their reports are tried again once (version 2's markers
# hashed the rulebook's settings alone; with the version among them, none of those match).
_NOT_ASSIGNMENT_RULES = {"review_due_days_before_plenary", "reminder_days_before_due"}


def _assignment_rules(rulebook: Rulebook) -> str:
    rules = rulebook.peer_review.model_dump(mode="json", exclude=_NOT_ASSIGNMENT_RULES)
    rules["assignment_rule_version"] = RULE_VERSION
    return hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()[:12]


def set_aside_marker(member: str, rulebook: Rulebook) -> str:
    """The cycle's marker for a report no reviewers could be found for under these rules."""
    return f"unassignable-{_assignment_rules(rulebook)}-{member}"


def set_aside(done: Iterable[str], rulebook: Rulebook) -> set[str]:
    """The reports set aside under the rulebook's present peer-review rules."""
    prefix = set_aside_marker("", rulebook)
    return {step.removeprefix(prefix) for step in done if step.startswith(prefix)}


class ReportKind(StrEnum):
    FULL = "full"
    UPDATE = "update"


def expected_kind(year: int, joined: date, rulebook: Rulebook) -> ReportKind:
    """A full report every `full_report_every_years` from the year after joining, else an update."""
    every = rulebook.reporting.full_report_every_years
    return ReportKind.FULL if (year - joined.year - 1) % every == 0 else ReportKind.UPDATE


class SubmitReport(Frozen):
    """A member's annual report: metadata and a link to the document."""

    action: Literal["submit_report"] = "submit_report"
    year: Annotated[int, Field(ge=1990, le=2200)]
    member: Slug
    by: Slug
    kind: ReportKind
    url: Url
    public: bool = False
    public_on: date | None = Field(None, description="when the public version is published")
    # the impact indicator values submitted with the report (issue 22), by indicator key
    indicators: dict[str, Any] | None = None


class DeclareConflict(Frozen):
    """A member declares it cannot review another (a joint venture, a dispute...)."""

    action: Literal["declare_conflict"] = "declare_conflict"
    reviewer_member: Slug
    reported_member: Slug
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class SubmitReview(Frozen):
    """A reviewing member's review of another member's report."""

    action: Literal["submit_review"] = "submit_review"
    year: Annotated[int, Field(ge=1990, le=2200)]
    report_of: Slug
    reviewer: Slug
    by: Slug
    url: Url


class Report(Frozen):
    year: int
    member: str
    kind: ReportKind
    url: str
    public: bool = False
    public_on: date | None = None
    sections: tuple[str, ...] = ()
    submitted_at: AwareDatetime
    submitted_by: str
    # submitted after the due day: reviewed all the same, counted as a missed deadline
    late: bool = False
    # submitted after the cycle closed with its plenary (late too): kept and shown, but the
    # cycle still counts as missed, so it does not end a row of missed cycles
    after_close: bool = False


def report_status(report: Report) -> str:
    """A report's status as the cycle's views give it: `submitted` by the due day, `late`
    after it, `after_close` once the cycle had closed (in, but the cycle counts as missed)."""
    if report.after_close:
        return "after_close"
    return "late" if report.late else "submitted"


class Review(Frozen):
    year: int
    report_of: str
    reviewer: str
    reason: str
    assigned_at: AwareDatetime
    submitted_at: AwareDatetime | None = None
    submitted_by: str | None = None
    url: str | None = None


class EscalationKind(StrEnum):
    REFERRED = "referred_to_steering_committee"
    PROPOSE_INACTIVE = "inactive_proposed"


class MissedReport(Frozen):
    """A member that did not report by the due day, and what it led to."""

    year: int
    member: str
    missed_in_a_row: int
    escalation: EscalationKind | None
    at: AwareDatetime


# Who reads the whole cycle: every report, review and escalation. A member's focal point reads
# its own report and escalation, the reviews of its report and those it must write: who reviews
# whom is not published.
WHOLE_CYCLE = frozenset({Role.SECRETARIAT, Role.STEERING_COMMITTEE, Role.CHAIR})


def reading_for(roles: frozenset[Role], member: str | None) -> str | None:
    """The member whose own records the person reads: only while it is that member's focal
    point. The registry keeps a person's member when the Secretariat takes its roles away, and
    a role taken away stops at once: its reports, reviews and escalations with it."""
    return member if Role.FOCAL_POINT in roles else None


def reviewing_for(
    roles: frozenset[Role], member: str | None, member_status: MemberStatus | None
) -> str | None:
    """The member whose reviews of other members' reports the person reads and writes: its own
    while its focal point (`reading_for`), and only while that member has not left. A member
    that withdrew or was expelled keeps what is about itself (its report, the reviews of it,
    its escalations) and reads nothing of others any more: neither the reports it was assigned
    nor its reviews of them. (`member_status` None: not known, read as not left.)"""
    return None if has_left(member_status) else reading_for(roles, member)


def visible_reviews(
    reviews: Iterable[Review],
    roles: frozenset[Role],
    member: str | None,
    member_status: MemberStatus | None = None,
) -> list[Review]:
    own = reading_for(roles, member)
    reviewing = reviewing_for(roles, member, member_status)
    return [
        r
        for r in reviews
        if roles & WHOLE_CYCLE
        or (own is not None and r.report_of == own)
        or (reviewing is not None and r.reviewer == reviewing)
    ]


def released_on_leaving(status: MemberStatus, reviews: Iterable[Review]) -> list[Review]:
    """The reviews a member gives up with its new `status`: once it has left, those it has not
    submitted. It owes nothing any more (no reminder, never listed late, and its review would
    be refused), and each of those reports waits for another reviewer as a late report does.
    A submitted review stays: it is the reviewed member's feedback. An Inactive member keeps
    its reviews: it may still submit them, as it may still report (the way back)."""
    if not has_left(status):
        return []
    return [r for r in reviews if r.submitted_at is None]


def visible_escalations(
    missed: Iterable[MissedReport], roles: frozenset[Role], member: str | None
) -> list[MissedReport]:
    own = reading_for(roles, member)
    return [m for m in missed if roles & WHOLE_CYCLE or (own is not None and m.member == own)]


@dataclass(frozen=True, slots=True)
class CycleDates:
    year: int
    plenary_id: str
    opens: date
    due: date
    review_due: date
    plenary_ends: date


def opening_day(year: int, rulebook: Rulebook) -> date:
    """The day the cycle of the year's annual plenary opens (`reporting.opens` in that year)."""
    opens = rulebook.reporting.opens
    return date(year, opens.month, opens.day)


def cycle_dates(plenary: Plenary, rulebook: Rulebook) -> CycleDates:
    return CycleDates(
        year=plenary.year,
        plenary_id=plenary.id,
        opens=opening_day(plenary.year, rulebook),
        due=plenary.starts - timedelta(days=rulebook.reporting.due_days_before_plenary),
        review_due=plenary.starts
        - timedelta(days=rulebook.peer_review.review_due_days_before_plenary),
        plenary_ends=plenary.ends,
    )


class StepKind(StrEnum):
    OPEN = "open"
    REPORT_REMINDER = "report-reminder"
    OVERDUE = "overdue"
    ASSIGN = "assign"
    REVIEW_REMINDER = "review-reminder"
    REVIEWS_LATE = "reviews-late"
    CLOSE = "close"


_REMINDERS = frozenset({StepKind.REPORT_REMINDER, StepKind.REVIEW_REMINDER})


@dataclass(frozen=True, slots=True)
class CycleStep:
    kind: StepKind
    at: datetime
    # named after the date it belongs to, so a moved plenary gives moved steps fresh names
    name: str


def cycle_steps(dates: CycleDates, rulebook: Rulebook) -> list[CycleStep]:
    """Every step of the cycle, earliest first."""
    tz = rulebook.initiative.timezone
    due, review_due = dates.due, dates.review_due
    late = end_of_day(due + timedelta(days=rulebook.reporting.overdue_after_days - 1), tz)
    steps = [CycleStep(StepKind.OPEN, start_of_day(dates.opens, tz), f"open-{dates.opens}")]
    steps += [
        CycleStep(
            StepKind.REPORT_REMINDER,
            start_of_day(due - timedelta(days=d), tz),
            f"report-reminder-{d}-{due}",
        )
        for d in sorted(set(rulebook.reporting.reminder_days_before_due), reverse=True)
    ]
    steps += [
        CycleStep(StepKind.OVERDUE, late, f"overdue-{due}"),
        CycleStep(StepKind.ASSIGN, late, f"assign-{due}"),
    ]
    steps += [
        CycleStep(
            StepKind.REVIEW_REMINDER,
            start_of_day(review_due - timedelta(days=d), tz),
            f"review-reminder-{d}-{review_due}",
        )
        for d in sorted(set(rulebook.peer_review.reminder_days_before_due), reverse=True)
    ]
    steps += [
        CycleStep(StepKind.REVIEWS_LATE, end_of_day(review_due, tz), f"reviews-late-{review_due}"),
        CycleStep(StepKind.CLOSE, end_of_day(dates.plenary_ends, tz), "close"),
    ]
    # A plenary early in the year can put the due days before the opening (DEFAULT: one before
    # 16 February). A reminder then is dropped: nobody can act on it yet. Every other step runs
    # at the opening instead, keeping its name and its place after the steps before it: dropped,
    # the assignment never ran and the reports, all late, never got reviewers (issue 19).
    opening = steps[0].at
    return sorted(
        (
            s if s.at >= opening else replace(s, at=opening)
            for s in steps
            if s.at >= opening or s.kind not in _REMINDERS
        ),
        key=lambda s: (s.at, list(StepKind).index(s.kind)),
    )


def due_steps(steps: Sequence[CycleStep], now: datetime, done: Iterable[str]) -> list[CycleStep]:
    """The steps to act on now, in order. Of several passed reminders of one kind only the
    latest runs: a worker back from downtime sends one reminder, not every one it missed."""
    finished = set(done)
    passed = [s for s in steps if s.at <= now and s.name not in finished]
    latest: dict[StepKind, CycleStep] = {}
    for s in passed:
        if s.kind in _REMINDERS:
            latest[s.kind] = s
    return [s for s in passed if s.kind not in _REMINDERS or latest[s.kind] is s]


def next_step_at(steps: Sequence[CycleStep], now: datetime) -> datetime | None:
    return min((s.at for s in steps if s.at > now), default=None)


def missed_in_a_row(year: int, missed_years: Iterable[int], cycle_years: Iterable[int]) -> int:
    """How many cycles the member missed back to back, ending with `year`'s.

    The row runs over the cycles held (`cycle_years`), not the calendar: a year without a
    plenary has no cycle, so missing the reports before and after it is two in a row, as the
    roster reads plenaries as its ledger's years. A missed year is a cycle held too.
    """
    missed = {*missed_years, year}
    held = sorted({y for y in (*cycle_years, *missed) if y <= year}, reverse=True)
    count = 0
    for held_year in held:
        if held_year not in missed:
            break
        count += 1
    return count


def escalation_for(missed: int, rulebook: Rulebook) -> EscalationKind | None:
    """One missed cycle refers the member to the Steering Committee; two in a row propose
    Inactive status for a decision. Never a status change by itself."""
    if missed >= rulebook.reporting.propose_inactive_after_missed:
        return EscalationKind.PROPOSE_INACTIVE
    if missed >= rulebook.reporting.refer_to_steering_committee_after_missed:
        return EscalationKind.REFERRED
    return None


@dataclass(frozen=True, slots=True)
class SubmissionFacts:
    dates: CycleDates | None
    member_status: MemberStatus | None
    sections: tuple[str, ...]
    by_roles: frozenset[Role] | None
    by_member: str | None
    already: Report | None
    # the kind of report the member owes this year (`expected_kind`); None with no member
    due_kind: ReportKind | None
    # whether the member owed this cycle's report (`owed_closed_cycle`); asked only once the
    # cycle closed (None before: an open cycle takes the report of any member that may report)
    owed: bool | None


def _acting_for(member: str, by: str, roles: frozenset[Role] | None, own: str | None) -> None:
    if roles is None:
        raise InvalidInput(say("no such person"), [Problem("by", say("no person %(by)r", by=by))])
    if Role.SECRETARIAT in roles or (Role.FOCAL_POINT in roles and own == member):
        return
    raise Forbidden(
        f"{Role.FOCAL_POINT.value} for {member}",
        say("acting for %(member)s", member=member),
        [
            Problem(
                "by", say("only a focal point of %(member)s or the Secretariat may", member=member)
            )
        ],
    )


def submit_report(cmd: SubmitReport, at: datetime, facts: SubmissionFacts, tz: str) -> Report:
    """The recorded report, or why it cannot be taken."""
    if facts.dates is None:
        raise InvalidInput(
            say("no reporting cycle"),
            [Problem("year", say("no %(year)s annual plenary is scheduled", year=cmd.year))],
        )
    if facts.member_status is None:
        raise InvalidInput(
            say("no such member"),
            [Problem("member", say("no member %(member)r", member=cmd.member))],
        )
    if facts.member_status not in MAY_REPORT:
        raise InvalidInput(
            say("this member does not report"),
            [Problem("member", not_reporting(facts.member_status))],
        )
    _acting_for(cmd.member, cmd.by, facts.by_roles, facts.by_member)
    if at < start_of_day(facts.dates.opens, tz):
        raise InvalidInput(
            say("the cycle is not open"),
            [
                Problem(
                    "year",
                    say(
                        "reports for %(year)s open on %(opens)s",
                        year=cmd.year,
                        opens=facts.dates.opens,
                    ),
                )
            ],
        )
    if facts.already is not None:
        raise Conflict(
            say("the report is already submitted"),
            [
                Problem(
                    "member",
                    say(
                        "submitted by %(submitted_by)s",
                        submitted_by=str(facts.already.submitted_by),
                    ),
                )
            ],
        )
    closed = at >= cycle_closes(facts.dates, tz)
    if closed and facts.owed is not True:
        _refuse_after_close(cmd, facts.dates)
    if cmd.kind is ReportKind.UPDATE and facts.due_kind is ReportKind.FULL:
        raise InvalidInput(
            say("a full report is due"),
            [
                Problem(
                    "kind",
                    say(
                        "%(member)s owes a full report for %(year)s, not an update",
                        member=cmd.member,
                        year=cmd.year,
                    ),
                )
            ],
        )
    if cmd.public_on is not None and not cmd.public:
        raise InvalidInput(
            say("no public version"),
            [Problem("public_on", say("give public: true with a publication date"))],
        )
    return Report(
        year=cmd.year,
        member=cmd.member,
        kind=cmd.kind,
        url=cmd.url,
        public=cmd.public,
        public_on=cmd.public_on,
        sections=facts.sections,
        submitted_at=at,
        submitted_by=cmd.by,
        late=at >= end_of_day(facts.dates.due, tz),
        after_close=closed,
    )


def cycle_closes(dates: CycleDates, tz: str) -> datetime:
    """The instant the cycle closes: the end of its plenary's last day (its `close` step)."""
    return end_of_day(dates.plenary_ends, tz)


def _refuse_after_close(cmd: SubmitReport, dates: CycleDates) -> None:
    """A closed cycle takes a report only from a member that owed it (ARCHITECTURE.md, "The
    reporting cycle"): one admitted since, or one that never owed reports, is refused, since
    its report would count for a cycle it never belonged to."""
    raise Conflict(
        say("the reporting cycle is closed"),
        [
            Problem(
                "member",
                say(
                    "%(member)s did not owe a report for %(year)s, whose cycle closed with its "
                    "plenary on %(day)s",
                    member=cmd.member,
                    year=cmd.year,
                    day=dates.plenary_ends,
                ),
            )
        ],
    )


def submit_review(
    cmd: SubmitReview,
    at: datetime,
    assigned: Review | None,
    by_roles: frozenset[Role] | None,
    by_member: str | None,
    reviewer_status: MemberStatus | None = None,
) -> Review:
    """The recorded review, or why it cannot be taken. `reviewer_status`: the reviewing
    member's status now, when the caller read it (the demo's lived past does not)."""
    # who may act first: only the reviewer's focal points and the Secretariat learn whether
    # an assignment exists (assignments are not published)
    _acting_for(cmd.reviewer, cmd.by, by_roles, by_member)
    if assigned is None:
        raise InvalidInput(
            say("no such review"),
            [
                Problem(
                    "reviewer",
                    say(
                        "%(reviewer)s is not assigned to review %(report_of)s",
                        reviewer=cmd.reviewer,
                        report_of=cmd.report_of,
                    ),
                )
            ],
        )
    if assigned.submitted_at is not None:
        raise Conflict(
            say("the review is already submitted"),
            [
                Problem(
                    "reviewer",
                    say("submitted by %(submitted_by)s", submitted_by=str(assigned.submitted_by)),
                )
            ],
        )
    check_still_reviews(cmd.reviewer, reviewer_status)
    return assigned.model_copy(update={"submitted_at": at, "submitted_by": cmd.by, "url": cmd.url})


def check_still_reviews(reviewer: str, reviewer_status: MemberStatus | None) -> None:
    """A member that withdrew or was expelled since its assignment has left the initiative: its
    review (or a comment with it) is no longer taken, nor sent to the reported member. An
    Inactive one may still review, as it may still report (the way back). None: the status was
    not read (the demo's lived past)."""
    if reviewer_status is not None and reviewer_status not in MAY_REPORT:
        raise InvalidInput(
            say("this member no longer reviews"),
            [
                Problem(
                    "reviewer",
                    say(
                        "%(reviewer)s is %(member_status)s and no longer reviews",
                        reviewer=reviewer,
                        member_status=word(reviewer_status),
                    ),
                )
            ],
        )


def declare_conflict(cmd: DeclareConflict, reviewer_exists: bool, reported_exists: bool) -> None:
    problems = []
    if not reviewer_exists:
        problems.append(
            Problem(
                "reviewer_member",
                say("no member %(reviewer_member)r", reviewer_member=cmd.reviewer_member),
            )
        )
    if not reported_exists:
        problems.append(
            Problem(
                "reported_member",
                say("no member %(reported_member)r", reported_member=cmd.reported_member),
            )
        )
    if cmd.reviewer_member == cmd.reported_member:
        problems.append(Problem("reported_member", say("a member never reviews itself")))
    if problems:
        raise InvalidInput(say("the conflict cannot be declared"), problems)


def review_deadline(
    dates: CycleDates, reviewer: str, reports_of: Sequence[str], rulebook: Rulebook
) -> CalendarItem:
    """The reviewing member's all-day deadline in its focal points' (and the Secretariat's)
    calendars; its UID names the year and the reviewer, so a moved plenary moves the event."""
    title = say("Peer reviews due (%(year)s)", year=str(dates.year))
    description = say(
        "Your peer reviews of the %(year)s annual reports of %(members)s.",
        year=str(dates.year),
        # member ids, as written
        members=", ".join(sorted(reports_of)),
    )
    return CalendarItem(
        uid=item_uid(f"reviews-{dates.year}-{reviewer}", rulebook.initiative.uid_domain),
        kind="deadline",
        title=title.english(),
        description=description.english(),
        title_message=title,
        description_message=description,
        start_date=dates.review_due,
        audiences=frozenset({member_audience(reviewer), role_audience(Role.SECRETARIAT)}),
        confidential=True,
    )


def deadline_withdrawn(
    dates: CycleDates, reviewer: str, reports_of: Sequence[str], rulebook: Rulebook
) -> CalendarItem:
    """The review deadline of a reviewer that left: cancelled, and kept in the Secretariat's
    calendar only, so that the reviewer's own feeds drop it (it names the members whose
    reports it was to review). `reports_of` as when it was published, so that only its status
    and audience change."""
    item = review_deadline(dates, reviewer, reports_of, rulebook)
    return item.model_copy(
        update={
            "status": EventStatus.CANCELLED,
            "audiences": frozenset({role_audience(Role.SECRETARIAT)}),
        }
    )
