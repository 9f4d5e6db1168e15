"""Reading the YAML files people write (scenarios, rulebooks): safe, and strict about two slips.

- **A key written twice** in one mapping is refused, naming the key and both lines. YAML's own
  loaders keep the last value without a word, so a scenario with two `until:` or a rulebook
  with two `roster:` sections would run with half of what its author wrote.
- **Text that is not valid** (a `"\\ud800"` or `"\\0"` escape: an unpaired surrogate or NUL) is
  refused naming its line, as the API refuses it in a request (governance.kernel.text).

Merge keys (`<<: *defaults`) are not duplicates: the keys written beside them override them, as
YAML says.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode

from governance.kernel.text import text_problem

_MERGE_TAG = "tag:yaml.org,2002:merge"


class StrictLoader(yaml.SafeLoader):
    """`yaml.SafeLoader`, refusing duplicate keys and invalid text."""

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


def load_yaml(text: str) -> Any:
    """The document in `text`; yaml.YAMLError says what is wrong and where."""
    return yaml.load(text, Loader=StrictLoader)  # a SafeLoader subclass
