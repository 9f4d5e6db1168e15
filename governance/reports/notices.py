"""What the reporting cycle tells whom: members that still owe, reviewers, the reported member,
the Steering Committee and the Secretariat.

A reminder goes only to those who still owe the action, one direct notice per member (to all its
focal points), keyed by the step, so a batch resumed after a crash never sends one twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime

from governance.kernel.messages import N_, Label, Message, Term, Terms, say, say_n, sentences, term
from governance.kernel.messages import names as name_list
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.wording import LISTED
from governance.reports.cycle import CycleDates, EscalationKind, MissedReport, ReportKind, Review
from governance.rulebook.model import NotificationKind, Rulebook

# A Steering Committee summary names this many members, then says how many more.

# A notice's text is at most 3,000 characters (Notification.text): long comments are cut.
FEEDBACK_LENGTH = 3000


_REMINDERS = {
    ReportKind.FULL: N_("Reminder: your full annual report for %(year)s is due on %(due)s."),
    ReportKind.UPDATE: N_("Reminder: your update annual report for %(year)s is due on %(due)s."),
}


def cycle_item(year: int) -> str:
    return f"reports-{year}"


def report_item(year: int, member: str) -> str:
    return f"report-{year}-{member}"


def opened(dates: CycleDates, at: datetime, inactive: Sequence[str]) -> list[Notification]:
    text = say(
        "Annual reports for %(year)s are open: due on %(due)s, %(review_due)s for peer reviews.",
        year=str(dates.year),
        due=dates.due,
        review_due=dates.review_due,
    )
    notices = [
        channel_notice(
            NotificationKind.ANNOUNCEMENT, "all_members", cycle_item(dates.year), "open", text, at
        )
    ]
    if inactive:
        # the re-engagement track: the Secretariat reaches out; a report brings a member back
        reach = say(
            "Inactive members to reach out to for their %(year)s report: %(members)s.",
            year=str(dates.year),
            members=name_list(inactive),
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
    text = say(_REMINDERS[kind], year=str(dates.year), due=dates.due)
    item = report_item(dates.year, member)
    return [
        direct_notice(NotificationKind.DEADLINE_REMINDER, p, item, step, text, at) for p in people
    ]


def report_overdue(
    dates: CycleDates, member: str, people: Sequence[str], step: str, at: datetime
) -> list[Notification]:
    text = say(
        "Overdue: your annual report for %(year)s was due on %(due)s. "
        "It can still be submitted; the Steering Committee has been told.",
        year=str(dates.year),
        due=dates.due,
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
        say(
            "%(member)s (%(missed)s in a row)",
            member=names.get(m.member, m.member),
            missed=m.missed_in_a_row,
        )
        for m in missed
        if m.escalation is EscalationKind.PROPOSE_INACTIVE
    ]
    parts = [
        say_n(
            "%(count)s member did not report by %(due)s.",
            "%(count)s members did not report by %(due)s.",
            len(missed),
            due=dates.due,
        )
    ]
    if referred:
        parts.append(
            say("Referred to the Steering Committee: %(members)s.", members=name_list(referred))
        )
    if proposed:
        parts.append(
            say(
                "Inactive status proposed, for a Steering Committee or plenary decision: "
                "%(members)s.",
                members=Terms(messages=tuple(proposed)),
            )
        )
    return [
        channel_notice(
            NotificationKind.OVERDUE,
            "steering_committee",
            cycle_item(dates.year),
            "escalations",
            sentences(*parts),
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
    reported = ", ".join(reports_of[m] for m in sorted(reports_of))
    text = say(
        "Your peer reviews for %(year)s: the reports of %(members)s; due on %(due)s.",
        year=str(dates.year),
        members=reported,
        due=dates.review_due,
    )
    item = f"reviews-{dates.year}-{reviewer}"
    version = "assigned-" + hashlib.sha256(",".join(sorted(reports_of)).encode()).hexdigest()[:12]
    return [direct_notice(NotificationKind.DECISION, p, item, version, text, at) for p in people]


def review_reminder(
    dates: CycleDates,
    reviewer: str,
    reports_of: Sequence[str],
    people: Sequence[str],
    step: str,
    at: datetime,
) -> list[Notification]:
    text = say(
        "Reminder: your peer reviews of %(members)s for %(year)s are due on %(due)s.",
        members=", ".join(reports_of),
        year=str(dates.year),
        due=dates.review_due,
    )
    item = f"reviews-{dates.year}-{reviewer}"
    return [
        direct_notice(NotificationKind.DEADLINE_REMINDER, p, item, step, text, at) for p in people
    ]


def reviews_late(
    dates: CycleDates, late: Sequence[tuple[str, Sequence[str]]], at: datetime
) -> list[Notification]:
    """`late`: each reviewer's name with the names of the members whose reports it still owes
    a review of; the first LISTED are named, then how many more."""
    if not late:
        return []
    owed = [
        say("%(reviewer)s (of %(members)s)", reviewer=reviewer, members=name_list(sorted(of)))
        for reviewer, of in late[:LISTED]
    ]
    if len(late) > LISTED:
        rest = len(late) - LISTED
        owed.append(say_n("%(count)s more", "%(count)s more", rest))
    text = say(
        "Peer reviews for %(year)s not submitted by %(due)s: %(members)s.",
        year=str(dates.year),
        due=dates.review_due,
        members=Terms(messages=tuple(owed)),
    )
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
    """`comments`: the reviewer's comments on the member's indicators (issue 22), as written
    (`indicator: comment | ...`), cut so the notice stays within its length."""
    text = say(
        "A peer review of your %(year)s annual report, by %(reviewer)s, is available: %(url)s",
        year=str(review.year),
        reviewer=reviewer_name,
        url=str(review.url),
    )
    if comments:
        room = FEEDBACK_LENGTH - len(text.english()) - 80
        if len(comments) > room:
            comments = comments[: room - 1] + "…"
        text = sentences(text, say("Comments on your indicators: %(comments)s", comments=comments))
    item = report_item(review.year, review.report_of)
    version = f"review-{review.reviewer}"
    return [direct_notice(NotificationKind.DECISION, p, item, version, text, at) for p in people]


def cannot_assign(
    year: int, set_aside: Sequence[tuple[str, str | Message]], wanted: int, at: datetime
) -> list[Notification]:
    """The reports given no reviewers, (name, reason) each, the reason naming the rule that
    binds (a message where the diagnosis wrote one, else its words as written); reports refused
    together share one line. Every other report was assigned."""
    by_reason: dict[str, list[str]] = {}
    said: dict[str, Term | str] = {}
    for name, reason in set_aside:
        english = reason if isinstance(reason, str) else reason.english()
        by_reason.setdefault(english, []).append(name)
        said[english] = reason if isinstance(reason, str) else term(reason)
    lines = []
    for english_reason, names in by_reason.items():
        whose = (
            say("%(member)s's report", member=names[0])
            if len(names) == 1
            else say_n(
                "%(count)s report together (%(members)s)",
                "%(count)s reports together (%(members)s)",
                len(names),
                members=", ".join(names),
            )
        )
        # the reason names the rule that binds, as the peer-review diagnosis writes it
        lines.append(say("%(whose)s: %(reason)s", whose=term(whose), reason=said[english_reason]))
    text = say_n(
        "Peer reviewers for %(year)s: %(set_aside)s of %(count)s report set aside until the "
        "peer-review rules change (%(assigned)s assigned). %(lines)s",
        "Peer reviewers for %(year)s: %(set_aside)s of %(count)s reports set aside until the "
        "peer-review rules change (%(assigned)s assigned). %(lines)s",
        wanted,
        year=str(year),
        set_aside=len(set_aside),
        assigned=wanted - len(set_aside),
        lines=Terms(messages=tuple(lines), separator=" | "),
    )
    english = text.english()
    return [
        channel_notice(
            NotificationKind.DECISION,
            "secretariat",
            cycle_item(year),
            "unassignable-" + hashlib.sha256(english.encode()).hexdigest()[:12],
            text,
            at,
        )
    ]


def back_from_inactive(
    year: int, member: str, name: str, at: datetime, rulebook: Rulebook
) -> Notification:
    label = rulebook.initiative.labels.steering_committee
    text = say(
        "%(member)s, an Inactive member, submitted its %(year)s annual report: the %(body)s may "
        "return it to active status.",
        member=name,
        year=str(year),
        body=Label(key="initiative.labels.steering_committee", text=label),
    )
    return channel_notice(
        NotificationKind.DECISION, "steering_committee", report_item(year, member), "back", text, at
    )


def report_moved(
    year: int, member: str, was: date, now: date, people: Sequence[str], at: datetime, move: str
) -> list[Notification]:
    """`move` names the move told (the cycle's step): a move back to dates held before is news."""
    text = say(
        "The %(year)s plenary has moved: your annual report is now due on %(now)s "
        "(it was %(was)s).",
        year=str(year),
        now=now,
        was=was,
    )
    item = report_item(year, member)
    return [direct_notice(NotificationKind.CHANGE_NOTICE, p, item, move, text, at) for p in people]


def reviews_moved(
    year: int, reviewer: str, was: date, now: date, people: Sequence[str], at: datetime, move: str
) -> list[Notification]:
    """`move` names the move told (the cycle's step): a move back to dates held before is news."""
    text = say(
        "The %(year)s plenary has moved: your peer reviews are now due on %(now)s "
        "(it was %(was)s).",
        year=str(year),
        now=now,
        was=was,
    )
    item = f"reviews-{year}-{reviewer}"
    return [direct_notice(NotificationKind.CHANGE_NOTICE, p, item, move, text, at) for p in people]
