"""Form refusals in plain words: what a Secretariat officer reads beside a field, in place of
pydantic's own wording ("String should have at most 200 characters", "Input should be a valid
date"), which names types and patterns instead of saying what to write.

Our own validators already speak plainly (their ValueError's message is kept); the others are
worded here by the kind of error pydantic reports, with the limit it carries."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

_PATTERNS = {
    r"^https?://\S+$": "give a link starting with http:// or https://, without spaces",
    r"^[a-z0-9_]{1,60}$": "use lowercase letters, digits and _ only (at most 60)",
    r"^[A-Z]{3}$": "give a three-letter currency code, such as USD",
}
_DATE = "give a date as year-month-day, such as 2027-05-12"
_FIXED = {
    "missing": "this is required",
    "int_parsing": "give a whole number",
    "int_from_float": "give a whole number",
    "int_type": "give a whole number",
    "float_parsing": "give a number",
    "float_type": "give a number",
    "bool_parsing": "tick the box or leave it empty",
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_type": _DATE,
    "datetime_parsing": "give a date and a time, such as 2027-05-12 09:30",
    "datetime_from_date_parsing": "give a date and a time, such as 2027-05-12 09:30",
    "timezone_aware": "give a date and a time with its time zone",
    "url_parsing": "give a link starting with http:// or https://",
    "url_scheme": "give a link starting with http:// or https://",
    "extra_forbidden": "this is not part of the form",
    "string_type": "write some text here",
    "list_type": "give one entry per line",
}
_GENERIC = "this is not accepted here: check what you wrote"


def _characters(count: Any) -> str:
    return f"{count} character{'' if count == 1 else 's'}"


def plain(error: ErrorDetails) -> str:
    """The reason, in words a person who fills in the form understands."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        # our own validators' messages are written for people already
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        return "choose one of the options offered" + (f": {expected}" if expected else "")
    if kind in _FIXED:
        return _FIXED[kind]
    given = error.get("input")
    if kind in ("string_too_short", "too_short"):
        least = ctx.get("min_length", 1)
        if kind == "too_short" and not isinstance(given, str):
            return f"give at least {least} entr{'y' if least == 1 else 'ies'}"
        return "this is required" if least == 1 else f"write at least {_characters(least)}"
    if kind in ("string_too_long", "too_long"):
        most = ctx.get("max_length")
        if kind == "too_long" and not isinstance(given, str):
            return f"give at most {most} entr{'y' if most == 1 else 'ies'}"
        told = f" (this has {len(given)})" if isinstance(given, str) else ""
        return f"write at most {_characters(most)}{told}"
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(str(ctx.get("pattern", "")), "this is not in the form expected here")
    for bound, words in (
        ("ge", "{} or more"),
        ("gt", "more than {}"),
        ("le", "{} or less"),
        ("lt", "less than {}"),
    ):
        if bound in ctx and kind.startswith(("greater_than", "less_than")):
            return "give " + words.format(ctx[bound])
    return _GENERIC


def line_of(error: ErrorDetails) -> str:
    """ "line N: " for an entry of a list written one per line; "" for a single value."""
    loc = error["loc"]
    return f"line {loc[1] + 1}: " if len(loc) > 1 and isinstance(loc[1], int) else ""
