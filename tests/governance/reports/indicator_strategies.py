"""Hypothesis strategies for indicator sets and values, shared by the indicator tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from governance.reports.indicators.model import Indicator, IndicatorType, Theme

KEYS = st.from_regex(r"^k[a-z0-9_]{0,8}$", fullmatch=True)
CHOICE = st.text(alphabet="abcdefgh ", min_size=1, max_size=6).filter(lambda s: s.strip() == s)


@st.composite
def indicator_data(draw: st.DrawFn, key: str) -> dict[str, Any]:
    type_ = draw(st.sampled_from(IndicatorType))
    data: dict[str, Any] = {
        "key": key,
        "type": type_.value,
        "theme": draw(st.sampled_from(Theme)).value,
        "required": draw(st.booleans()),
        "texts": {"en": {"label": f"Label of {key}", "guidance": "How to count it."}},
    }
    if type_ in (IndicatorType.WHOLE_NUMBER, IndicatorType.AMOUNT):
        low = draw(st.none() | st.integers(-50, 50))
        high = draw(st.none() | st.integers(low if low is not None else -50, 100))
        data |= {"minimum": low, "maximum": high}
    if type_ is IndicatorType.PERCENTAGE:
        low = draw(st.none() | st.integers(0, 50))
        high = draw(st.none() | st.integers(low or 0, 100))
        data |= {"minimum": low, "maximum": high}
    if type_ is IndicatorType.CHOICE:
        data["choices"] = draw(st.lists(CHOICE, min_size=2, max_size=4, unique=True))
    if type_ is IndicatorType.AMOUNT:
        data["currencies"] = draw(st.lists(st.sampled_from(["USD", "EUR", "CAD"]), unique=True))
    if type_ is IndicatorType.SHORT_TEXT:
        data["max_length"] = draw(st.integers(1, 40))
    return data


@st.composite
def indicator_lists(draw: st.DrawFn, min_size: int = 1) -> list[dict[str, Any]]:
    keys = draw(st.lists(KEYS, min_size=min_size, max_size=6, unique=True))
    return [draw(indicator_data(key)) for key in keys]


def _bounds(ind: Indicator, low: int, high: int) -> tuple[int, int]:
    lo = low if ind.minimum is None else max(low, int(ind.minimum))
    hi = high if ind.maximum is None else min(high, int(ind.maximum))
    return lo, hi


def valid_value(ind: Indicator) -> st.SearchStrategy[Any]:
    """Raw values the set accepts, in the shapes a form or JSON would send them."""
    match ind.type:
        case IndicatorType.YES_NO:
            return st.booleans() | st.sampled_from(["yes", "no", "Yes"])
        case IndicatorType.WHOLE_NUMBER:
            lo, hi = _bounds(ind, -1000, 1000)
            return st.integers(lo, hi) | st.integers(lo, hi).map(str)
        case IndicatorType.PERCENTAGE:
            lo, hi = _bounds(ind, 0, 100)
            return st.decimals(lo, hi, places=2).map(str)
        case IndicatorType.AMOUNT:
            lo, hi = _bounds(ind, -1000, 10**6)
            currency = st.sampled_from(ind.currencies or ["USD", "GBP"])
            return st.builds(
                lambda a, c: {"amount": a, "currency": c}, st.decimals(lo, hi, places=2), currency
            )
        case IndicatorType.CHOICE:
            return st.sampled_from(ind.choices)
        case IndicatorType.SHORT_TEXT:
            return st.text(alphabet="abc xyz", min_size=1, max_size=ind.max_length or 300).filter(
                lambda s: bool(s.strip())
            )


def invalid_value(ind: Indicator) -> st.SearchStrategy[Any]:
    """Raw values the set must refuse for `ind`."""
    wrong_kind: list[Any] = [[1], {"x": 1}]
    match ind.type:
        case IndicatorType.YES_NO:
            options: list[Any] = ["maybe", 3, "1"]
        case IndicatorType.WHOLE_NUMBER:
            options = ["1.5", 2.5, True, "abc", "NaN"]
            if ind.minimum is not None:
                options.append(int(ind.minimum) - 1)
            if ind.maximum is not None:
                options.append(str(int(ind.maximum) + 1))
        case IndicatorType.PERCENTAGE:
            options = ["100.01", -1, "lots", False]
            if ind.minimum is not None and ind.minimum > 0:
                options.append(str(ind.minimum - Decimal("0.5")))
        case IndicatorType.AMOUNT:
            options = [
                5,
                {"amount": 1},
                {"amount": "x", "currency": "USD"},
                {"amount": 1, "currency": "usd"},
                {"amount": "1", "currency": "US"},
            ]
            if ind.currencies:
                options.append({"amount": 1, "currency": "JPY"})
            if ind.maximum is not None:
                options.append({"amount": int(ind.maximum) + 1, "currency": "USD"})
        case IndicatorType.CHOICE:
            options = ["?", 1, True]
        case IndicatorType.SHORT_TEXT:
            options = ["x" * ((ind.max_length or 300) + 1), "two\nlines", 7, "nul\x00"]
    return st.sampled_from(options + wrong_kind)


# Whatever the machine's load: no per-example deadline, and slow generation is not a failure.
UNHURRIED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
