"""The reporting cycle's facts: its dates from the annual plenary, and the cycles still open."""

from __future__ import annotations

from sqlalchemy.orm import Session

from governance.kernel.model import PlenaryKind, plenary_id
from governance.reports.cycle import CycleDates, cycle_dates
from governance.reports.cycle_log import CycleLog
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo


def dates_of(session: Session, year: int, rulebook: Rulebook) -> CycleDates | None:
    """The cycle's dates under the rulebook, from the year's annual plenary (None without one)."""
    plenary = registry_repo.get_plenary(session, plenary_id(year))
    if plenary is None or plenary.kind is not PlenaryKind.ANNUAL:
        return None
    return cycle_dates(plenary, rulebook)


def open_cycle_years(session: Session) -> list[int]:
    """Years whose annual plenary is scheduled and whose cycle has not closed, or has closed
    with a review's feedback still to send (a review taken after the close whose wake was lost
    with the workflow service): a starting worker wakes each."""
    return [
        p.year
        for p in registry_repo.list_plenaries(session)
        if p.kind is PlenaryKind.ANNUAL
        and (
            not CycleLog.of(report_repo.done_steps(session, p.year)).closed
            or bool(report_repo.pending_feedback(session, p.year, 1))
        )
    ]
