"""Every message the Python code marks reaches the catalogs, wherever the marker is called (issue
20): Babel's token reader lost a `say()` written inside another call's arguments."""

from __future__ import annotations

import ast
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract

from govsched.i18n.catalogs import TEMPLATE, read_catalog, source_forms
from govsched.i18n.extraction import marker_calls
from govsched.i18n.maintain import KEYWORDS, ROOT

SOURCES = ("governance", "govsched", "workflows", "activities")
NESTED = b"""
notice = say("%(member)s is now %(status)s", member=m, status=term(say_in("word", "engaged")))
problem = Problem("roles", say_n("%(count)s role", "%(count)s roles", n, who=term(say("nobody"))))
"""


def _specs() -> dict[str, tuple[int | None, int]]:
    """marker -> (1-based index of its context or None, 1-based index of its message)."""
    specs: dict[str, tuple[int | None, int]] = {}
    for keyword in KEYWORDS:
        name, _, spec = keyword.partition(":")
        parts = spec.split(",") if spec else ["1"]
        context = next((int(p[:-1]) for p in parts if p.endswith("c")), None)
        message = next(int(p) for p in parts if not p.endswith("c"))
        specs[name] = (context, message)
    return specs


def _ids(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, source_forms(m)[0]) for m in catalog if m.id}


def test_a_message_marked_inside_another_calls_arguments_is_extracted() -> None:
    keywords = {"say": None, "say_n": (1, 2), "say_in": ((1, "c"), 2)}
    method = "govsched.i18n.extraction:extract"
    found = {
        (context, message)
        for _, message, _, context in extract(method, io.BytesIO(NESTED), keywords)
    }
    assert found == {
        (None, "%(member)s is now %(status)s"),
        ("word", "engaged"),
        (None, ("%(count)s role", "%(count)s roles")),
        (None, "nobody"),
    }
    # what Babel's own reader makes of the same lines: the inner messages are lost
    babel_found = {message for _, message, _, _ in extract("python", io.BytesIO(NESTED), keywords)}
    assert "engaged" not in babel_found
    assert "nobody" not in babel_found


def test_every_message_a_marker_is_called_with_is_in_the_template() -> None:
    """Read the code's syntax tree directly (not through the extractor): each marker called with
    a message written out finds it in the committed template; a marker given an f-string is
    refused, since no catalog can hold what it computes."""
    specs = _specs()
    template = _ids(read_catalog(TEMPLATE))
    missing: list[str] = []
    checked = 0
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for call, name in marker_calls(tree, specs):
                context_at, message_at = specs[name]
                if len(call.args) < message_at:
                    continue
                where = f"{Path(path).relative_to(ROOT)}:{call.lineno} {name}()"
                node = call.args[message_at - 1]
                if isinstance(node, ast.JoinedStr):
                    missing.append(f"{where}: an f-string is no message")
                    continue
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue  # a message marked elsewhere, passed by name
                context = None
                if context_at is not None:
                    context_node = call.args[context_at - 1]
                    assert isinstance(context_node, ast.Constant), where
                    context = str(context_node.value)
                checked += 1
                if (context, node.value) not in template:
                    missing.append(f"{where}: {node.value!r} is not in the template")
    assert checked > 1000  # the walk reached the code
    assert not missing, "run `make messages`:\n" + "\n".join(missing)
