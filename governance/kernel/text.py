"""What text the system takes in, and how text it shows is made safe to show.

Three rules, each in one place:

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
- **Required text is seen**: a field a request must fill (a text field with a minimum length: a
  reason, an objection, a decision, a name) is refused when nothing in it would show: spaces,
  line breaks, zero-width and other format characters, the blank fillers (`blank`). Requests
  are checked (`Incoming` in `governance.kernel.model` for the API's bodies, its `incoming()`
  for the commands the web's forms build), never stored records or workflow payloads: a text
  taken before the rule must still load, and replay.
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from annotated_types import MinLen
from pydantic import BaseModel, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails

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


# Characters that show nothing though Python counts them as letters or marks: the combining
# grapheme joiner, the Hangul fillers, the Mongolian vowel separator and the blank Braille cell.
_BLANK_FILLERS = frozenset("\u034f\u115f\u1160\u180e\u2800\u3164\uffa0")


def blank(value: str) -> bool:
    """Whether nothing in `value` would show: whitespace (Unicode's, which `str.strip` removes),
    format characters (the zero-width space, joiners, the byte order mark, the soft hyphen),
    control characters and the blank fillers. The empty text is blank."""
    return all(
        ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc") or ch in _BLANK_FILLERS
        for ch in value
    )


def _has_min_length(annotation: Any) -> bool:
    """Whether a type (through `Annotated` and unions such as `X | None`) asks for text of at
    least one character."""
    if typing.get_origin(annotation) is typing.Annotated:
        for extra in annotation.__metadata__:
            constraints = extra.metadata if isinstance(extra, FieldInfo) else [extra]
            if any(isinstance(c, MinLen) and c.min_length >= 1 for c in constraints):
                return True
        return _has_min_length(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_has_min_length(arg) for arg in typing.get_args(annotation))
    return False


@cache
def _required_text_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of `model` that must hold text when given (a minimum length of 1 or more)."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if any(isinstance(c, MinLen) and c.min_length >= 1 for c in info.metadata)
        or _has_min_length(info.annotation)
    )


def blank_required_text(model: BaseModel) -> list[tuple[str | int, ...]]:
    """The path of each field of `model` (and of the models in it) that must hold text and is
    blank."""
    required = _required_text_fields(type(model))
    found: list[tuple[str | int, ...]] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, str):
            if name in required and blank(value):
                found.append((name,))
        else:
            found += [(name, *inner) for inner in _blank_inside(value)]
    return found


def _blank_inside(value: Any) -> list[tuple[str | int, ...]]:
    """The paths of the blank required texts of the models in `value` (a model, or a list of
    them)."""
    if isinstance(value, BaseModel):
        return blank_required_text(value)
    found: list[tuple[str | int, ...]] = []
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if isinstance(item, BaseModel):
                found += [(index, *inner) for inner in blank_required_text(item)]
    return found


def check_required_text(model: type[BaseModel], field: str | None, value: Any) -> None:
    """Refuses the value `model`'s `field` was given when it is text the field requires and
    nothing in it shows, or holds models with such a text (a validation error naming each)."""
    if isinstance(value, str):
        if field in _required_text_fields(model) and blank(value):
            from governance.kernel.errors import ValueRefused

            raise ValueRefused(_must_show())
        return
    _refuse(model.__name__, value, _blank_inside(value))


def refuse_blank_required_text(model: BaseModel) -> None:
    """A validation error naming each required text of `model` (a request built outside the API,
    from a form) that is blank: the shape every other refusal of a request's field has."""
    _refuse(type(model).__name__, model, blank_required_text(model))


def _must_show() -> Message:
    # imported here: the messages build on the models, which build on this module
    from governance.kernel.messages import say

    return say("must not be blank")


def _refuse(title: str, value: Any, paths: list[tuple[str | int, ...]]) -> None:
    if not paths:
        return
    from governance.kernel.errors import ValueRefused

    errors = [
        InitErrorDetails(
            type="value_error",
            loc=path,
            input=_at(value, path),
            ctx={"error": ValueRefused(_must_show())},
        )
        for path in paths
    ]
    raise ValidationError.from_exception_data(title, errors)


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        value = value[step] if isinstance(step, int) else getattr(value, step)
    return value
