"""How long each test file took in a measured run, so that `make test` starts the longest first.

`pytest-xdist --dist loadfile` hands each worker one file at a time, in the order the files
come; by default it orders them by their number of tests, which puts the slowest files (a
browser crawl, a chaos run, a stack's first start: one or two tests each) last, where one
worker runs them alone while the other idles. `tests/conftest.py` sorts the collection by the
seconds recorded here instead, longest first (files not recorded yet come first of all, as if
long), and `make test` passes `--no-loadscope-reorder` so the order is kept.

The figures are a run's JUnit report summed per file (`make test` writes the SQLite lane's to
test-artifacts/lanes/sqlite.xml); refresh them when files are added or change much:

    .venv/bin/python -m tests.file_seconds test-artifacts/lanes/sqlite.xml
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

RECORDED = Path(__file__).with_name("file_seconds.json")
# a file not recorded yet is scheduled as if it were this long: early, so it cannot end a run
UNRECORDED = 600.0


def recorded() -> dict[str, float]:
    seconds: dict[str, float] = json.loads(RECORDED.read_text(encoding="utf-8"))
    return seconds


def seconds_of(path: str, table: dict[str, float]) -> float:
    return table.get(path, UNRECORDED)


def from_junit(report: Path) -> dict[str, float]:
    """Seconds per test file (setup, call and teardown of each test) in a JUnit report."""
    per_file: dict[str, float] = defaultdict(float)
    for case in ElementTree.parse(report).iter("testcase"):
        parts = case.get("classname", "").split(".")
        while parts and parts[-1][:1].isupper():  # a test class, not a module
            parts.pop()
        per_file["/".join(parts) + ".py"] += float(case.get("time", "0"))
    return {path: round(total, 1) for path, total in sorted(per_file.items())}


if __name__ == "__main__":
    table = from_junit(Path(sys.argv[1]))
    RECORDED.write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(table)} files, {sum(table.values()):.0f} s in all: {RECORDED}\n")
