"""Starting the long-running processes for what was recorded without them.

A registry loaded with `govsched seed` (or a scenario's inline members) holds Engaged members and
scheduled plenaries whose processes no workflow started. Every worker makes sure they run when it
starts; starting is idempotent (one workflow id per member or plenary), so several workers
starting at once start each process once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio.client import Client

from governance.rulebook import Rulebook
from persistence.db import Database
from service.applications import ApplicationService
from service.rosters import RosterService


async def ensure_processes(
    client: Client,
    db: Database,
    rulebook: Rulebook,
    task_queue: str,
    at: datetime,
    clock_offset: timedelta = timedelta(0),
) -> list[str]:
    """The ids of the workflows started now (those already running are left alone)."""
    engaged = ApplicationService(client, db, rulebook, task_queue, clock_offset)
    rosters = RosterService(client, db, rulebook, task_queue, clock_offset)
    return [*await engaged.ensure_engaged_periods(at), *await rosters.ensure_rosters(at)]
