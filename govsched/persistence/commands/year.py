"""The governance year's facts: the milestone and seat-expiry notices due now, and when the
year looks again and ends. Nothing is written: the notices are delivered (and recorded in the
ledger) by the workflow, one activity each."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from governance.groups import nominations
from governance.kernel.model import PlenaryKind, plenary_id
from governance.kernel.timekeeping import end_of_day
from governance.rulebook.model import Rulebook
from governance.year.contracts import YearDue, YearDueRequest
from governance.year.milestones import latest_step, next_step_at, step_notices
from governance.year.seats import due_expiries
from govsched.persistence.commands import group_nominations
from govsched.persistence.commands.handover import chair_holders
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo


def year_end(annual_plenary_ends: date | None, year: int, tz: str) -> datetime:
    """A governance year ends with its annual plenary (the Chair handover), or with the
    calendar year when no plenary is held that year."""
    return end_of_day(annual_plenary_ends or date(year, 12, 31), tz)


def due_now(session: Session, request: YearDueRequest, rulebook: Rulebook) -> YearDue:
    """The milestone, seat-expiry and group-nomination notices due at `now` and not yet sent,
    and the next moment to look."""
    chairs = chair_holders(session, request.now)
    notices = []
    upcoming = []
    for milestone in milestone_repo.open_milestones(session):
        step = latest_step(milestone, request.now, rulebook)
        if step is not None:
            for notice in step_notices(milestone, step, rulebook, chairs):
                if notification_repo.status_of(session, notice.key) is None:
                    notices.append(notice)
        following = next_step_at(milestone, request.now, rulebook)
        if following is not None:
            upcoming.append(following)
    seats = registry_repo.list_seats(session)
    names = registry_repo.member_names(session, {s.member for s in seats})
    expiring, next_expiry = due_expiries(seats, request.now, names, rulebook)
    notices += [n for n in expiring if notification_repo.status_of(session, n.key) is None]
    if next_expiry is not None:
        upcoming.append(next_expiry)
    annual = registry_repo.get_plenary(session, plenary_id(request.year))
    # the groups' plenary nominations (issue 23): steps of this year, so no workflow changed
    notices += group_nominations.due_notices(session, annual, request.now, rulebook)
    following = nominations.next_step_at(annual, request.now, rulebook)
    if following is not None:
        upcoming.append(following)
    ends = annual.ends if annual is not None and annual.kind is PlenaryKind.ANNUAL else None
    return YearDue(
        notices=notices,
        next_at=min(upcoming) if upcoming else None,
        year_ends_at=year_end(ends, request.year, rulebook.initiative.timezone),
    )
