"""What the reporting cycle tells whom: members that still owe, reviewers, the reported member,
the Steering Committee and the Secretariat.

A reminder goes only to those who still owe the action, one direct notice per member (to all its
focal points), keyed by the step, so a batch resumed after a crash never sends one twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime

from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.wording import day_text, listing
from governance.reports.cycle import CycleDates, EscalationKind, MissedReport, ReportKind, Review
from governance.rulebook.model import NotificationKind, Rulebook

# A Steering Committee summary names this many members, then says how many more.

# A notice's text is at most 3,000 characters (Notification.text): long comments are cut.
FEEDBACK_LENGTH = 3000


def cycle_item(year: int) -> str:
    return f"reports-{year}"


def report_item(year: int, member: str) -> str:
    return f"report-{year}-{member}"


def opened(dates: CycleDates, at: datetime, inactive: Sequence[str]) -> list[Notification]:
    text = (
        f"Annual reports for {dates.year} are open: due on {day_text(dates.due)}, "
        f"{day_text(dates.review_due)} for peer reviews."
    )
    notices = [
        channel_notice(
            NotificationKind.ANNOUNCEMENT, "all_members", cycle_item(dates.year), "open", text, at
        )
    ]
    if inactive:
        # the re-engagement track: the Secretariat reaches out; a report brings a member back
        reach = (
            f"Inactive members to reach out to for their {dates.year} report: {listing(inactive)}."
        )
        notices.append(
            channel_notice(
                NotificationKind.DEADLINE_REMINDER,
                "secretariat",
                cycle_item(dates.year),
                "reach-out",
                reach,
                at,
            )
        )
    return notices


def report_reminder(
    dates: CycleDates,
    member: str,
    kind: ReportKind,
    people: Sequence[str],
    step: str,
    at: datetime,
) -> list[Notification]:
    when = day_text(dates.due)
    text = f"Reminder: your {kind.value} annual report for {dates.year} is due on {when}."
    item = report_item(dates.year, member)
    return [
        direct_notice(NotificationKind.DEADLINE_REMINDER, p, item, step, text, at) for p in people
    ]


def report_overdue(
    dates: CycleDates, member: str, people: Sequence[str], step: str, at: datetime
) -> list[Notification]:
    text = (
        f"Overdue: your annual report for {dates.year} was due on {day_text(dates.due)}. "
        "It can still be submitted; the Steering Committee has been told."
    )
    item = report_item(dates.year, member)
    return [direct_notice(NotificationKind.OVERDUE, p, item, step, text, at) for p in people]


def escalations(
    dates: CycleDates, missed: Sequence[MissedReport], names: dict[str, str], at: datetime
) -> list[Notification]:
    if not missed:
        return []
    referred = [
        names.get(m.member, m.member) for m in missed if m.escalation is EscalationKind.REFERRED
    ]
    proposed = [
        f"{names.get(m.member, m.member)} ({m.missed_in_a_row} in a row)"
        for m in missed
        if m.escalation is EscalationKind.PROPOSE_INACTIVE
    ]
    parts = [f"{len(missed)} member(s) did not report by {day_text(dates.due)}."]
    if referred:
        parts.append(f"Referred to the Steering Committee: {listing(referred)}.")
    if proposed:
        parts.append(
            "Inactive status proposed, for a Steering Committee or plenary decision: "
            f"{listing(proposed)}."
        )
    return [
        channel_notice(
            NotificationKind.OVERDUE,
            "steering_committee",
            cycle_item(dates.year),
            "escalations",
            " ".join(parts)[:3000],
            at,
        )
    ]


def assigned(
    dates: CycleDates,
    reviewer: str,
    reports_of: dict[str, str],
    people: Sequence[str],
    at: datetime,
) -> list[Notification]:
    """`reports_of`: the reported members' ids and names; ids name the notice's version, so a
    late report's assignment is a new notice while a retried one is not."""
    names = ", ".join(reports_of[m] for m in sorted(reports_of))
    when = day_text(dates.review_due)
    text = f"Your peer reviews for {dates.year}: the reports of {names}; due on {when}."
    item = f"reviews-{dates.year}-{reviewer}"
    version = "assigned-" + hashlib.sha256(",".join(sorted(reports_of)).encode()).hexdigest()[:12]
    return [
        direct_notice(NotificationKind.DECISION, p, item, version, text[:3000], at) for p in people
    ]


def review_reminder(
    dates: CycleDates,
    reviewer: str,
    reports_of: Sequence[str],
    people: Sequence[str],
    step: str,
    at: datetime,
) -> list[Notification]:
    text = (
        f"Reminder: your peer reviews of {', '.join(reports_of)} for {dates.year} are due on "
        f"{day_text(dates.review_due)}."
    )
    item = f"reviews-{dates.year}-{reviewer}"
    return [
        direct_notice(NotificationKind.DEADLINE_REMINDER, p, item, step, text[:3000], at)
        for p in people
    ]


def reviews_late(dates: CycleDates, late: Sequence[str], at: datetime) -> list[Notification]:
    if not late:
        return []
    when = day_text(dates.review_due)
    text = f"Peer reviews for {dates.year} not submitted by {when}: {listing(late)}."
    return [
        channel_notice(
            NotificationKind.OVERDUE,
            "secretariat",
            cycle_item(dates.year),
            "reviews-late",
            text,
            at,
        )
    ]


def feedback(
    review: Review,
    reviewer_name: str,
    people: Sequence[str],
    at: datetime,
    comments: str = "",
) -> list[Notification]:
    """`comments`: the reviewer's comments on the member's indicators (issue 22), as one text."""
    text = (
        f"A peer review of your {review.year} annual report, by {reviewer_name}, is available: "
        f"{review.url}"
    ) + comments
    if len(text) > FEEDBACK_LENGTH:
        text = text[: FEEDBACK_LENGTH - 1] + "…"
    item = report_item(review.year, review.report_of)
    version = f"review-{review.reviewer}"
    return [direct_notice(NotificationKind.DECISION, p, item, version, text, at) for p in people]


def cannot_assign(
    year: int, set_aside: Sequence[tuple[str, str]], wanted: int, at: datetime
) -> list[Notification]:
    """The reports given no reviewers, (name, reason) each, the reason naming the rule that
    binds; reports refused together share one line. Every other report was assigned."""
    by_reason: dict[str, list[str]] = {}
    for name, reason in set_aside:
        by_reason.setdefault(reason, []).append(name)
    lines = []
    for reason, names in by_reason.items():
        whose = (
            f"{names[0]}'s report"
            if len(names) == 1
            else f"{len(names)} reports together ({', '.join(names)})"
        )
        lines.append(f"{whose}: {reason}")
    text = (
        f"Peer reviewers for {year}: {len(set_aside)} of {wanted} report(s) set aside until the "
        f"peer-review rules change ({wanted - len(set_aside)} assigned). " + " | ".join(lines)
    )
    return [
        channel_notice(
            NotificationKind.DECISION,
            "secretariat",
            cycle_item(year),
            "unassignable-" + hashlib.sha256(text.encode()).hexdigest()[:12],
            text[:3000],
            at,
        )
    ]


def back_from_inactive(
    year: int, member: str, name: str, at: datetime, rulebook: Rulebook
) -> Notification:
    label = rulebook.initiative.labels.steering_committee
    text = (
        f"{name}, an Inactive member, submitted its {year} annual report: the {label} may "
        "return it to active status."
    )
    return channel_notice(
        NotificationKind.DECISION, "steering_committee", report_item(year, member), "back", text, at
    )


def report_moved(
    year: int, member: str, was: date, now: date, people: Sequence[str], at: datetime
) -> list[Notification]:
    text = (
        f"The {year} plenary has moved: your annual report is now due on {day_text(now)} "
        f"(it was {day_text(was)})."
    )
    item = report_item(year, member)
    return [
        direct_notice(NotificationKind.CHANGE_NOTICE, p, item, f"moved-{now}", text, at)
        for p in people
    ]


def reviews_moved(
    year: int, reviewer: str, was: date, now: date, people: Sequence[str], at: datetime
) -> list[Notification]:
    text = (
        f"The {year} plenary has moved: your peer reviews are now due on {day_text(now)} "
        f"(it was {day_text(was)})."
    )
    item = f"reviews-{year}-{reviewer}"
    return [
        direct_notice(NotificationKind.CHANGE_NOTICE, p, item, f"moved-{now}", text, at)
        for p in people
    ]
