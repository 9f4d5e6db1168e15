"""One of every notice written as a message, for the rendering tests (issue 20).

Each governance module whose notices carry a message adds its notices here, so the pseudo-locale
test covers every notification kind the module sends.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.notices import Notification
from governance.reports import notices as reports
from governance.reports.cycle import CycleDates, EscalationKind, MissedReport, ReportKind, Review
from governance.rulebook.model import Rulebook

AT = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
DATES = CycleDates(
    year=2027,
    plenary_id="plenary-2027",
    opens=date(2027, 1, 2),
    due=date(2027, 4, 1),
    review_due=date(2027, 4, 20),
    plenary_ends=date(2027, 5, 21),
)


def report_notices(name: str = "Norland", count: int = 3) -> list[Notification]:
    names = [f"{name} {i}" for i in range(count)]
    missed = [
        MissedReport(year=2027, member=f"m{i}", missed_in_a_row=1 + i % 3, escalation=kind, at=AT)
        for i, kind in enumerate(
            [EscalationKind.REFERRED, EscalationKind.PROPOSE_INACTIVE] * max(1, count)
        )
    ]
    review = Review(
        year=2027,
        report_of="m0",
        reviewer="r",
        reason="assigned",
        assigned_at=AT,
        url="https://example.org/r/1",
    )
    return [
        *reports.opened(DATES, AT, names),
        *reports.report_reminder(DATES, "m0", ReportKind.FULL, ["p"], "due-14", AT),
        *reports.report_reminder(DATES, "m0", ReportKind.UPDATE, ["p"], "due-14", AT),
        *reports.report_overdue(DATES, "m0", ["p"], "overdue", AT),
        *reports.escalations(DATES, missed, {"m0": name}, AT),
        *reports.assigned(DATES, "r", {"m0": name, "m1": "Estavia"}, ["p"], AT),
        *reports.review_reminder(DATES, "r", names, ["p"], "due-2", AT),
        *reports.reviews_late(DATES, names, AT),
        *reports.feedback(review, name, ["p"], AT),
        *reports.cannot_assign(2027, [(n, "no reviewer") for n in names], count + 1, AT),
        reports.back_from_inactive(2027, "m0", name, AT, Rulebook()),
        *reports.report_moved(2027, "m0", date(2027, 4, 1), date(2027, 4, 8), ["p"], AT),
        *reports.reviews_moved(2027, "r", date(2027, 4, 20), date(2027, 4, 27), ["p"], AT),
    ]


def every_notice(name: str = "Norland", count: int = 3) -> list[Notification]:
    return [*report_notices(name, count)]
