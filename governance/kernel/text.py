"""What text the system takes in, and how text it shows is made safe to show.

Two rules, each in one place:

- **Taken in**: text must be Unicode that UTF-8 can carry and a database can store: no unpaired
  surrogate (JSON's `"\\ud800"`, a YAML escape, or bytes a terminal could not decode all give
  one) and no NUL (PostgreSQL refuses it). Every model checks every text it is given
  (`ValidText`, the base of `Frozen` and of the rulebook's sections), so a request, a form, a
  command line or a scenario with such text is refused naming the field, before anything is
  stored. Text stored before the rule (older rows: only SQLite could keep it) is repaired as
  the database hands it back (`govsched.persistence.db`, with `repaired_all`: an unpaired surrogate
  becomes U+FFFD, NUL is dropped), so reading it never fails.
- **Shown**: `shown` is applied where text leaves for a reader (calendar feeds, Slack, the
  console, web pages): the line and paragraph separators U+2028, U+2029 and NEL (U+0085) become
  plain spaces, since readers treat them as line breaks in a one-line title, and the
  bidirectional embedding, override and isolate controls are removed, since they reorder what a
  reader sees (a name or an amount shown backwards).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, field_validator

if TYPE_CHECKING:
    from governance.kernel.messages import Message

_INVALID = re.compile("[\x00\ud800-\udfff]")
_SEPARATORS = "\u2028\u2029\u0085"
# LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI (the "Trojan Source" set, CVE-2021-42574)
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SHOWN = str.maketrans({**dict.fromkeys(_SEPARATORS, " "), **dict.fromkeys(_BIDI_CONTROLS)})


def text_problem(value: str) -> Message | None:
    """Why `value` cannot be taken in, or None: a message each reader reads in their language."""
    found = _INVALID.search(value)
    if found is None:
        return None
    # imported here: the messages' module builds on the models, which build on this one
    from governance.kernel.messages import say

    char = found.group()
    if char == "\x00":
        return say("must not contain NUL characters (U+0000)")
    return say(
        "is not valid Unicode text: it holds an unpaired surrogate (U+%(code)s); send UTF-8 text",
        code=f"{ord(char):04X}",
    )


def repaired(value: str) -> str:
    """Stored text made valid: unpaired surrogates become U+FFFD, NUL characters go."""
    return _INVALID.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)


def shown(value: str) -> str:
    """Text as it may be shown to a reader anywhere (see the module's docstring)."""
    return repaired(value).translate(_SHOWN)


def _first_problem(value: Any) -> Message | None:
    """The problem of the first invalid text in `value` (walking containers), or None."""
    if isinstance(value, str):
        return None if value.isascii() and "\x00" not in value else text_problem(value)
    if isinstance(value, Mapping):
        for key, item in value.items():
            problem = _first_problem(key) or _first_problem(item)
            if problem is not None:
                return problem
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            problem = _first_problem(item)
            if problem is not None:
                return problem
    # models checked their own fields when they were built; other values hold no text
    return None


def repaired_all(value: Any) -> Any:
    """A decoded JSON value with every text in it (keys too) repaired."""
    if isinstance(value, str):
        return repaired(value)
    if isinstance(value, dict):
        return {repaired_all(k): repaired_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [repaired_all(item) for item in value]
    return value


def checked(value: Any) -> Any:
    """`value` if all its text is valid, else ValueError saying why."""
    problem = _first_problem(value)
    if problem is not None:
        from governance.kernel.errors import ValueRefused  # the errors build on the models

        raise ValueRefused(problem)
    return value


class ValidText(BaseModel):
    """Base of every model: the text in each field it is given is checked."""

    @field_validator("*", mode="after")
    @classmethod
    def _text_is_valid(cls, value: Any) -> Any:
        return checked(value)
