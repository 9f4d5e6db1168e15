"""Checking submitted indicator values (issue 22): every refusal names each field and why; a
draft may be incomplete; numbers stay exact."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.errors import InvalidInput
from governance.kernel.model import Pillar
from governance.reports.indicators.model import IndicatorSet, IndicatorType
from governance.reports.indicators.values import Amount, Stage, checked_values, stored
from governance.rulebook.model import Rulebook
from tests.governance.reports.indicator_strategies import (
    UNHURRIED,
    indicator_lists,
    invalid_value,
    valid_value,
)


def _set(indicators: list[dict[str, Any]]) -> IndicatorSet:
    return IndicatorSet.model_validate(
        {"version": "t-1", "from_year": 2026, "pillars": {"ngo": indicators}}
    )


@UNHURRIED
@given(st.data())
def test_a_refusal_names_every_bad_field_and_nothing_else(data: st.DataObject) -> None:
    indicator_set = _set(data.draw(indicator_lists()))
    stage = data.draw(st.sampled_from(Stage))
    raw: dict[str, Any] = {}
    bad: set[str] = set()
    for ind in indicator_set.indicators(Pillar.NGO):
        fate = data.draw(st.sampled_from(["valid", "invalid", "omitted", "blank"]), label=ind.key)
        if fate == "valid":
            raw[ind.key] = data.draw(valid_value(ind), label=ind.key)
        elif fate == "invalid":
            raw[ind.key] = data.draw(invalid_value(ind), label=ind.key)
            bad.add(ind.key)
        else:
            if fate == "blank":
                raw[ind.key] = data.draw(st.sampled_from([None, "", "  "]))
            if ind.required and stage is Stage.SUBMISSION:
                bad.add(ind.key)
    unknown = data.draw(st.lists(st.sampled_from(["colour", "unknown_x", "Risk"]), unique=True))
    for key in unknown:
        raw[key] = 1
    bad |= set(unknown)
    if not bad:
        values = checked_values(indicator_set, Pillar.NGO, raw, stage)
        given_keys = {k for k, v in raw.items() if v not in (None, "", "  ")}
        assert set(values) == given_keys
        return
    with pytest.raises(InvalidInput) as refused:
        checked_values(indicator_set, Pillar.NGO, raw, stage)
    problems = refused.value.problems
    assert {p.path for p in problems} == {f"indicators.{key}" for key in bad}
    assert all(p.reason for p in problems)


@UNHURRIED
@given(st.data())
def test_accepted_values_keep_their_type_and_exact_amount(data: st.DataObject) -> None:
    indicator_set = _set(data.draw(indicator_lists()))
    raw = {i.key: data.draw(valid_value(i)) for i in indicator_set.indicators(Pillar.NGO)}
    values = checked_values(indicator_set, Pillar.NGO, raw)
    for ind in indicator_set.indicators(Pillar.NGO):
        value, given_value = values[ind.key], raw[ind.key]
        match ind.type:
            case IndicatorType.YES_NO:
                assert value is (given_value is True or str(given_value).lower() == "yes")
            case IndicatorType.WHOLE_NUMBER:
                assert type(value) is int
                assert value == int(given_value)
            case IndicatorType.PERCENTAGE:
                assert value == Decimal(given_value)
                assert isinstance(value, Decimal)
                assert 0 <= value <= 100
            case IndicatorType.AMOUNT:
                assert value == Amount(given_value["amount"], given_value["currency"])
            case IndicatorType.CHOICE | IndicatorType.SHORT_TEXT:
                assert value == given_value.strip()


def test_the_default_set_takes_a_company_report_and_refuses_with_reasons() -> None:
    default = Rulebook().indicators.sets[0]
    draft = checked_values(default, Pillar.COMPANY, {"risk_assessments": "4"}, Stage.DRAFT)
    assert draft == {"risk_assessments": 4}
    values = checked_values(
        default,
        Pillar.COMPANY,
        {
            "risk_assessments": 4,
            "sites_arrangements_reviewed": 0.1,
            "security_grievances_received": "12",
            "implementation_spend": {"amount": "1200.10", "currency": "CAD"},
        },
    )
    assert values["sites_arrangements_reviewed"] == Decimal("0.1")
    assert values["implementation_spend"] == Amount(Decimal("1200.10"), "CAD")
    with pytest.raises(InvalidInput) as refused:
        checked_values(
            default,
            Pillar.COMPANY,
            {"risk_assessments": -1, "sites_arrangements_reviewed": "120", "ghost": 1},
        )
    reasons = {p.path: p.reason for p in refused.value.problems}
    assert reasons == {
        "indicators.risk_assessments": "-1 is below the minimum 0",
        "indicators.sites_arrangements_reviewed": "120 is above the maximum 100",
        "indicators.ghost": "unknown indicator for the company pillar in set vpi-default-1",
        "indicators.security_grievances_received": "a value is required",
    }


@UNHURRIED
@given(st.data())
def test_stored_values_read_back_the_same_through_json(data: st.DataObject) -> None:
    indicator_set = _set(data.draw(indicator_lists()))
    raw = {i.key: data.draw(valid_value(i)) for i in indicator_set.indicators(Pillar.NGO)}
    values = checked_values(indicator_set, Pillar.NGO, raw)
    kept = json.loads(json.dumps(stored(values)))
    assert checked_values(indicator_set, Pillar.NGO, kept) == values


def test_ambiguous_or_absurd_numbers_are_refused_quickly() -> None:
    default = Rulebook().indicators.sets[0]
    raw = {
        "risk_assessments": "1e999999999",
        "security_grievances_received": "1,200",
        "implementation_spend": {"amount": "Infinity", "currency": "USD"},
    }
    with pytest.raises(InvalidInput) as refused:
        checked_values(default, Pillar.COMPANY, raw, Stage.DRAFT)
    reasons = {p.path: p.reason for p in refused.value.problems}
    assert reasons == {
        "indicators.risk_assessments": "is too large (at most 15 digits before the point)",
        "indicators.security_grievances_received": "write the number without commas (1200.50)",
        "indicators.implementation_spend": "must be a finite number",
    }


def test_digits_after_the_point_are_bounded() -> None:
    """Found by a review: an amount with thousands of digits after the point was stored,
    summed and shown as given. Trailing zeros do not count; 0.0001 of a currency is the finest
    minor unit ISO 4217 has."""
    default = Rulebook().indicators.sets[0]
    fine = {"implementation_spend": {"amount": "1200.5000000000", "currency": "USD"}}
    assert checked_values(default, Pillar.COMPANY, fine, Stage.DRAFT)
    raw = {"implementation_spend": {"amount": "0." + "3" * 5000, "currency": "USD"}}
    with pytest.raises(InvalidInput) as refused:
        checked_values(default, Pillar.COMPANY, raw, Stage.DRAFT)
    assert [(p.path, p.reason) for p in refused.value.problems] == [
        (
            "indicators.implementation_spend",
            "has too many digits after the point (at most 4)",
        )
    ]


def test_an_amount_names_a_currency_that_exists() -> None:
    """Found by a review: any three capitals were taken ("ZZZ", "ABC"), stored, and shown in
    the aggregates as a figure of their own ("sum ZZZ"). A year's values stored before the
    check are still read (`Stage.STORED`): an old row must not stop the year's figures."""
    default = Rulebook().indicators.sets[0]
    for code in ("ZZZ", "ABC"):
        raw = {"implementation_spend": {"amount": "100", "currency": code}}
        for stage in (Stage.DRAFT, Stage.SUBMISSION):
            with pytest.raises(InvalidInput) as refused:
                checked_values(default, Pillar.COMPANY, raw, stage)
            problems = [(p.path, p.reason) for p in refused.value.problems]
            assert (
                "indicators.implementation_spend",
                "the currency must be a three-letter ISO code such as USD",
            ) in problems
        kept = checked_values(default, Pillar.COMPANY, raw, Stage.STORED)
        assert kept["implementation_spend"] == Amount(Decimal(100), code)
    ghana = {"implementation_spend": {"amount": "100", "currency": "GHS"}}
    assert checked_values(default, Pillar.COMPANY, ghana, Stage.DRAFT)


def test_numbers_are_kept_as_people_write_them() -> None:
    """Found by a review: "1e2" was kept as "1E+2" and "-0" as a negative zero, and shown and
    exported so to the member's reviewers and the Secretariat."""
    default = Rulebook().indicators.sets[0]
    raw = {
        "sites_arrangements_reviewed": "1e2",
        "security_grievances_received": "-0",
        "implementation_spend": {"amount": "12E+3", "currency": "USD"},
    }
    kept = stored(checked_values(default, Pillar.COMPANY, raw, Stage.DRAFT))
    assert kept == {
        "sites_arrangements_reviewed": "100",
        "security_grievances_received": 0,
        "implementation_spend": {"amount": "12000", "currency": "USD"},
    }
    negative_zero = {"sites_arrangements_reviewed": "-0.0"}
    assert stored(checked_values(default, Pillar.COMPANY, negative_zero, Stage.DRAFT)) == {
        "sites_arrangements_reviewed": "0.0"
    }
