"""Form refusals in plain words: what a Secretariat officer reads beside a field, in place of
pydantic's own wording ("String should have at most 200 characters", "Input should be a valid
date"), which names types and patterns instead of saying what to write.

Our own validators already speak plainly (their ValueError's message is kept); the others are
worded here by the kind of error pydantic reports, with the limit it carries, in the reader's
language (issue 20): each sentence is chosen when the form is refused, during the request."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

from govsched.i18n.current import gettext as _
from govsched.i18n.current import ngettext
from govsched.i18n.marking import N_

# Marked here, translated per request: the reader's language is known only then.
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


def _at_least(least: int, given: Any, kind: str) -> str:
    if kind == "too_short" and not isinstance(given, str):
        return ngettext("give at least %(num)d entry", "give at least %(num)d entries", least) % {
            "num": least
        }
    if least == 1:
        return _("this is required")
    return ngettext(
        "write at least %(num)d character", "write at least %(num)d characters", least
    ) % {"num": least}


def _at_most(most: int, given: Any, kind: str) -> str:
    if kind == "too_long" and not isinstance(given, str):
        return ngettext("give at most %(num)d entry", "give at most %(num)d entries", most) % {
            "num": most
        }
    if isinstance(given, str):
        return ngettext(
            "write at most %(num)d character (this has %(given)d)",
            "write at most %(num)d characters (this has %(given)d)",
            most,
        ) % {"num": most, "given": len(given)}
    return ngettext("write at most %(num)d character", "write at most %(num)d characters", most) % {
        "num": most
    }


def plain(error: ErrorDetails) -> str:
    """The reason, in words a person who fills in the form understands, in their language."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        # our own validators' messages are written for people already
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        if not expected:
            return _("choose one of the options offered")
        return _("choose one of the options offered: %(options)s") % {"options": expected}
    if kind in _FIXED:
        return _(_FIXED[kind])
    given = error.get("input")
    if kind in ("string_too_short", "too_short"):
        return _at_least(int(ctx.get("min_length", 1)), given, kind)
    if kind in ("string_too_long", "too_long"):
        return _at_most(int(ctx.get("max_length", 0)), given, kind)
    if kind == "string_pattern_mismatch":
        pattern = _PATTERNS.get(str(ctx.get("pattern", "")))
        return _(pattern) if pattern else _("this is not in the form expected here")
    for bound, words in _BOUNDS:
        if bound in ctx and kind.startswith(("greater_than", "less_than")):
            return _(words) % {"bound": ctx[bound]}
    return _(_GENERIC)


def line_of(error: ErrorDetails) -> str:
    """ "line N: " for an entry of a list written one per line; "" for a single value."""
    loc = error["loc"]
    if len(loc) > 1 and isinstance(loc[1], int):
        return _("line %(num)d: ") % {"num": loc[1] + 1}
    return ""
