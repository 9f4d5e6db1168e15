"""Every module of the product is under the import contracts (issue 18): the layers contract
names a layer for each, from the command line down to the rules, and names nothing that is not
there."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import grimp

ROOT = Path(__file__).resolve().parents[2]


def _linter() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    linter: dict[str, Any] = config["tool"]["importlinter"]
    return linter


def _layers() -> list[str]:
    (layers,) = [c for c in _linter()["contracts"] if c["type"] == "layers"]
    return [name for line in layers["layers"] for name in re.split(r"\s*[|:]\s*", line.strip())]


def test_every_module_is_in_a_layer() -> None:
    roots = _linter()["root_packages"]
    graph = grimp.build_graph(*roots, cache_dir=None)
    layers = _layers()
    outside = sorted(
        module
        for module in graph.modules
        if module not in roots
        and not any(module == n or module.startswith(f"{n}.") for n in layers)
    )
    assert len(graph.modules) > 200, "the graph is missing modules"
    assert outside == []


def test_every_layer_names_modules_that_exist() -> None:
    graph = grimp.build_graph(*_linter()["root_packages"], cache_dir=None)
    assert [layer for layer in _layers() if layer not in graph.modules] == []


def test_the_wheel_and_the_contracts_name_the_same_packages() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert sorted(wheel) == sorted(_linter()["root_packages"])
