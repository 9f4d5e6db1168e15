"""Every workflow handler and every activity says what it decides and what it refuses (issue
18): a newcomer reads the contract of a step where the step is registered."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = ("workflow.run", "workflow.update", "workflow.signal", "workflow.query")


def _registered(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        text = ast.unparse(decorator)
        if text.startswith(("activity.defn", *HANDLERS)) or text.endswith(".validator"):
            return True
    return False


def test_every_handler_and_activity_has_a_docstring() -> None:
    found, missing = 0, []
    for folder in ("activities", "workflows"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _registered(node):
                    found += 1
                    if not ast.get_docstring(node):
                        missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert found > 60, f"only {found} handlers and activities found: the scan is broken"
    assert missing == []
