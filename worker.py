"""The worker: every workflow and activity of govsched on one task queue.

The worker the project keeps at its top (`govsched worker` runs it). Its code is
govsched.worker, where the import contracts cover it (import-linter analyzes packages, not a
module at the top); this module names what it offers.
"""

from __future__ import annotations

from govsched.services.notifiers import notifier_for
from govsched.worker import (
    ACTIVITY_THREADS,
    SearchAttributesMissing,
    activities_for,
    build_worker,
    connect_waiting,
    limit_malloc_arenas,
    register_search_attributes,
    run,
    start_seeded_processes,
)

__all__ = [
    "ACTIVITY_THREADS",
    "SearchAttributesMissing",
    "activities_for",
    "build_worker",
    "connect_waiting",
    "limit_malloc_arenas",
    "notifier_for",
    "register_search_attributes",
    "run",
    "start_seeded_processes",
]
