"""Activities of the governance year: what milestone notices are due, and waking the year."""

from __future__ import annotations

from datetime import date, datetime

from temporalio import activity
from temporalio.client import Client

from governance.kernel.model import PlenaryKind, Role, plenary_id
from governance.kernel.timekeeping import end_of_day, local_date
from governance.rulebook.model import Rulebook
from governance.year.contracts import (
    WakeYear,
    YearDue,
    YearDueRequest,
)
from governance.year.milestones import latest_step, next_step_at, step_notices
from governance.year.seats import due_expiries
from govsched.persistence.commands.reports import open_cycle_years
from govsched.persistence.db import Database
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.temporal.starters import wake_cycle, wake_handovers, wake_year


def year_end(annual_plenary_ends: date | None, year: int, tz: str) -> datetime:
    """A governance year ends with its annual plenary (the Chair handover), or with the
    calendar year when no plenary is held that year."""
    return end_of_day(annual_plenary_ends or date(year, 12, 31), tz)


class YearActivities:
    def __init__(self, db: Database, rulebook: Rulebook) -> None:
        self._db = db
        self._rulebook = rulebook
        self._tz = rulebook.initiative.timezone

    @activity.defn(name="year-agenda")
    def agenda(self, request: YearDueRequest) -> YearDue:
        """The milestone and seat-expiry notices due at `now` and not yet sent, and the next
        moment to look."""
        with self._db.reading() as session:
            chairs = registry_repo.people_with_role(session, Role.CHAIR)
            notices = []
            upcoming = []
            for milestone in milestone_repo.open_milestones(session):
                step = latest_step(milestone, request.now, self._rulebook)
                if step is not None:
                    for notice in step_notices(milestone, step, self._rulebook, chairs):
                        if notification_repo.status_of(session, notice.key) is None:
                            notices.append(notice)
                following = next_step_at(milestone, request.now, self._rulebook)
                if following is not None:
                    upcoming.append(following)
            seats = registry_repo.list_seats(session)
            names = registry_repo.member_names(session, {s.member for s in seats})
            expiring, next_expiry = due_expiries(seats, request.now, names, self._rulebook)
            notices += [n for n in expiring if notification_repo.status_of(session, n.key) is None]
            if next_expiry is not None:
                upcoming.append(next_expiry)
            annual = registry_repo.get_plenary(session, plenary_id(request.year))
        ends = annual.ends if annual is not None and annual.kind is PlenaryKind.ANNUAL else None
        return YearDue(
            notices=notices,
            next_at=min(upcoming) if upcoming else None,
            year_ends_at=year_end(ends, request.year, self._tz),
        )


class YearWaker:
    def __init__(self, client: Client, task_queue: str, rulebook: Rulebook, db: Database) -> None:
        self._client = client
        self._task_queue = task_queue
        self._tz = rulebook.initiative.timezone
        self._db = db

    @activity.defn(name="wake-governance-year")
    async def wake(self, order: WakeYear) -> list[str] | None:
        """Signal the running year (starting it, for the year of `at`, if none runs), and every
        Chair handover still to happen and every reporting cycle still open; returns the ids of
        those workflows.

        (Optional in the signature: histories from before the handover recorded no result.)
        """
        await wake_year(self._client, self._task_queue, order, local_date(order.at, self._tz).year)
        with self._db.reading() as session:
            handovers = handover_repo.open_years(session)
            cycles = open_cycle_years(session)
        offset = order.clock_offset
        woken = await wake_handovers(self._client, self._task_queue, handovers, offset)
        for year in cycles:
            woken.append(await wake_cycle(self._client, self._task_queue, year, offset))
        return woken
