"""How a picture reads in its page's language: months, numbers, shares and day counts as the
reader's locale writes them (CLDR, through Babel), and Vega's own locale for what the drawing
formats itself (a time axis's months, a share axis's percent sign).

Everything here reads the language being written (`govsched.i18n.current`), so a picture is
built inside its page's request.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from babel.dates import format_skeleton
from babel.numbers import format_percent

from governance.kernel.languages import Language
from govsched.i18n import formatting
from govsched.i18n.current import current_language, ngettext, writing_pseudo


def reading_key() -> str:
    """What a drawing's text depends on besides its facts: one language's SVG is never served
    to another, nor the pseudo-locale's to anyone."""
    return current_language().value + ("+pseudo" if writing_pseudo() else "")


def _locale() -> Any:
    return formatting.babel_locale(current_language())


def month(first: date) -> str:
    """`May 2027`, `mai 2027`, `2027年5月`."""
    return format_skeleton("yMMMM", first, locale=_locale())


def axis_month(first: date, short: bool) -> str:
    """`May 2027` on an axis, `May 27` on a phone's, as the locale abbreviates them."""
    return format_skeleton("yyMMM" if short else "yMMM", first, locale=_locale())


def count(value: int) -> str:
    return formatting.number(value)


def share(value: float) -> str:
    """A share of 0 to 1 as a whole percentage: `38%`, `38 %`."""
    return format_percent(value, format="#,##0%", locale=_locale())


def days(value: float | None) -> str:
    """A number of days, with a decimal where it has one (a median may); `—` for none."""
    if value is None:
        return "—"
    whole = int(value)
    number = formatting.number(whole if value == whole else round(value, 1))
    # the plural form of the number as the reader sees it: "1,5 jour", "1.5 days"
    return ngettext("%(count)s day", "%(count)s days", formatting.plural_count(number)) % {
        "count": number
    }


def time_axis_format(short: bool) -> str:
    """A month on a time axis, in d3's format (Vega's), in the locale's order."""
    if current_language() is Language.ZH:
        return "%y年%-m月" if short else "%Y年%-m月"
    return "%b %y" if short else "%b %Y"


@cache
def vega_locale(language: Language) -> dict[str, Any]:
    """Vega's number and time locale (d3's shapes) from CLDR, for what the drawing formats
    itself: axis ticks' months and shares."""
    locale = formatting.babel_locale(language)
    symbols = locale.number_symbols
    latn = symbols.get("latn", symbols) if isinstance(symbols.get("latn"), dict) else symbols
    # CLDR numbers days from Monday, d3 from Sunday
    days_order = [6, 0, 1, 2, 3, 4, 5]
    percent = format_percent(0, format="0%", locale=locale).replace("0", "", 1)
    return {
        "number": {
            "decimal": latn.get("decimal", "."),
            "thousands": latn.get("group", ","),
            "grouping": [3],
            "currency": ["", ""],
            "percent": percent,
        },
        "time": {
            "dateTime": "%x %X",
            "date": "%Y-%m-%d",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": [locale.days["format"]["wide"][d] for d in days_order],
            "shortDays": [locale.days["format"]["abbreviated"][d] for d in days_order],
            "months": [locale.months["format"]["wide"][m] for m in range(1, 13)],
            "shortMonths": [locale.months["format"]["abbreviated"][m] for m in range(1, 13)],
        },
    }


def sentences(parts: list[str]) -> str:
    """Sentences one after another: Chinese runs them together, the others put a space."""
    return ("" if current_language() is Language.ZH else " ").join(parts)
