"""Reading the YAML files people write (scenarios, rulebooks, values): safe, and strict.

- **A key written twice** in one mapping is refused, naming the key and both lines. YAML's own
  loaders keep the last value without a word, so a scenario with two `until:` or a rulebook
  with two `roster:` sections would run with half of what its author wrote.
- **Text that is not valid** (a `"\\ud800"` or `"\\0"` escape: an unpaired surrogate or NUL) is
  refused naming its line, as the API refuses it in a request (governance.kernel.text).
- **A value that does not fit its type** (`2027-02-29`, `2027-03-01T25:00:00`, `!!int x`, an
  integer of more digits than Python reads) is refused naming its field, line and why, where
  PyYAML lets a ValueError (or a KeyError...) escape.
- **A document that contains itself** (`a: &a [*a]`) is refused naming the alias and its line:
  no file a person writes needs one, and whatever walks it next recurses without end. One that
  nests too deeply to be read is refused too.
- **Aliases that repeat the document past `MOST_REPEATED` values** (the "billion laughs": nine
  aliases of nine aliases of ... a list) are refused naming the first alias and its line. The
  loader shares what an alias names, so reading is quick, but whatever walks the values next
  (the text checks, validation, JSON) walks every repetition: a 1 KB values file held the
  command for minutes. A document without aliases repeats nothing, whatever its size.

Every refusal is a `yaml.YAMLError`, so a caller that turns that into its own refusal covers all
of them. Merge keys (`<<: *defaults`) are not duplicates: the keys written beside them override
them, as YAML says.
"""

from __future__ import annotations

import sys
from typing import Any, cast

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.error import Mark
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from governance.kernel.text import text_problem

_MERGE_TAG = "tag:yaml.org,2002:merge"
# The scalar types whose PyYAML constructors fail on text that does not fit them (an explicit
# `!!bool x`, a date past the month's end) with a Python exception, not a YAMLError: what each
# one should be, as a refusal says it.
_TYPED_SCALARS = {
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date or a date and time",
}
# What those constructors raise on such text (a KeyError for `!!bool x`, an AttributeError for
# `!!timestamp x`, an IndexError for `!!int ''`, a ValueError for `2027-02-30`).
_UNFIT = (ValueError, OverflowError, KeyError, AttributeError, IndexError)
_SHOWN = 40  # characters of a refused value quoted in its refusal
# Values aliases may add to a document, past those written in it: merge keys and shared
# defaults add a few hundred; a bomb adds millions.
MOST_REPEATED = 100_000


class YamlTooDeep(yaml.YAMLError):
    """A document nesting deeper than the reader's recursion allows."""


class YamlRepeatsTooMuch(yaml.YAMLError):
    """A document whose aliases add more than MOST_REPEATED values to it."""


class StrictLoader(yaml.SafeLoader):
    """`yaml.SafeLoader`, refusing duplicate keys, invalid text, values that do not fit their
    type and documents that contain themselves."""

    def __init__(self, stream: str, name: str) -> None:
        super().__init__(stream)
        self.name = name  # where a refusal says it is (PyYAML's own: "<unicode string>")
        self._open_anchors: list[str] = []  # the anchors of the collections being composed
        self._steps: list[str] = []  # the dotted path to the node being composed
        self._paths: dict[int, str] = {}  # each node's path, by id (the nodes outlive this)
        self.first_alias: tuple[str, int] | None = None  # its anchor and line

    # composing: where each node is, and no alias to a collection from inside it

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event: AliasEvent = self.peek_event()  # type: ignore[no-untyped-call]
            mark = cast(Mark, event.start_mark)  # the pure-Python parser's, always set
            if event.anchor in self._open_anchors:
                raise ComposerError(
                    None,
                    None,
                    f"the alias *{event.anchor} on line {mark.line + 1} is inside the "
                    f"collection &{event.anchor} it names: a document cannot contain itself",
                    mark,
                )
            if self.first_alias is None:
                self.first_alias = (str(event.anchor), mark.line + 1)
            return super().compose_node(parent, index)
        step = (
            str(index)
            if isinstance(index, int)
            else index.value
            if isinstance(index, ScalarNode)
            else None  # a mapping's key: where its mapping is
        )
        if step is not None:
            self._steps.append(step)
        try:
            node = super().compose_node(parent, index)
        finally:
            if step is not None:
                self._steps.pop()
        self._paths[id(node)] = ".".join(self._steps if step is None else [*self._steps, step])
        return node

    # (the stubs type `anchor` as a dict; it is the anchor's name, or None)
    def compose_sequence_node(self, anchor: Any) -> SequenceNode:
        return self._open(anchor, super().compose_sequence_node)  # type: ignore[no-any-return]

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        return self._open(anchor, super().compose_mapping_node)  # type: ignore[no-any-return]

    def _open(self, anchor: str | None, compose: Any) -> Any:
        if anchor is None:
            return compose(anchor)
        self._open_anchors.append(anchor)
        try:
            return compose(anchor)
        finally:
            self._open_anchors.pop()

    # constructing

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if not isinstance(node, ScalarNode) or node.tag not in _TYPED_SCALARS:
            return super().construct_object(node, deep=deep)
        try:
            return super().construct_object(node, deep=deep)
        except _UNFIT as exc:
            why = self._unfit(node, _TYPED_SCALARS[node.tag], exc)
            raise ConstructorError(None, None, why, node.start_mark) from None

    def _unfit(self, node: ScalarNode, kind: str, exc: Exception) -> str:
        """Why the scalar `node` cannot be read as `kind`, naming its field and line."""
        value = str(node.value)
        shown = repr(value) if len(value) <= _SHOWN else f"{value[:_SHOWN]!r}..."
        path = self._paths.get(id(node))
        where = f"{path}: " if path else ""
        said = f"{where}{shown} on line {node.start_mark.line + 1} is not {kind}"
        limit = sys.get_int_max_str_digits()
        if node.tag.endswith(":int") and limit and len(value) > limit:
            return f"{said}: it has more than {limit} digits"
        if node.tag.endswith(":timestamp") and isinstance(exc, ValueError):
            if str(exc).startswith("offset must be a timedelta"):
                # datetime's words here are Python's (`-timedelta(hours=24)`)
                return f"{said}: a UTC offset is less than 24 hours"
            return f"{said}: {exc}"  # datetime's own words: "day is out of range for month"
        return said

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: the base class says so, with its place
                break
            if first is not None:
                raise ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} on line {line} (first on line {first}); "
                    "write each key once",
                    key_node.start_mark,
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_scalar(self, node: ScalarNode | MappingNode) -> Any:
        value = super().construct_scalar(node)
        problem = text_problem(value) if isinstance(value, str) else None
        if problem is not None:
            raise ConstructorError(
                None,
                None,
                f"the text on line {node.start_mark.line + 1} {problem.english()}",
                node.start_mark,
            )
        return value


def load_yaml(text: str, name: str = "the document") -> Any:
    """The document in `text` (read from `name`, a file's path); a yaml.YAMLError says what is
    wrong and where, whatever it is."""
    loader = StrictLoader(text, name)  # a SafeLoader subclass
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if loader.first_alias is not None:
            _refuse_repetition(node, loader.first_alias)
        return loader.construct_document(node)
    except RecursionError:
        mark = loader.get_mark()
        raise YamlTooDeep(
            f"the document nests too deeply to be read (at line {mark.line + 1}, column "
            f"{mark.column + 1})"
        ) from None
    finally:
        loader.dispose()


def _refuse_repetition(root: Node, first_alias: tuple[str, int]) -> None:
    """YamlRepeatsTooMuch if the document under `root` holds MOST_REPEATED more values than it
    writes (each alias adds what it names again, aliases inside included)."""
    values: dict[int, int] = {}  # values under each distinct node, itself included

    def count(node: Node) -> int:
        known = values.get(id(node))
        if known is not None:
            return known
        children: list[Node] = (
            [part for pair in node.value for part in pair]
            if isinstance(node, MappingNode)
            else list(node.value)
            if isinstance(node, SequenceNode)
            else []
        )
        values[id(node)] = total = 1 + sum(count(child) for child in children)
        return total

    if count(root) - len(values) > MOST_REPEATED:
        anchor, line = first_alias
        raise YamlRepeatsTooMuch(
            f"its aliases (the first: *{anchor} on line {line}) repeat what they name into more "
            f"than {MOST_REPEATED:,} values: write out what they repeat, or repeat less"
        )
