"""Field refusals in plain words: what a person reads beside a field, in place of pydantic's
own wording ("String should have at most 200 characters", "Input should be a valid date"),
which names types and patterns instead of saying what to write, in English only.

Each reason is a message (issue 20), chosen by the kind of error pydantic reports and the limit
it carries, and written in the reader's language where it is shown: a web form's field, a
group form's refusal. Our own validators already speak plainly: their refusal (`ValueRefused`)
carries its message. A validator's bare ValueError reads as written.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

from governance.kernel.errors import ValueRefused
from governance.kernel.messages import Message, Text, say, say_n
from govsched.i18n.marking import N_

_PATTERNS = {
    r"^https?://\S+$": N_("give a link starting with http:// or https://, without spaces"),
    r"^[a-z0-9_]{1,60}$": N_("use lowercase letters, digits and _ only (at most 60)"),
    r"^[A-Z]{3}$": N_("give a three-letter currency code, such as USD"),
}
_DATE = N_("give a date as year-month-day, such as 2027-05-12")
_DATE_TIME = N_("give a date and a time, such as 2027-05-12 09:30")
_LINK = N_("give a link starting with http:// or https://")
_WHOLE = N_("give a whole number")
_NUMBER = N_("give a number")
_FIXED = {
    "missing": N_("this is required"),
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "int_type": _WHOLE,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "bool_parsing": N_("tick the box or leave it empty"),
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_type": _DATE,
    "datetime_parsing": _DATE_TIME,
    "datetime_from_date_parsing": _DATE_TIME,
    "timezone_aware": N_("give a date and a time with its time zone"),
    "url_parsing": _LINK,
    "url_scheme": _LINK,
    "extra_forbidden": N_("this is not part of the form"),
    "string_type": N_("write some text here"),
    "list_type": N_("give one entry per line"),
}
_GENERIC = N_("this is not accepted here: check what you wrote")
_BOUNDS = (
    ("ge", N_("give %(bound)s or more")),
    ("gt", N_("give more than %(bound)s")),
    ("le", N_("give %(bound)s or less")),
    ("lt", N_("give less than %(bound)s")),
)


def _at_least(least: int, given: Any, kind: str) -> Message:
    if kind == "too_short" and not isinstance(given, str):
        return say_n(
            "give at least %(num)s entry", "give at least %(num)s entries", least, num=least
        )
    if least == 1:
        return say("this is required")
    return say_n(
        "write at least %(num)s character", "write at least %(num)s characters", least, num=least
    )


def _at_most(most: int, given: Any, kind: str) -> Message:
    if kind == "too_long" and not isinstance(given, str):
        return say_n("give at most %(num)s entry", "give at most %(num)s entries", most, num=most)
    if isinstance(given, str):
        return say_n(
            "write at most %(num)s character (this has %(given)s)",
            "write at most %(num)s characters (this has %(given)s)",
            most,
            num=most,
            given=len(given),
        )
    return say_n(
        "write at most %(num)s character", "write at most %(num)s characters", most, num=most
    )


def reason_words(error: ErrorDetails) -> Message:
    """The reason, in words a person who fills in the form understands."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        refused = ctx.get("error")
        if isinstance(refused, ValueRefused):
            return refused.words
        written = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        # a validator's sentence without a message reads as written
        return Message(id="%(reason)s", params={"reason": Text(value=written)})
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        if not expected:
            return say("choose one of the options offered")
        return say("choose one of the options offered: %(options)s", options=expected)
    if kind in _FIXED:
        return Message(id=_FIXED[kind])
    given = error.get("input")
    if kind in ("string_too_short", "too_short"):
        return _at_least(int(ctx.get("min_length", 1)), given, kind)
    if kind in ("string_too_long", "too_long"):
        return _at_most(int(ctx.get("max_length", 0)), given, kind)
    if kind == "string_pattern_mismatch":
        pattern = _PATTERNS.get(str(ctx.get("pattern", "")))
        return Message(id=pattern) if pattern else say("this is not in the form expected here")
    for bound, words in _BOUNDS:
        if bound in ctx and kind.startswith(("greater_than", "less_than")):
            return Message(id=words, params={"bound": Text(value=str(ctx[bound]))})
    return Message(id=_GENERIC)
