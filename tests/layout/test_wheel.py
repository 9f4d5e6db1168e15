"""The wheel installs exactly five top-level names (issue 18): the rules, the workflows, the
activities, the worker and one `govsched` package for everything else, never a generic `api`,
`web`, `cli` or `config` in someone's environment."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"activities", "governance", "govsched", "workflows", "worker"}


def _top_level(wheel: Path) -> set[str]:
    names = set()
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            first = name.split("/")[0]
            if first.endswith((".dist-info", ".data")):
                continue
            names.add(first.removesuffix(".py"))
    return names


def test_the_built_wheel_installs_exactly_the_five_names(tmp_path: Path) -> None:
    # the pinned hatchling of [build-system], offline: no build isolation, no dependencies
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("govsched-*.whl")
    assert _top_level(wheel) == EXPECTED
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
        assert "govsched = govsched.cli.main:main" in archive.read(entry_points).decode()
        # the web workspace's templates and static files travel with it
        assert "govsched/http/web/templates/base.html" in archive.namelist()
