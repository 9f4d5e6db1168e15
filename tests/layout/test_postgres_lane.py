"""The PostgreSQL lane (Makefile `POSTGRES_LANE`) runs every rehearsal and every workflow type
whose tests use the database, as issue 24 asks: a file added without joining it fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lane() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^POSTGRES_LANE \?= \\\n((?:  .*\\\n)*  .*\n)", makefile, re.M)
    assert block is not None, "POSTGRES_LANE not found in the Makefile"
    return {word.split("::")[0] for word in block.group(1).replace("\\", " ").split()}


def test_every_rehearsal_runs_on_postgresql() -> None:
    rehearsals = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests" / "rehearsal").glob("test_*.py")
        if path.name.endswith("_rehearsal.py") or path.name in {"test_rehearse.py"}
    }
    assert rehearsals - _lane() == set()


# Workflow tests on the database whose subject is not a workflow type: worker processes sharing
# a task queue, and the search attributes the Temporal server keeps (both run on SQLite).
NOT_A_WORKFLOW_TYPE = {
    "tests/workflows/test_several_workers.py",
    "tests/workflows/test_search_attributes.py",
}


def test_every_workflow_test_on_the_database_runs_on_postgresql() -> None:
    on_database = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests" / "workflows").glob("test_*.py")
        if "lane_db" in path.read_text(encoding="utf-8")
    } - NOT_A_WORKFLOW_TYPE
    assert on_database, "no workflow test uses the lane's database"
    assert on_database - _lane() == set()


def test_every_file_the_lane_names_exists() -> None:
    assert {path for path in _lane() if not (ROOT / path).exists()} == set()
