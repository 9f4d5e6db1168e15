"""The reporting cycle as a grid: one row per member, its report's state, the reviews of its
report and the reviews it owes, each with a link to the page where it is done or read.

The grid replaces a page of inline forms: every form has its own page
(`routes/report_forms.py`), so the grid stays one line per member however many members report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from governance.kernel.model import Role
from governance.reports.cycle import MissedReport
from govsched.http.web.auth import Viewer
from govsched.i18n.marking import N_
from govsched.services.reports import CycleView, ReportLine

STATES = ("open", "overdue", "submitted", "late")
STATE_LABELS = {
    "open": N_("Not yet in"),
    "overdue": N_("Overdue"),
    "submitted": N_("Submitted on time"),
    "late": N_("Submitted late"),
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
    for line in cycle.reports:
        if state and line.status != state:
            continue
        of = [r for r in cycle.reviews if r.report_of == line.member]
        by = [r for r in cycle.reviews if r.reviewer == line.member]
        open_to_submit = line.status in ("open", "overdue") and cycle.opens <= today <= cycle.closes
        found.append(
            GridRow(
                line=line,
                name=names.get(line.member, line.member),
                reviews_in=(sum(r.submitted_at is not None for r in of), len(of)),
                reviews_owed=(sum(r.submitted_at is not None for r in by), len(by)),
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
