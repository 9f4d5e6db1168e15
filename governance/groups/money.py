"""Amounts of money as the Association counts them: exact decimals, each with its currency.

A plan's budget and a funding request name amounts in whatever currency the group works in
(pesos in Colombia, cedis in Ghana, dollars for a regional visit). Amounts are never floats and
never added across currencies: a total is one sum per currency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated

from babel.numbers import get_currency_precision, list_currencies
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

from governance.kernel.errors import ValueRefused
from governance.kernel.messages import say, say_n
from governance.kernel.model import Frozen

# The largest amount one line or one request may name: far above any plan, below any overflow.
LARGEST = Decimal("1000000000000")
# More places than this are shown in exponent form in a refusal: "1e-999999999" written out in
# full would be a billion digits, minutes of CPU and a gigabyte for one request.
_PLACES_WRITTEN_OUT = 30
_CURRENCIES = frozenset(list_currencies())


def is_currency(code: str) -> bool:
    """Is `code` a currency's ISO 4217 code, in capitals, as CLDR lists them?"""
    return code in _CURRENCIES


def _currency(value: str) -> str:
    if len(value) != 3 or not value.isascii() or not value.isupper() or not is_currency(value):
        raise ValueRefused(
            say("use a three-letter ISO 4217 currency code in capitals (like 'USD')")
        )
    return value


# Plain decimal text, as a budget is written: Python's Decimal would also take "1_000", " 12 ",
# "1e3" and other scripts' digits ("٣"), which a reader of the plan would not see as written.
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _exact(value: object) -> object:
    # A float has already lost the amount the person wrote: only text or integers are taken.
    if isinstance(value, float):
        raise ValueRefused(say('write the amount as text (like "1250.50"), not as a float'))
    if isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value):
        raise ValueRefused(
            say('write the amount in digits 0-9 with a point before any decimals, like "1250.50"')
        )
    return value


def _within_largest(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueRefused(say("must be a number"))
    if value > LARGEST:
        raise ValueRefused(say("must be at most %(largest)s", largest=str(LARGEST)))
    return value


def _amount(value: Decimal) -> Decimal:
    if value.is_finite() and value <= 0:
        raise ValueRefused(say("must be more than zero"))
    return _within_largest(value)


def _spent(value: Decimal) -> Decimal:
    if value.is_finite() and value < 0:
        raise ValueRefused(say("must be zero or more"))
    return _within_largest(value)


Currency = Annotated[str, AfterValidator(_currency), Field(examples=["USD"])]
Amount = Annotated[
    Decimal,
    BeforeValidator(_exact),
    AfterValidator(_amount),
    # JSON carries the amount as text, so no reader turns it into a float on the way
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
    Field(examples=["1250.50"]),
]
SpentAmount = Annotated[
    Decimal,
    BeforeValidator(_exact),
    AfterValidator(_spent),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
    Field(examples=["5100.00"]),
]


def check_places(amount: Decimal, currency: str) -> Decimal:
    """The amount, once it has no more decimal places than its currency counts (ISO 4217's
    minor unit as CLDR gives it: 2 for USD, 0 for JPY)."""
    places = get_currency_precision(currency)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        written = format(amount, "f") if -exponent <= _PLACES_WRITTEN_OUT else str(amount)
        raise ValueRefused(
            say_n(
                "%(currency)s is counted to %(count)s decimal place; %(amount)s has more",
                "%(currency)s is counted to %(count)s decimal places; %(amount)s has more",
                places,
                currency=currency,
                amount=written,
            )
        )
    return amount


def amount_in_currency(amount: Decimal, info: ValidationInfo) -> Decimal:
    """A field validator for `amount`, declared after a valid `currency`."""
    currency = info.data.get("currency")
    return amount if currency is None else check_places(amount, currency)


class Money(Frozen):
    # the currency first, so the amount is checked against it and a refusal names `amount`
    currency: Currency
    amount: Amount

    _places = field_validator("amount")(amount_in_currency)


class Spent(Frozen):
    """What was spent of approved funds: an amount as `Money` takes it, but zero too (a
    training called off spent nothing, and its report says so)."""

    currency: Currency
    amount: SpentAmount

    _places = field_validator("amount")(amount_in_currency)


def totals(amounts: Iterable[Money]) -> dict[str, Decimal]:
    """One exact sum per currency, currencies in alphabetical order."""
    sums: dict[str, Decimal] = {}
    for money in amounts:
        sums[money.currency] = sums.get(money.currency, Decimal(0)) + money.amount
    return dict(sorted(sums.items()))
