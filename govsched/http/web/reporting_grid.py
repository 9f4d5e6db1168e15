"""The reporting cycle as a grid: one row per member, its report's state, the reviews of its
report and the reviews it owes, each with a link to the page where it is done or read.

The grid replaces a page of inline forms: every form has its own page
(`routes/report_forms.py`), so the grid stays one line per member however many members report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from governance.kernel.model import Role
from governance.reports.cycle import MissedReport
from govsched.http.web.auth import Viewer
from govsched.i18n.marking import N_
from govsched.services.reports import CycleView, ReportLine

# Rows on one page of the grid: a registry of thousands of members made a page of megabytes
# (13 MB at 20,000), which a phone cannot take; the counts above it link to each state.
PAGE_ROWS = 100
# Overdue reviews listed one by one under the grid; the rest are counted (thousands of them
# made a page of 3 MB at 20,000 members).
OVERDUE_LISTED = 20
STATES = ("open", "overdue", "submitted", "late", "after_close")
STATE_LABELS = {
    "open": N_("Not yet in"),
    "overdue": N_("Overdue"),
    "submitted": N_("Submitted on time"),
    "late": N_("Submitted late"),
    "after_close": N_("Received after the cycle closed"),
}


@dataclass(frozen=True)
class GridRow:
    line: ReportLine
    name: str
    reviews_in: tuple[int, int]  # (reviewed, assigned) of this member's report
    reviews_owed: tuple[int, int]  # (reviewed, assigned) by this member
    submit_link: str | None
    missed_in_a_row: int = 0
    escalation: str = ""


def may_submit_report(viewer: Viewer, member: str) -> bool:
    """A member's focal point, or the Secretariat on its behalf (as the API allows)."""
    own = viewer.person.member if viewer.holds(Role.FOCAL_POINT) else None
    return member == own or viewer.holds(Role.SECRETARIAT)


def report_link(year: int, member: str) -> str:
    return f"/web/reports/{year}/report?member={member}"


def review_link(year: int, report_of: str, reviewer: str) -> str:
    return f"/web/reports/{year}/reviews/{report_of}?reviewer={reviewer}"


def rows(
    cycle: CycleView, names: dict[str, str], viewer: Viewer, today: date, state: str = ""
) -> list[GridRow]:
    """One row per member the person may see, optionally only those in `state`."""
    found = []
    missed = {m.member: m for m in cycle.escalations}
    # (reviewed, assigned) by member, counted in one pass: a pass over every review for each
    # member made the page quadratic (minutes for the Secretariat at 20,000 members)
    reviews_in: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    reviews_owed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for review in cycle.reviews:
        done = review.submitted_at is not None
        for counts_of in (reviews_in[review.report_of], reviews_owed[review.reviewer]):
            counts_of[0] += done
            counts_of[1] += 1
    for line in cycle.reports:
        if state and line.status != state:
            continue
        of = reviews_in.get(line.member, (0, 0))
        by = reviews_owed.get(line.member, (0, 0))
        open_to_submit = line.status in ("open", "overdue") and cycle.opens <= today
        found.append(
            GridRow(
                line=line,
                name=names.get(line.member, line.member),
                reviews_in=(of[0], of[1]),
                reviews_owed=(by[0], by[1]),
                submit_link=report_link(cycle.year, line.member)
                if open_to_submit and may_submit_report(viewer, line.member)
                else None,
                missed_in_a_row=missed[line.member].missed_in_a_row if line.member in missed else 0,
                escalation=_escalation(missed.get(line.member)),
            )
        )
    return sorted(found, key=lambda r: (r.name, r.line.member))


def _escalation(missed: MissedReport | None) -> str:
    if missed is None or missed.escalation is None:
        return ""
    return missed.escalation.value.replace("_", " ")


def counts(cycle: CycleView) -> dict[str, int]:
    found = Counter(line.status for line in cycle.reports)
    return {s: found.get(s, 0) for s in STATES}
