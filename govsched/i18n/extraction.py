"""Finding the messages in the product's Python by its syntax tree, not its tokens.

Babel's own Python extractor reads tokens and loses a marker called inside another call's
arguments (`say("... %(state)s", state=term(say("engaged")))`: the inner message never reached
the catalogs). Reading the syntax tree finds every call to a marker wherever it is written;
`make messages` uses this for every Python file (babel.cfg's `[extractors]`).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

# What Babel expects from an extractor: (line, marker, its arguments, translator comments).
Found = tuple[int, str, str | tuple[str | None, ...] | None, list[str]]


def _name(call: ast.Call) -> str | None:
    match call.func:
        case ast.Name(id=name):
            return name
        case ast.Attribute(attr=name):
            return name
    return None


def _literal(node: ast.expr) -> str | None:
    """A message written out; anything computed (an f-string, a name) is None, as Babel has it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def marker_calls(tree: ast.AST, keywords: Collection[str]) -> Iterator[tuple[ast.Call, str]]:
    """Every call to one of `keywords`, however deeply it sits in other calls."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node)
            if name is not None and name in keywords:
                yield node, name


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],  # noqa: ARG001 (no translator comments in our Python)
    options: Mapping[str, Any],
) -> Iterator[Found]:
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    tree = ast.parse(source)
    calls = sorted(marker_calls(tree, keywords), key=lambda found: found[0].lineno)
    for call, name in calls:
        if any(isinstance(arg, ast.Starred) for arg in call.args):
            continue
        messages = tuple(_literal(arg) for arg in call.args)
        if not messages:
            continue
        yield call.lineno, name, messages if len(messages) > 1 else messages[0], []
