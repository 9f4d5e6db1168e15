"""Rules of an indicator set that field types alone cannot catch; every problem by its path."""

from __future__ import annotations

from collections import Counter

from governance.kernel.errors import Problem
from governance.reports.indicators.model import (
    NUMERIC_TYPES,
    REQUIRED_LANGUAGE,
    Indicator,
    IndicatorSet,
    IndicatorType,
)
from governance.reports.indicators.settings import IndicatorRules

_HUNDRED = 100


def _indicator(path: str, ind: Indicator) -> list[Problem]:
    problems = []
    if REQUIRED_LANGUAGE not in ind.texts:
        problems.append(Problem(f"{path}.texts", "an English label is needed (texts.en)"))
    bounded = ind.minimum is not None or ind.maximum is not None
    if bounded and ind.type not in NUMERIC_TYPES:
        problems.append(
            Problem(f"{path}.minimum", f"an indicator of type {ind.type.value} has no range")
        )
    if ind.minimum is not None and ind.maximum is not None and ind.minimum > ind.maximum:
        problems.append(Problem(f"{path}.maximum", "is below the minimum"))
    if ind.type is IndicatorType.PERCENTAGE:
        for name, bound in (("minimum", ind.minimum), ("maximum", ind.maximum)):
            if bound is not None and not 0 <= bound <= _HUNDRED:
                problems.append(Problem(f"{path}.{name}", "a percentage lies within 0 to 100"))
    if ind.type is IndicatorType.WHOLE_NUMBER:
        for name, bound in (("minimum", ind.minimum), ("maximum", ind.maximum)):
            if bound is not None and bound != bound.to_integral_value():
                problems.append(Problem(f"{path}.{name}", "a whole number's bound is whole"))
    if ind.type is IndicatorType.CHOICE:
        if len(ind.choices) < 2:
            problems.append(Problem(f"{path}.choices", "a one-of needs at least two choices"))
        problems += [
            Problem(f"{path}.choices", f"choice {c!r} is listed {n} times")
            for c, n in Counter(ind.choices).items()
            if n > 1
        ]
    elif ind.choices:
        problems.append(
            Problem(f"{path}.choices", f"an indicator of type {ind.type.value} has no choices")
        )
    if ind.currencies and ind.type is not IndicatorType.AMOUNT:
        problems.append(Problem(f"{path}.currencies", "only an amount has currencies"))
    if ind.max_length is not None and ind.type is not IndicatorType.SHORT_TEXT:
        problems.append(Problem(f"{path}.max_length", "only a short text has a length"))
    return problems


def _set(path: str, indicator_set: IndicatorSet) -> list[Problem]:
    problems = []
    for pillar, indicators in indicator_set.pillars.items():
        at = f"{path}.pillars.{pillar.value}"
        problems += [
            Problem(at, f"key {key!r} is used {n} times")
            for key, n in Counter(i.key for i in indicators).items()
            if n > 1
        ]
        for i, ind in enumerate(indicators):
            problems += _indicator(f"{at}.{i}", ind)
    return problems


def indicator_problems(rules: IndicatorRules, path: str = "indicators") -> list[Problem]:
    """Every contradiction in the indicator sets, each named by its dotted path."""
    problems = []
    if not rules.sets:
        problems.append(Problem(f"{path}.sets", "at least one indicator set is needed"))
    for field, values in (
        ("version", [s.version for s in rules.sets]),
        ("from_year", [s.from_year for s in rules.sets]),
    ):
        problems += [
            Problem(f"{path}.sets", f"{field} {value!r} is used by {n} sets")
            for value, n in Counter(values).items()
            if n > 1
        ]
    for i, indicator_set in enumerate(rules.sets):
        problems += _set(f"{path}.sets.{i}", indicator_set)
    return problems
