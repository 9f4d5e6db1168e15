"""Finding the rulebook: a bundled name (`vpi`) or a TOML/YAML file of overrides.

A file may say which bundled rulebook it starts from (`base = "vpi"`) and overrides any subset
of it. A rulebook that cannot be read or used is refused with every problem listed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from governance.kernel.errors import Problem, RulebookInvalid
from governance.rulebook.label_texts import label_problems
from governance.rulebook.model import BUNDLED_RULEBOOKS, Rulebook, load_rulebook, merge_overrides
from govsched.services.text_files import read_text
from govsched.services.yaml_files import load_yaml


def _read(path: Path) -> Mapping[str, Any]:
    try:
        text = read_text(path)
    except OSError as exc:
        raise RulebookInvalid(
            "the rulebook file cannot be read", [Problem("rulebook", f"{path}: {exc.strerror}")]
        ) from None
    except UnicodeDecodeError:
        raise RulebookInvalid(
            "the rulebook file is not UTF-8 text", [Problem("rulebook", str(path))]
        ) from None
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else load_yaml(text, str(path))
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise RulebookInvalid(
            "the rulebook file is not valid TOML/YAML", [Problem("rulebook", f"{path}: {exc}")]
        ) from None
    except RecursionError:
        raise RulebookInvalid(
            "the rulebook file nests too deeply to be read", [Problem("rulebook", str(path))]
        ) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise RulebookInvalid(
            "the rulebook file must hold a table", [Problem("rulebook", str(path))]
        )
    return data


def load_rulebook_spec(
    spec: str,
    relative_to: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Rulebook:
    """The rulebook named by `spec`, with `overrides` on top, every label in every language."""
    return _labelled(_load(spec, relative_to, overrides))


def _labelled(rulebook: Rulebook) -> Rulebook:
    """An installation's (or a scenario's) rulebook names each body, milestone, handover item
    and meeting in every language its people read (issue 20). Rulebooks built in code for one
    purpose (tests, benchmarks) are not held to it: `load_rulebook` leaves it out."""
    problems = label_problems(rulebook)
    if problems:
        raise RulebookInvalid("the rulebook gives a label in English only", problems)
    return rulebook


def _load(spec: str, relative_to: Path | None, overrides: Mapping[str, Any] | None) -> Rulebook:
    if spec in BUNDLED_RULEBOOKS:
        return load_rulebook(overrides or {}, base=spec)
    path = Path(spec)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    data = dict(_read(path))
    base = data.pop("base", "vpi")
    if not isinstance(base, str):
        raise RulebookInvalid("the rulebook is invalid", [Problem("base", "must be a name")])
    return load_rulebook(merge_overrides(data, overrides or {}), base=base)
