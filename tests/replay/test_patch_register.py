"""The register of workflow.patched ids (workflows/base/patches.py) is complete and true.

Every id a workflow asks about is registered with when it can be deprecated; every registered
id is still asked about; the histories it says replay the old branch were recorded before the
patch (they hold no marker for it), and some committed history holds the new branch.
"""

from __future__ import annotations

import ast
import base64
import importlib
import json
import re
from pathlib import Path

from workflows import WORKFLOWS
from workflows.base.patches import PATCHES, REGISTER

ROOT = Path(__file__).resolve().parents[2]
HISTORIES = Path(__file__).parent / "histories"
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _patched_ids() -> dict[str, set[str]]:
    """Each id passed to workflow.patched in workflows/, with the modules asking about it."""
    asked: dict[str, set[str]] = {}
    for path in sorted((ROOT / "workflows").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "patched"
            ):
                continue
            (arg,) = node.args
            if isinstance(arg, ast.Constant):
                value = str(arg.value)
            else:
                assert isinstance(arg, ast.Name), f"{module}: patched() with {ast.dump(arg)}"
                value = getattr(importlib.import_module(module), arg.id)
            asked.setdefault(value, set()).add(module)
    return asked


def _history(name: str) -> tuple[str, set[str]]:
    """A committed history's workflow type, and the patch ids its markers record."""
    events = json.loads((HISTORIES / name).read_text())["events"]
    started = events[0]["workflowExecutionStartedEventAttributes"]
    ids = set()
    for event in events:
        marker = event.get("markerRecordedEventAttributes")
        if marker and marker["markerName"] == "core_patch":
            for payload in marker["details"]["patch-data"]["payloads"]:
                ids.add(json.loads(base64.b64decode(payload["data"]))["id"])
    return started["workflowType"]["name"], ids


def test_every_patched_id_is_registered_and_every_registered_id_is_asked_about() -> None:
    asked = _patched_ids()
    assert asked, "no workflow.patched call found: the scan is broken"
    assert sorted(set(asked) - set(PATCHES)) == []
    assert sorted(set(PATCHES) - set(asked)) == []


def test_ids_are_kebab_case_never_reused_and_say_when_they_can_go() -> None:
    assert len(PATCHES) == len(REGISTER)
    types = {getattr(w, "__temporal_workflow_definition").name for w in WORKFLOWS}
    for patch in REGISTER:
        assert KEBAB.match(patch.id), patch.id
        assert patch.why, patch.id
        assert patch.old_branch, patch.id
        assert patch.deprecate_when, patch.id
        assert set(patch.workflows) <= types, patch.id


def test_old_branch_histories_predate_the_patch_and_the_new_branch_is_recorded() -> None:
    histories = {path.name: _history(path.name) for path in sorted(HISTORIES.glob("*.json"))}
    for patch in REGISTER:
        for name in patch.old_histories:
            assert name in histories, f"{patch.id}: no history {name}"
            workflow_type, ids = histories[name]
            assert workflow_type in patch.workflows, f"{patch.id}: {name} is a {workflow_type}"
            assert patch.id not in ids, f"{patch.id}: {name} was recorded with the patch"
        recorded = [n for n, (_, ids) in histories.items() if patch.id in ids]
        assert recorded, f"{patch.id}: no committed history replays its new branch"
