"""Checking the values a member submits against the set of that reporting year.

Values arrive as JSON would carry them (a form's text, the API's numbers, a scenario's YAML).
Numbers become exact decimals: a float is read through its shortest text, so 0.1 stays 0.1.
A draft may leave required values out; a submission may not. Every problem is named at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from governance.groups.money import is_currency
from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import Message, say
from governance.kernel.model import Pillar
from governance.kernel.text import text_problem
from governance.reports.indicators.model import Indicator, IndicatorSet, IndicatorType

_CURRENCY_LENGTH = 3
_DEFAULT_TEXT_LENGTH = 300
_HUNDRED = Decimal(100)
_MAX_DIGITS = 15
# Digits after the point: a measure needs no more, and an amount no more than ISO 4217's
# largest minor unit; 10,000 of them would be stored, summed and shown as given.
_MAX_DECIMALS = 6
_AMOUNT_DECIMALS = 4


@dataclass(frozen=True, slots=True)
class Amount:
    amount: Decimal
    currency: str


Value = bool | int | Decimal | Amount | str


class Stage(StrEnum):
    DRAFT = "draft"
    SUBMISSION = "submission"
    # values read back as they were kept: a draft's checks, less those added since for what
    # people send (a currency code nobody uses), so an older row never stops a year's figures
    STORED = "stored"


class _Refused(Exception):
    def __init__(self, reason: str | Message) -> None:
        self.reason = reason


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise _Refused(say("must be a number, not yes/no"))
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    elif isinstance(raw, str):
        if "," in raw:
            # "1,200" and "1,5" mean different things in different places: ask, never guess.
            raise _Refused(say("write the number without commas (1200.50)"))
        try:
            number = Decimal(raw.strip())
        except InvalidOperation:
            raise _Refused(say("%(raw)r is not a number", raw=raw)) from None
    else:
        raise _Refused(say("must be a number"))
    if not number.is_finite():
        raise _Refused(say("must be a finite number"))
    # A hostile "1e999999999" would take minutes to turn into a whole number, and is no answer.
    if number.adjusted() >= _MAX_DIGITS:
        raise _Refused(
            say(
                "is too large (at most %(max_digits)s digits before the point)",
                max_digits=_MAX_DIGITS,
            )
        )
    return _plain(number)


def _plain(number: Decimal) -> Decimal:
    """The number as a person writes it: "1e2" kept as 1E+2 was stored, shown and exported so,
    and "-0" as a negative zero."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        number = number.quantize(Decimal(1))
    return number.copy_abs() if number.is_zero() else number


def _decimals_within(number: Decimal, most: int) -> Decimal:
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > most:
        raise _Refused(say("has too many digits after the point (at most %(most)s)", most=most))
    return number


def _in_range(number: Decimal, ind: Indicator) -> None:
    low = ind.minimum
    high = ind.maximum
    if ind.type is IndicatorType.PERCENTAGE:
        low = Decimal(0) if low is None else max(low, Decimal(0))
        high = _HUNDRED if high is None else min(high, _HUNDRED)
    if low is not None and number < low:
        raise _Refused(
            say("%(number)s is below the minimum %(low)s", number=str(number), low=str(low))
        )
    if high is not None and number > high:
        raise _Refused(
            say("%(number)s is above the maximum %(high)s", number=str(number), high=str(high))
        )


def _yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in {"yes", "no"}:
        return raw.strip().lower() == "yes"
    raise _Refused(say("must be yes or no"))


def _whole(raw: object, ind: Indicator) -> int:
    number = _decimal(raw)
    if number != number.to_integral_value():
        raise _Refused(say("%(number)s is not a whole number", number=str(number)))
    _in_range(number, ind)
    return int(number)


def _percentage(raw: object, ind: Indicator) -> Decimal:
    number = _decimals_within(_decimal(raw), _MAX_DECIMALS)
    _in_range(number, ind)
    return number


def _amount(raw: object, ind: Indicator, stage: Stage) -> Amount:
    if not isinstance(raw, Mapping) or set(raw) != {"amount", "currency"}:
        raise _Refused(say("must give an amount and its currency"))
    currency = raw["currency"]
    if (
        not isinstance(currency, str)
        or len(currency) != _CURRENCY_LENGTH
        or not currency.isascii()
        or not currency.isupper()
        or (stage is not Stage.STORED and not is_currency(currency))
    ):
        raise _Refused(say("the currency must be a three-letter ISO code such as USD"))
    if ind.currencies and currency not in ind.currencies:
        raise _Refused(
            say("the currency must be one of %(currencies)s", currencies=", ".join(ind.currencies))
        )
    number = _decimals_within(_decimal(raw["amount"]), _AMOUNT_DECIMALS)
    _in_range(number, ind)
    return Amount(number, currency)


def _choice(raw: object, ind: Indicator) -> str:
    if not isinstance(raw, str) or raw not in ind.choices:
        raise _Refused(say("must be one of: %(choices)s", choices=", ".join(ind.choices)))
    return raw


def _short_text(raw: object, ind: Indicator) -> str:
    if not isinstance(raw, str):
        raise _Refused(say("must be text"))
    problem = text_problem(raw)
    if problem is not None:
        raise _Refused(problem)
    limit = ind.max_length or _DEFAULT_TEXT_LENGTH
    if len(raw) > limit:
        raise _Refused(
            say("is %(count)s characters long; at most %(limit)s", count=len(raw), limit=limit)
        )
    if any(ch in raw for ch in "\r\n"):
        raise _Refused(say("must be one line"))
    return raw.strip()


def _value(raw: object, ind: Indicator, stage: Stage) -> Value:
    match ind.type:
        case IndicatorType.YES_NO:
            return _yes_no(raw)
        case IndicatorType.WHOLE_NUMBER:
            return _whole(raw, ind)
        case IndicatorType.PERCENTAGE:
            return _percentage(raw, ind)
        case IndicatorType.AMOUNT:
            return _amount(raw, ind, stage)
        case IndicatorType.CHOICE:
            return _choice(raw, ind)
        case IndicatorType.SHORT_TEXT:
            return _short_text(raw, ind)


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def checked_values(
    indicator_set: IndicatorSet,
    pillar: Pillar,
    raw: Mapping[str, object],
    stage: Stage = Stage.SUBMISSION,
    path: str = "indicators",
) -> dict[str, Value]:
    """The values typed by the set, or InvalidInput naming every problem by `path.key`.

    A blank value (None, empty text) counts as not given: a draft may hold it, a submission is
    refused for a required one.
    """
    by_key = {ind.key: ind for ind in indicator_set.indicators(pillar)}
    problems: list[Problem] = []
    values: dict[str, Value] = {}
    for key, given in raw.items():
        ind = by_key.get(key)
        if ind is None:
            problems.append(
                Problem(
                    f"{path}.{key}",
                    say(
                        "unknown indicator for the %(pillar)s pillar in set %(version)s",
                        pillar=pillar.value,
                        version=indicator_set.version,
                    ),
                )
            )
        elif not _blank(given):
            try:
                values[key] = _value(given, ind, stage)
            except _Refused as refused:
                problems.append(Problem(f"{path}.{key}", refused.reason))
    if stage is Stage.SUBMISSION:
        problems += [
            Problem(f"{path}.{ind.key}", say("a value is required"))
            for ind in by_key.values()
            if ind.required and _blank(raw.get(ind.key))
        ]
    if problems:
        raise InvalidInput(say("the indicator values are refused"), problems)
    return values


def stored(values: Mapping[str, Value]) -> dict[str, object]:
    """Checked values as JSON keeps them (state.json, a database column): decimals as text, an
    amount as {"amount", "currency"}. `checked_values` reads this shape back to the same values."""
    out: dict[str, object] = {}
    for key, value in values.items():
        if isinstance(value, Amount):
            out[key] = {"amount": str(value.amount), "currency": value.currency}
        elif isinstance(value, Decimal):
            out[key] = str(value)
        else:
            out[key] = value
    return out
