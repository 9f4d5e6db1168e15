"""Dates, times, numbers and lists as the reader's locale writes them (Babel's CLDR data)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, format_time
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent, parse_decimal

from governance.kernel.languages import Language
from govsched.i18n.current import current_language

# English as the initiative has always written it in notices and documents ("18 May 2027",
# governance/kernel/wording.py), not Babel's United States default ("May 18, 2027").
_LOCALES = {Language.EN: "en_GB"}


@cache
def babel_locale(language: Language) -> Locale:
    return Locale.parse(_LOCALES.get(language, language.value.replace("-", "_")))


def _locale(language: Language | None) -> Locale:
    return babel_locale(language or current_language())


def day(value: date, language: Language | None = None) -> str:
    """`18 May 2027`, `18 mai 2027`, `2027年5月18日`."""
    return format_date(value, format="long", locale=_locale(language))


def day_range(starts: date, ends: date, language: Language | None = None) -> str:
    """`18-21 May 2027` as the locale joins the two ends of an interval."""
    if starts == ends:
        return day(starts, language)
    return format_interval(starts, ends, skeleton="yMMMMd", locale=_locale(language))


def moment(value: datetime, timezone: str, language: Language | None = None) -> str:
    """An instant in the event's time zone, with the zone named so no reader misreads it."""
    return format_datetime(
        value, format="long", tzinfo=ZoneInfo(timezone), locale=_locale(language)
    )


def moment_span(
    starts: datetime, ends: datetime | None, timezone: str, language: Language | None = None
) -> str:
    """A timed event's times in its time zone: the day and both times within a day (`26 May
    2027, 14:00-17:00 CEST`, the locale's dash), both ends in full across days."""
    zone, locale = ZoneInfo(timezone), _locale(language)
    first = starts.astimezone(zone)
    last = None if ends is None else ends.astimezone(zone)
    if last is not None and last.date() == first.date() and last != first:
        times = format_interval(first, last, skeleton="Hm", tzinfo=zone, locale=locale)
        return _day_and_time(first, f"{times} {_zone(first, locale)}", locale)
    ends_at = [first] if last is None or last == first else [first, last]
    shown = [_day_and_time(v, f"{_clock(v, locale)} {_zone(v, locale)}", locale) for v in ends_at]
    return shown[0] if len(shown) == 1 else locale.interval_formats[None].format(*shown)


def _clock(value: datetime, locale: Locale) -> str:
    return format_time(value, format="short", tzinfo=value.tzinfo, locale=locale)


def _zone(value: datetime, locale: Locale) -> str:
    return format_time(value, "z", tzinfo=value.tzinfo, locale=locale)


def _day_and_time(value: datetime, time: str, locale: Locale) -> str:
    # the locale's own joining of a date and a time; CLDR quotes its literal words ('at')
    joined = str(locale.datetime_formats["long"]).replace("'", "")
    return joined.format(time, format_date(value.date(), format="long", locale=locale))


def clock(value: datetime, timezone: str, language: Language | None = None) -> str:
    return format_time(value, format="short", tzinfo=ZoneInfo(timezone), locale=_locale(language))


def number(value: int | float | Decimal, language: Language | None = None) -> str:
    return format_decimal(value, locale=_locale(language))


def figure(
    value: float, digits: int = 0, *, percent: bool = False, language: Language | None = None
) -> str:
    """`0.500` / `0,500` / `10%` / `10 %`: exactly `digits` after the locale's decimal sign."""
    locale = _locale(language)
    if percent:
        # the locale's own percent pattern ("10 %" in French), rounded to the digits asked
        shown = round(value, digits + 2)
        return format_percent(shown, locale=locale, decimal_quantization=False)
    pattern = "#,##0" + (f".{'0' * digits}" if digits else "")
    return format_decimal(value, format=pattern, locale=locale)


# Whole numbers tried, in order, as the stand-in for a decimal in gettext's plural choice.
_STAND_INS = (*range(0, 21), 100, 1000, 1_000_000)


def plural_count(written: str, language: Language | None = None) -> int:
    """A whole number that takes the same plural form as the number as `written` (`1,5`,
    `2.5`): gettext chooses forms for whole numbers only, CLDR for the written decimal too,
    and French reads 1,5 as singular ("1,5 jour") where English reads 1.5 as plural."""
    locale = _locale(language)
    value = parse_decimal(written, locale=locale)
    category = locale.plural_form(value)
    return next((n for n in _STAND_INS if locale.plural_form(n) == category), 2)


def amount(value: Decimal, currency: str, language: Language | None = None) -> str:
    return format_currency(value, currency, locale=_locale(language))


def items(values: Sequence[str], language: Language | None = None) -> str:
    """`a, b and c`, `a, b et c`, `a、b和c`."""
    return format_list(list(values), locale=_locale(language))
