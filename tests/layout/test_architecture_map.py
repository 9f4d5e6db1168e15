"""ARCHITECTURE.md's map matches the tree (issue 18): every folder it names is a package (or,
at the top, a folder) and every module it names is a file, at the place its indentation says;
and every package of the product is on the map, down to a capability."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRY = re.compile(r"^(?P<indent> *)(?P<name>[\w.]+/|[\w]+\.py)(?:\s|$)")
PRODUCT = ("governance", "workflows", "activities", "govsched")


def _map() -> list[str]:
    text = (ROOT / "ARCHITECTURE.md").read_text()
    section = text.split("## The map", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    paths: list[str] = []
    parents: list[tuple[int, str]] = []
    for line in block.splitlines():
        match = ENTRY.match(line)
        if match is None:
            continue  # a description carried on to the next line
        indent, name = len(match["indent"]), match["name"]
        while parents and parents[-1][0] >= indent:
            parents.pop()
        path = "/".join([*(p for _, p in parents), name.rstrip("/")])
        paths.append(path + ("/" if name.endswith("/") else ""))
        if name.endswith("/"):
            parents.append((indent, name.rstrip("/")))
    return paths


def test_every_folder_and_module_on_the_map_exists() -> None:
    paths = _map()
    assert len(paths) > 40, "the map was not read"
    missing = []
    for path in paths:
        target = ROOT / path.rstrip("/")
        if path.endswith("/"):
            top = "/" not in path.rstrip("/")
            package = (target / "__init__.py").is_file()
            if not (package or (top and target.is_dir())):
                missing.append(path)
        elif not target.is_file():
            missing.append(path)
    assert missing == []


def test_every_package_of_the_product_is_on_the_map() -> None:
    mapped = {p.rstrip("/") for p in _map() if p.endswith("/")}
    packages = sorted(
        str(init.parent.relative_to(ROOT))
        for top in PRODUCT
        for init in (ROOT / top).rglob("__init__.py")
    )
    assert [p for p in packages if p not in mapped] == []
