"""Starting the long-running processes for what was recorded without them.

A registry loaded with `govsched seed` (or a scenario's inline members) holds Engaged members and
scheduled plenaries whose processes no workflow started. Every worker makes sure they run when it
starts; starting is idempotent (one workflow id per member or plenary), so several workers
starting at once start each process once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio.client import Client

from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from governance.year.contracts import YEAR_WORKFLOW_ID, WakeYear
from govsched.persistence.commands.reports import open_cycle_years
from govsched.persistence.db import Database
from govsched.persistence.repos import handover as handover_repo
from govsched.services.applications import ApplicationService
from govsched.services.concerns import wake_open_concerns
from govsched.services.group_plans import wake_open_plans
from govsched.services.roster import RosterService
from govsched.temporal.starters import wake_cycle, wake_handovers, wake_year


async def ensure_processes(
    client: Client,
    db: Database,
    rulebook: Rulebook,
    task_queue: str,
    at: datetime,
    clock_offset: timedelta = timedelta(0),
) -> list[str]:
    """The ids of the workflows started now (those already running are left alone), the
    governance year's, and those of the Chair handovers and reporting cycles still to come."""
    engaged = ApplicationService(client, db, rulebook, task_queue, clock_offset)
    rosters = RosterService(client, db, rulebook, task_queue, clock_offset)
    started = [*await engaged.ensure_engaged_periods(at), *await rosters.ensure_rosters(at)]
    # The governance year always runs: started for the current year, or told to look again.
    order = WakeYear(at=at, clock_offset=clock_offset)
    await wake_year(client, task_queue, order, local_date(at, rulebook.initiative.timezone).year)
    with db.reading() as session:
        open_handovers = handover_repo.open_years(session)
        open_cycles = open_cycle_years(session)
    handovers = await wake_handovers(client, task_queue, open_handovers, clock_offset)
    cycles = [await wake_cycle(client, task_queue, y, clock_offset) for y in open_cycles]
    concerns = await wake_open_concerns(client, db, rulebook, task_queue, clock_offset)
    plans = await wake_open_plans(client, db, task_queue, clock_offset)
    return [*started, YEAR_WORKFLOW_ID, *handovers, *cycles, *concerns, *plans]
