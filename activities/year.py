"""Activities of the governance year: what milestone notices are due, and waking the year."""

from __future__ import annotations

from temporalio import activity
from temporalio.client import Client

from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from governance.year.contracts import (
    WakeYear,
    YearDue,
    YearDueRequest,
)
from govsched.persistence.commands import year as commands
from govsched.persistence.commands.reports import open_cycle_years
from govsched.persistence.db import Database
from govsched.persistence.repos import handover as handover_repo
from govsched.temporal.starters import wake_cycle, wake_handovers, wake_year


class YearActivities:
    def __init__(self, db: Database, rulebook: Rulebook) -> None:
        self._db = db
        self._rulebook = rulebook

    @activity.defn(name="year-agenda")
    def agenda(self, request: YearDueRequest) -> YearDue:
        """The milestone and seat-expiry notices due at `now` and not yet sent, and the next
        moment to look. (Named `agenda` for its Temporal name, kept for running histories.)"""
        with self._db.reading() as session:
            return commands.due_now(session, request, self._rulebook)


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
