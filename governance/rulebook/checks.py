"""Rules of the rulebook itself: contradictions that field types alone cannot catch.

Each check returns problems instead of raising, so an operator sees every one at once.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from governance.kernel.errors import Problem
from governance.reports.indicators.checks import indicator_problems

if TYPE_CHECKING:
    from governance.rulebook.model import MonthDay, Rulebook

# A recurring date must exist every year, so it is checked against a year without 29 February.
_COMMON_YEAR = 2001


def _month_day(path: str, md: MonthDay) -> list[Problem]:
    if md.day > calendar.monthrange(_COMMON_YEAR, md.month)[1]:
        return [Problem(path, f"{md.month}/{md.day} is not a date that exists every year")]
    return []


def _offsets_within(
    path: str, offsets: Sequence[int], period: int, period_name: str
) -> list[Problem]:
    problems = []
    if len(set(offsets)) != len(offsets):
        problems.append(Problem(path, "the same reminder offset is listed twice"))
    problems.extend(
        Problem(f"{path}.{i}", f"{days} days is not shorter than the {period_name} ({period} days)")
        for i, days in enumerate(offsets)
        if days >= period
    )
    return problems


def _duplicates(path: str, keys: Iterable[str]) -> list[Problem]:
    counts = Counter(keys)
    return [Problem(path, f"key {key!r} is used {n} times") for key, n in counts.items() if n > 1]


def _timezone(rb: Rulebook) -> list[Problem]:
    try:
        ZoneInfo(rb.initiative.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a directory, not a zone
        return [Problem("initiative.timezone", f"{rb.initiative.timezone!r} is not an IANA zone")]
    return []


def _applications(rb: Rulebook) -> list[Problem]:
    apps = rb.applications
    problems = []
    if not apps.windows:
        problems.append(Problem("applications.windows", "at least one window is needed"))
    for i, window in enumerate(apps.windows):
        problems += _month_day(f"applications.windows.{i}", window)
    seen = [(w.month, w.day) for w in apps.windows]
    if len(set(seen)) != len(seen):
        problems.append(Problem("applications.windows", "the same window is listed twice"))
    problems += _offsets_within(
        "applications.information_reminder_days_before",
        apps.information_reminder_days_before,
        apps.information_response_days,
        "response period",
    )
    problems += _offsets_within(
        "applications.review_reminder_days_before",
        apps.review_reminder_days_before,
        apps.review_days,
        "review period",
    )
    if apps.decision_warning_months >= apps.decision_target_months:
        problems.append(
            Problem("applications.decision_warning_months", "must come before the decision target")
        )
    return problems


def _engaged_period(rb: Rulebook) -> list[Problem]:
    period = rb.engaged_period
    return _month_day("engaged_period.due", period.due) + _offsets_within(
        "engaged_period.checkpoint_days_before",
        period.checkpoint_days_before,
        366 * period.calendar_years_after_admission,
        "engaged period",
    )


def _plenary(rb: Rulebook) -> list[Problem]:
    plenary = rb.plenary
    problems = _duplicates("plenary.milestones", (m.key for m in plenary.milestones))
    if plenary.session_closes <= plenary.session_opens:
        problems.append(Problem("plenary.session_closes", "the sessions close before they open"))
    for i, milestone in enumerate(plenary.milestones):
        path = f"plenary.milestones.{i}.offset_days"
        if not milestone.follow_up and milestone.offset_days >= 0:
            problems.append(
                Problem(
                    path,
                    f"{milestone.key!r} prepares the plenary but falls on or after its first day "
                    "(use a negative offset, or mark it follow_up)",
                )
            )
        if milestone.follow_up and milestone.offset_days < plenary.duration_days:
            problems.append(
                Problem(path, f"follow-up {milestone.key!r} falls before the plenary has ended")
            )
    by_key = {m.key: m for m in plenary.milestones}
    linked = {
        "annual_reports_due": (
            "reporting.due_days_before_plenary",
            rb.reporting.due_days_before_plenary,
        ),
        "call_for_agenda_and_presenters": (
            "roster.call_days_before_plenary",
            rb.roster.call_days_before_plenary,
        ),
    }
    for key, (other_path, days_before) in linked.items():
        found = by_key.get(key)
        if found is not None and found.offset_days != -days_before:
            problems.append(
                Problem(
                    f"plenary.milestones.{plenary.milestones.index(found)}.offset_days",
                    f"{key!r} is at {found.offset_days} days but {other_path} says "
                    f"{days_before} days before the plenary",
                )
            )
    for i, month in enumerate(plenary.usual_months):
        if plenary.usual_months.count(month) > 1:
            problems.append(Problem(f"plenary.usual_months.{i}", f"month {month} is listed twice"))
    return problems


def _chair(rb: Rulebook) -> list[Problem]:
    return _duplicates("chair.handover_items", (item.key for item in rb.chair.handover_items))


def _steering_committee(rb: Rulebook) -> list[Problem]:
    seats = rb.steering_committee.seats_per_pillar
    problems = []
    if sum(seats.values()) == 0:
        problems.append(
            Problem("steering_committee.seats_per_pillar", "at least one seat is needed")
        )
    problems += [
        Problem(
            f"steering_committee.seats_per_pillar.{pillar.value}", "observers do not hold seats"
        )
        for pillar in seats
        if pillar.value == "observer"
    ]
    meetings = rb.steering_committee.meetings
    problems += _duplicates("steering_committee.meetings", (m.key for m in meetings))
    problems += [
        Problem(f"steering_committee.meetings.{i}.closes", "the meeting closes before it opens")
        for i, meeting in enumerate(meetings)
        if meeting.closes <= meeting.opens
    ]
    return problems


def _reporting(rb: Rulebook) -> list[Problem]:
    rep = rb.reporting
    problems = _month_day("reporting.opens", rep.opens)
    problems += _offsets_within(
        "reporting.reminder_days_before_due",
        rep.reminder_days_before_due,
        rep.due_days_before_plenary + 366,
        "reporting period",
    )
    if rep.propose_inactive_after_missed <= rep.refer_to_steering_committee_after_missed:
        problems.append(
            Problem(
                "reporting.propose_inactive_after_missed",
                "must be more missed cycles than the referral to the Steering Committee",
            )
        )
    for pillar, sections in rep.templates.items():
        problems += _duplicates(f"reporting.templates.{pillar.value}", (s.key for s in sections))
    return problems


def _peer_review(rb: Rulebook) -> list[Problem]:
    review = rb.peer_review
    problems = []
    for reported, reviewers in review.reviewers_for.items():
        path = f"peer_review.reviewers_for.{reported.value}"
        if reported in reviewers:
            problems.append(Problem(path, "reviewers must come from other pillars"))
        if not reviewers:
            problems.append(Problem(path, "at least one reviewing pillar is needed"))
        if any(pillar.value == "observer" for pillar in reviewers):
            problems.append(Problem(path, "observers never review"))
    if review.review_due_days_before_plenary >= rb.reporting.due_days_before_plenary:
        problems.append(
            Problem(
                "peer_review.review_due_days_before_plenary",
                "reviews would be due before the reports they review "
                f"(reports are due {rb.reporting.due_days_before_plenary} days before the plenary)",
            )
        )
    problems += _offsets_within(
        "peer_review.reminder_days_before_due",
        review.reminder_days_before_due,
        rb.reporting.due_days_before_plenary - review.review_due_days_before_plenary,
        "review period",
    )
    return problems


def _roster(rb: Rulebook) -> list[Problem]:
    roster = rb.roster
    problems = []
    if not roster.presenting_pillars:
        problems.append(Problem("roster.presenting_pillars", "at least one pillar must present"))
    # Observers never present (README, "Verification roster"); a pillar listed twice would have
    # two shares of the slots and draw its members twice.
    if any(pillar.value == "observer" for pillar in roster.presenting_pillars):
        problems.append(Problem("roster.presenting_pillars", "observers never present"))
    problems += [
        Problem("roster.presenting_pillars", f"pillar {pillar!r} is listed {n} times")
        for pillar, n in Counter(p.value for p in roster.presenting_pillars).items()
        if n > 1
    ]
    if roster.pillar_shares is not None:
        shares = roster.pillar_shares
        for pillar, share in shares.items():
            if share < 0 or share > 1:
                problems.append(
                    Problem(f"roster.pillar_shares.{pillar.value}", "must be in [0, 1]")
                )
            if pillar not in roster.presenting_pillars:
                problems.append(
                    Problem(f"roster.pillar_shares.{pillar.value}", "pillar does not present")
                )
        if abs(sum(shares.values()) - 1.0) > 1e-9:
            problems.append(Problem("roster.pillar_shares", "shares must add up to 1"))
    if roster.deferral_window_days >= roster.call_days_before_plenary:
        problems.append(
            Problem(
                "roster.deferral_window_days", "the deferral window must close before the plenary"
            )
        )
    return problems


def _notifications(rb: Rulebook) -> list[Problem]:
    known = set(rb.notifications.channels) | {"direct"}
    return [
        Problem(f"notifications.routes.{kind.value}.{i}", f"unknown channel {channel!r}")
        for kind, channels in rb.notifications.routes.items()
        for i, channel in enumerate(channels)
        if channel not in known
    ]


def _group_plans(rb: Rulebook) -> list[Problem]:
    plans = rb.group_plans
    problems = _offsets_within(
        "group_plans.deliverable_reminder_days_before",
        plans.deliverable_reminder_days_before,
        366,
        "plan's year",
    )
    problems += _offsets_within(
        "group_plans.use_report_reminder_days_before",
        plans.use_report_reminder_days_before,
        plans.use_report_days,
        "time to report on the use of funds",
    )
    return problems


def _indicators(rb: Rulebook) -> list[Problem]:
    return indicator_problems(rb.indicators)


def _channel_languages(rb: Rulebook) -> list[Problem]:
    return [
        Problem(f"notifications.channel_languages.{channel}", f"unknown channel {channel!r}")
        for channel in rb.notifications.channel_languages
        if channel not in rb.notifications.channels
    ]


_CHECKS = (
    _timezone,
    _applications,
    _engaged_period,
    _plenary,
    _chair,
    _steering_committee,
    _reporting,
    _peer_review,
    _roster,
    _notifications,
    _indicators,
    _channel_languages,
    _group_plans,
)


def semantic_problems(rulebook: Rulebook) -> list[Problem]:
    """Every contradiction in a rulebook whose fields are individually valid."""
    return [problem for check in _CHECKS for problem in check(rulebook)]
