"""Rulebook and scenario files as a careless or hostile author might write them: each is either
read, or refused with the project's own error naming what is wrong; nothing else escapes (no
KeyError, TypeError, RecursionError, YAML internals...), and the CLI says so in a line, with a
non-zero exit and no traceback."""

from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.kernel.errors import GovernanceError
from governance.rulebook.model import Rulebook
from govsched.rehearsal.driver import load_scenario
from govsched.services.rulebooks import load_rulebook_spec

ROOT = Path(__file__).resolve().parents[3]
SCENARIO = yaml.safe_load((ROOT / "scenarios" / "platform-year.yaml").read_text(encoding="utf-8"))
RULEBOOK = Rulebook().model_dump(mode="json")

# Files no generator would stumble on, but an attacker would write.
HOSTILE_TEXTS = {
    "billion laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    + "events: *h\n",
    "python object": "rulebook: !!python/object/apply:os.system ['true']\n",
    "deep nesting": "events: " + "[" * 5000 + "]" * 5000 + "\n",
    "not a table": "- just\n- a list\n",
    "empty": "",
    "only a comment": "# nothing\n",
    "tabs": "start:\t2027-01-04\n\tevents: []\n",
    "duplicate keys": "start: 2027-01-04\nstart: 2028-01-04\nuntil: 2027-02-01\n",
    "huge number": "start: 2027-01-04\nuntil: 99999999999999999999999-01-01\n",
    # PyYAML reads these as a ValueError (or a KeyError...), not as a YAMLError
    "a day past the month's end": "start: 2027-02-29\nuntil: 2027-06-30\n",
    "an hour past midnight": "start: 2027-01-04T25:00:00\nuntil: 2027-06-30\n",
    "a value that is not its tag": "start: !!timestamp soon\nrulebook: !!bool perhaps\n",
    "too many digits": "until: " + "9" * 5000 + "\n",
}

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.dates().map(str)
)
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> Any:
    """`base` with one to three of its parts replaced, removed, or given an unknown sibling."""
    document: Any = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(document))))
        if not path:
            document = draw(values) if draw(st.booleans()) else document
            continue
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(values)
        else:
            parent.append(draw(values))
    return document


def _outcome(load: Callable[[Path], object], text: str | bytes) -> str:
    """ "read", or "refused" with a message; any other exception fails the test."""
    message = None
    with tempfile.TemporaryDirectory(prefix="govsched-fuzz-") as folder:
        path = Path(folder) / "file.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        try:
            load(path)
        except GovernanceError as refusal:
            message = refusal.describe()
    if message is None:
        return "read"
    assert message.strip(), "a refusal says what is wrong"
    return "refused"


def _scenario_outcome(text: str | bytes) -> str:
    return _outcome(load_scenario, text)


def _rulebook_outcome(text: str | bytes) -> str:
    return _outcome(lambda path: load_rulebook_spec(str(path)), text)


def _dumped(document: Any) -> str:
    """The document as YAML text. libyaml's emitter writes the same text as PyYAML's own with
    some 40% less CPU; only the reading is under test, and it stays PyYAML's."""
    text: str = yaml.dump(document, Dumper=yaml.CSafeDumper, allow_unicode=True)
    return text


FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(document=mutated(SCENARIO))
def test_a_mutated_scenario_is_read_or_refused_clearly(document: Any) -> None:
    assert _scenario_outcome(_dumped(document)) in ("read", "refused")


@FUZZ
@given(document=mutated(RULEBOOK))
def test_a_mutated_rulebook_is_read_or_refused_clearly(document: Any) -> None:
    assert _rulebook_outcome(_dumped(document)) in ("read", "refused")


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_are_read_or_refused_clearly(raw: bytes) -> None:
    assert _scenario_outcome(raw) in ("read", "refused")
    assert _rulebook_outcome(raw) in ("read", "refused")


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
def test_a_hostile_file_is_refused_or_harmless(name: str) -> None:
    text = HOSTILE_TEXTS[name]
    assert _scenario_outcome(text) in ("read", "refused")
    assert _rulebook_outcome(text) in ("read", "refused")


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe not UTF-8", HOSTILE_TEXTS["billion laughs"].encode(), b"events: [[[[[[[[[["],
    ids=["not-utf8", "billion-laughs", "unclosed"],
)
def test_the_cli_refuses_a_bad_scenario_in_a_line_without_a_traceback(
    content: bytes, tmp_path: Path
) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_bytes(content)
    run = _rehearse(scenario, tmp_path / "out")
    assert run.returncode != 0
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr.strip(), "the refusal is told"
    assert not (tmp_path / "out" / "state.json").exists()


@pytest.mark.parametrize(
    ("content", "told"),
    [
        (
            "start: 2027-01-04\nuntil: 9999-12-31\nevents: []\n",
            "until: is more than 10 years after start",
        ),
        (
            "start: 2027-01-04\nuntil: 2027-03-01\nevents:\n  - at: 2027-01-05\n"
            "    do: add_member\n    with: {id: ngo-a, name: A, pillar: ngo, country: X}\n"
            "    at: 2027-02-05\n",
            "duplicate key 'at' on line 7 (first on line 4)",
        ),
    ],
    ids=["until-9999", "duplicate-key"],
)
def test_the_cli_refuses_an_endless_or_ambiguous_scenario_before_running_it(
    content: str, told: str, tmp_path: Path
) -> None:
    # seen: `until: 9999-12-31` rehearsed without end; a key written twice was taken silently
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(content, encoding="utf-8")
    run = _rehearse(scenario, tmp_path / "out")
    assert run.returncode != 0
    assert told in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "out").exists()


def _rehearse(scenario: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`govsched rehearse` run as a user would, in its own process."""
    govsched = str(Path(sys.executable).parent / "govsched")
    return subprocess.run(
        [govsched, "rehearse", str(scenario), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
