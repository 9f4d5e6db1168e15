"""Test files that share a per-process fixture, kept on one xdist worker.

`make test` hands each worker one file at a time (`--dist loadfile`). Files that share a session
fixture then each pay for it on every worker they land on: the browser files share one embedded
stack (tests/web/conftest.py, a whole `govsched run`). Scheduled as one unit, it is made once
per run instead of once per worker. The unit is long, so it is handed out first (tests/conftest.py
orders by it). The chaos files, which share an undisturbed baseline run, are not a family: run
one after another in one process, an experiment once waited out its timeout on a Temporal server
it could not reach (6 December 2026, a loaded machine; not understood yet), so they stay spread.
"""

from __future__ import annotations

import re

from xdist.scheduler import LoadFileScheduling

FAMILIES = {
    "the browser stack": re.compile(r"tests/web/(test_browser[a-z_]*|test_docs_offline)\.py$"),
}


def family_of(path: str) -> str:
    """The unit a test file is scheduled in: its family's name, or the file itself."""
    return next((name for name, files in FAMILIES.items() if files.match(path)), path)


class FamilyScheduling(LoadFileScheduling):  # type: ignore[misc]  # xdist has no types
    """`--dist loadfile`, with each family of files as one unit."""

    def _split_scope(self, nodeid: str) -> str:
        return family_of(super()._split_scope(nodeid))
