"""The YAML people write: a key written twice anywhere in a scenario or a rulebook, or text that
is not valid, is refused naming the key (or text) and its line; merge keys are not duplicates."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.errors import GovernanceError
from govsched.rehearsal.driver import load_scenario
from govsched.services.rulebooks import load_rulebook_spec
from govsched.services.yaml_files import MOST_REPEATED, load_yaml
from tests.governance.rulebook.test_file_fuzz import RULEBOOK, SCENARIO


def _mappings(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every non-empty mapping in a document."""
    found = [path] if isinstance(node, dict) and node else []
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in children:
        found += _mappings(child, (*path, key))
    return found


def _scalar(value: Any) -> str:
    """One scalar on one line, however long (the labels' translations are long sentences)."""
    return yaml.safe_dump(value, default_flow_style=True, width=2**31).splitlines()[0]


def _emit(
    node: Any, indent: int, twice: tuple[Any, ...] | None, here: tuple[Any, ...]
) -> list[str]:
    """Block-style YAML, one key per line; the mapping at `twice` writes its first key again."""
    pad = " " * indent
    if isinstance(node, dict):
        lines = []
        items = list(node.items())
        if here == twice:
            items.append((items[0][0], "again"))
        for key, value in items:
            if isinstance(value, dict | list) and value:
                lines.append(f"{pad}{_scalar(key)}:")
                lines += _emit(value, indent + 2, twice, (*here, key))
            else:
                lines.append(f"{pad}{_scalar(key)}: {_scalar(value)}")
        return lines
    lines = []
    for index, item in enumerate(node):
        child = (
            _emit(item, indent + 2, twice, (*here, index))
            if isinstance(item, dict | list) and item
            else [f"{pad}  {_scalar(item)}"]
        )
        first = child[0].strip()
        lines.append(f"{pad}- {first}")
        lines += child[1:]
    return lines


@st.composite
def with_a_duplicate(draw: st.DrawFn, document: dict[str, Any]) -> tuple[str, Any, int]:
    """`document` as YAML text with one mapping's first key written twice: the text, the key
    and the line (1-based) of its second appearance."""
    target = draw(st.sampled_from(_mappings(document)))
    lines = _emit(document, 0, target, ())
    mapping = document
    for step in target:
        mapping = mapping[step]
    key = next(iter(mapping))
    written = f"{yaml.safe_dump(key).splitlines()[0]}: again"
    line = max(i for i, text in enumerate(lines) if text.strip().endswith(written)) + 1
    return "\n".join(lines) + "\n", key, line


def _refusal(load: Any, text: str) -> str:
    with tempfile.TemporaryDirectory(prefix="govsched-yaml-") as folder:
        path = Path(folder) / "file.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(GovernanceError) as refused:
            load(path)
    return refused.value.describe()


def test_the_emitter_writes_the_documents_back_as_they_are() -> None:
    for document in (SCENARIO, RULEBOOK):
        assert load_yaml("\n".join(_emit(document, 0, None, ())) + "\n") == document


@settings(max_examples=80, deadline=None)
@given(case=with_a_duplicate(SCENARIO))
def test_a_key_twice_anywhere_in_a_scenario_is_refused_naming_it_and_its_line(
    case: tuple[str, Any, int],
) -> None:
    text, key, line = case
    message = _refusal(load_scenario, text)
    assert f"duplicate key {key!r} on line {line}" in message


@settings(max_examples=80, deadline=None)
@given(case=with_a_duplicate(RULEBOOK))
def test_a_key_twice_anywhere_in_a_rulebook_is_refused_naming_it_and_its_line(
    case: tuple[str, Any, int],
) -> None:
    text, key, line = case
    message = _refusal(lambda path: load_rulebook_spec(str(path)), text)
    assert f"duplicate key {key!r} on line {line}" in message


def test_keys_written_beside_a_merge_override_it_as_yaml_says() -> None:
    text = (
        "defaults: &d {acknowledge_days: 14, dialogue_days: 90}\n"
        "concerns:\n  <<: *d\n  dialogue_days: 60\n"
    )
    assert load_yaml(text)["concerns"] == {"acknowledge_days": 14, "dialogue_days": 60}


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\0", "a\\x00b"])
def test_text_that_is_not_valid_is_refused_naming_its_line(escape: str) -> None:
    text = f'start: 2027-01-04\nuntil: 2027-02-01\nmembers:\n  - {{id: a, name: "x{escape}"}}\n'
    message = _refusal(load_scenario, text)
    assert "on line 4" in message


# seen: `start: 2027-02-29` or `at: 2027-03-01T25:00:00` in a scenario, `windows: [2027-02-30]`
# in a rulebook: PyYAML's ValueError escaped every caller, which catch only yaml.YAMLError
@pytest.mark.parametrize(
    ("text", "told"),
    [
        (
            "start: 2027-02-29\n",
            "start: '2027-02-29' on line 1 is not a date or a date and time: "
            "day is out of range for month",
        ),
        (
            "until: 2027-06-30\nevents:\n  - at: 2027-03-01T25:00:00\n",
            "events.0.at: '2027-03-01T25:00:00' on line 3 is not a date or a date and time: "
            "hour must be in 0..23",
        ),
        (
            "applications: {windows: [2027-01-31, 2027-02-30]}\n",
            "applications.windows.1: '2027-02-30' on line 1 is not a date",
        ),
        ("a: !!bool maybe\n", "a: 'maybe' on line 1 is not true or false"),
        ("a: !!int x\n", "a: 'x' on line 1 is not an integer"),
        ("a: !!int ''\n", "a: '' on line 1 is not an integer"),
        ("a:\n  b: !!float x\n", "a.b: 'x' on line 2 is not a number"),
        ("a: !!timestamp soon\n", "a: 'soon' on line 1 is not a date or a date and time"),
        (
            f"a: {'9' * (sys.get_int_max_str_digits() + 1)}\n",
            f"is not an integer: it has more than {sys.get_int_max_str_digits()} digits",
        ),
    ],
    ids=["feb-29", "hour-25", "feb-30", "bool", "int", "empty-int", "float", "timestamp", "long"],
)
def test_a_value_that_does_not_fit_its_type_is_refused_naming_its_field_and_line(
    text: str, told: str
) -> None:
    with pytest.raises(yaml.YAMLError) as refused:
        load_yaml(text)
    assert told in str(refused.value)


def test_a_day_past_the_months_end_is_refused_and_values_that_fit_are_read_as_before() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: 2027-02-29\n")
    assert load_yaml("a: 2028-02-29\nb: !!float 1\nc: !!int '12'\nd: 0x_1f\n") == {
        "a": date(2028, 2, 29),
        "b": 1.0,
        "c": 12,
        "d": 31,
    }


# seen: `a: &a [*a]` as `reports indicators --values`: read, then a RecursionError
def test_a_document_that_contains_itself_is_refused_naming_the_alias() -> None:
    for text in ("a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a {<<: *a}\n", "a: &a [1, [{c: *a}]]\n"):
        with pytest.raises(yaml.YAMLError) as refused:
            load_yaml(text)
        assert "the alias *a on line 1 is inside the collection &a it names" in str(refused.value)
    # an alias to a collection already finished is no cycle
    text = "x: &a [1]\ny: [*a, *a]\nz: &b {k: *a}\nw: {<<: *b}\n"
    assert load_yaml(text) == {"x": [1], "y": [[1], [1]], "z": {"k": [1]}, "w": {"k": [1]}}


def _repeating(levels: int) -> str:
    """Nine aliases of nine aliases of ... a list of nine: 9**levels values in a few lines."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


# seen: a 1 KB values file of such aliases held `reports indicators` for minutes
def test_aliases_repeating_more_than_the_most_values_are_refused_naming_the_first() -> None:
    assert 9**5 < MOST_REPEATED < 9**6
    assert len(load_yaml(_repeating(5))["l4"]) == 9  # 59,049 values: read as before
    with pytest.raises(yaml.YAMLError) as refused:
        load_yaml(_repeating(6))  # 531,441
    assert str(refused.value) == (
        "its aliases (the first: *l0 on line 2) repeat what they name into more than 100,000 "
        "values: write out what they repeat, or repeat less"
    )
    # a document without aliases repeats nothing, whatever its size
    assert len(load_yaml("[" + ", ".join(["x"] * (MOST_REPEATED + 1)) + "]")) == MOST_REPEATED + 1


def test_a_document_nesting_too_deeply_is_refused_as_yaml() -> None:
    with pytest.raises(yaml.YAMLError) as refused:
        load_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "the document nests too deeply to be read (at line 1" in str(refused.value)


def test_a_scenario_with_a_refused_rulebook_lists_its_events_problems_too() -> None:
    text = (
        "rulebook: {name: vpi, overrides: {applications: {no_objection_days: -3}}}\n"
        "start: 2027-01-04\nuntil: 2027-02-01\n"
        "events:\n"
        "  - {at: 2027-01-06, do: add_member,"
        " with: {id: a, name: A, pillar: martian, country: X}}\n"
        "  - {at: '2027-01-08T25:00', do: add_member, with: {}}\n"
    )
    message = _refusal(load_scenario, text)
    assert message.startswith("the rulebook is invalid")
    for problem in ("applications.no_objection_days", "events.0.with.pillar", "events.1.at"):
        assert f"\n  - {problem}: " in message
