"""The worker names its own build ID from the sources it runs (ARCHITECTURE.md, "The sandbox the
workflows run in"): the same sources give the same ID, a changed source a new one."""

from __future__ import annotations

import string
import sys
from pathlib import Path

import pytest

from govsched import worker


def _probe_package(root: Path, body: str) -> None:
    package = root / "buildidprobe"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "rules.py").write_text(body, encoding="utf-8")


def test_the_build_id_follows_the_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(worker, "BUILD_ID_PACKAGES", ("buildidprobe",))
    compute = worker.build_id.__wrapped__
    try:
        _probe_package(tmp_path, "LIMIT = 3\n")
        first = compute()
        assert compute() == first
        _probe_package(tmp_path, "LIMIT = 4\n")
        changed = compute()
        assert changed != first
        _probe_package(tmp_path, "LIMIT = 3\n")
        assert compute() == first
    finally:
        sys.modules.pop("buildidprobe", None)


def test_the_project_worker_carries_an_id_of_its_own() -> None:
    named = worker.build_id()
    assert len(named) == 32
    assert set(named) <= set(string.hexdigits.lower())
    assert worker.build_id() is named  # computed once per process
