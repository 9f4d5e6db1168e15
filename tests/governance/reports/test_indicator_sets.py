"""Indicator sets in the rulebook (issue 22): the DEFAULT set, versions by year, and refusals of an
invalid set naming each problem."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.actor import Actor
from governance.kernel.errors import InvalidInput, RulebookInvalid
from governance.kernel.model import Pillar, Role
from governance.reports.indicators.access import may_see_values
from governance.reports.indicators.model import IndicatorType, Theme
from governance.rulebook.model import Rulebook, load_rulebook
from tests.governance.reports.indicator_strategies import UNHURRIED, indicator_lists


def _rules(*sets: dict[str, Any]) -> dict[str, Any]:
    return {"indicators": {"sets": list(sets)}}


def test_the_shipped_set_is_marked_default_and_covers_every_voting_pillar() -> None:
    rules = Rulebook().indicators
    assert rules.min_members_per_cell == 3
    (default,) = rules.sets
    assert default.default is True
    assert set(default.pillars) == {Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO}
    company = {i.key: i for i in default.indicators(Pillar.COMPANY)}
    assert company["security_grievances_received"].theme is Theme.GRIEVANCE_AND_REMEDY
    assert company["risk_assessments"].required
    nap = default.indicators(Pillar.GOVERNMENT)[0]
    assert nap.key == "national_action_plan"
    assert nap.type is IndicatorType.CHOICE
    assert default.indicators(Pillar.OBSERVER) == []
    themes = {i.theme for inds in default.pillars.values() for i in inds}
    assert themes == set(Theme), "every theme is evidenced by some DEFAULT indicator"


def test_a_label_falls_back_to_english_until_a_language_is_added() -> None:
    data = Rulebook().indicators.model_dump(mode="json")
    data["sets"][0]["pillars"]["ngo"][0]["texts"]["fr"] = {"label": "Engagements de terrain"}
    rb = load_rulebook({"indicators": data})
    first = rb.indicators.sets[0].indicators(Pillar.NGO)[0]
    assert first.label("fr") == "Engagements de terrain"
    assert first.label("es") == first.label() == "Field engagements with affected communities"


@UNHURRIED
@given(st.data())
def test_valid_generated_sets_load_and_the_version_follows_the_year(data: st.DataObject) -> None:
    first = data.draw(indicator_lists())
    second = data.draw(indicator_lists())
    rb = load_rulebook(
        _rules(
            {"version": "a-1", "from_year": 2026, "pillars": {"company": first}},
            {"version": "a-2", "from_year": 2028, "pillars": {"company": second, "ngo": first}},
        )
    )
    rules = rb.indicators
    assert rules.set_for_year(2026).version == "a-1"
    assert rules.set_for_year(2027).version == "a-1"
    assert rules.set_for_year(2031).version == "a-2"
    assert [i.key for i in rules.set_for_year(2028).indicators(Pillar.NGO)] == [
        i["key"] for i in first
    ]
    with pytest.raises(InvalidInput) as refused:
        rules.set_for_year(2025)
    assert refused.value.problems[0].path == "year"
    assert rules.set_by_version("a-1").from_year == 2026
    with pytest.raises(InvalidInput) as refused:
        rules.set_by_version("vpi-default-1")
    assert refused.value.problems[0].path == "indicators.sets"


def _fault(kind: str, ind: dict[str, Any]) -> str:
    """Break `ind` in place; the field path (under the indicator) the refusal must name."""
    type_ = ind["type"]
    if kind == "no_english":
        ind["texts"] = {"fr": ind["texts"]["en"]}
        return "texts"
    if kind == "range_on_non_number":
        ind["type"] = "yes_no" if type_ != "yes_no" else "choice"
        ind["minimum"], ind["choices"], ind["currencies"], ind["max_length"] = 1, [], [], None
        if ind["type"] == "choice":
            ind["choices"] = ["a", "b"]
        return "minimum"
    if kind == "minimum_above_maximum":
        ind.update(type="whole_number", minimum=10, maximum=2, choices=[], currencies=[])
        ind["max_length"] = None
        return "maximum"
    if kind == "percentage_beyond_100":
        ind.update(type="percentage", minimum=None, maximum=150, choices=[], currencies=[])
        ind["max_length"] = None
        return "maximum"
    if kind == "one_choice":
        ind.update(type="choice", choices=["only"], minimum=None, maximum=None, currencies=[])
        ind["max_length"] = None
        return "choices"
    if kind == "currencies_on_text":
        ind.update(type="short_text", currencies=["USD"], minimum=None, maximum=None, choices=[])
        return "currencies"
    raise AssertionError(kind)


FAULTS = [
    "no_english",
    "range_on_non_number",
    "minimum_above_maximum",
    "percentage_beyond_100",
    "one_choice",
    "currencies_on_text",
]


@UNHURRIED
@given(st.data())
def test_every_problem_of_an_invalid_set_is_named(data: st.DataObject) -> None:
    indicators = data.draw(indicator_lists())
    broken = copy.deepcopy(indicators)
    chosen = data.draw(
        st.lists(st.sampled_from(range(len(broken))), unique=True, min_size=1), label="broken"
    )
    expected = set()
    for i in chosen:
        field = _fault(data.draw(st.sampled_from(FAULTS)), broken[i])
        expected.add(f"indicators.sets.0.pillars.government.{i}.{field}")
    duplicate = data.draw(st.booleans(), label="duplicate key")
    if duplicate:
        broken.append(copy.deepcopy(indicators[0]))
        expected.add("indicators.sets.0.pillars.government")
    with pytest.raises(RulebookInvalid) as refused:
        load_rulebook(
            _rules({"version": "v", "from_year": 2026, "pillars": {"government": broken}})
        )
    paths = {p.path for p in refused.value.problems}
    assert expected <= paths, refused.value.describe()
    assert all(p.reason for p in refused.value.problems)


def test_field_errors_and_clashing_versions_are_named_by_path() -> None:
    good = Rulebook().indicators.sets[0].model_dump(mode="json")
    again = copy.deepcopy(good)
    with pytest.raises(RulebookInvalid) as refused:
        load_rulebook(_rules(good, again))
    reasons = {(p.path, p.reason) for p in refused.value.problems}
    assert ("indicators.sets", "version 'vpi-default-1' is used by 2 sets") in reasons
    assert ("indicators.sets", "from_year 2026 is used by 2 sets") in reasons

    bad = copy.deepcopy(good)
    bad["pillars"]["company"][0]["type"] = "colour"
    bad["pillars"]["company"][1]["theme"] = "weather"
    with pytest.raises(RulebookInvalid) as refused:
        load_rulebook({"indicators": {"sets": [bad], "min_members_per_cell": 0}})
    paths = {p.path for p in refused.value.problems}
    assert {
        "indicators.sets.0.pillars.company.0.type",
        "indicators.sets.0.pillars.company.1.theme",
        "indicators.min_members_per_cell",
    } <= paths

    with pytest.raises(RulebookInvalid) as refused:
        load_rulebook(_rules())
    assert [p.path for p in refused.value.problems] == ["indicators.sets"]


def test_the_default_set_survives_the_rulebook_printed_as_yaml_and_read_back() -> None:
    printed = yaml.safe_dump(Rulebook().model_dump(mode="json"), sort_keys=False)
    again = load_rulebook(yaml.safe_load(printed))
    assert again.indicators == Rulebook().indicators
    percentage = again.indicators.sets[0].indicators(Pillar.COMPANY)[1]
    assert percentage.type is IndicatorType.PERCENTAGE
    assert percentage.minimum is None


def test_a_members_own_values_are_read_by_itself_its_reviewers_and_the_governing_bodies() -> None:
    reviewers = {"ngo-b", "gov-c"}
    focal = frozenset({Role.FOCAL_POINT})
    assert may_see_values(Actor(person="p1", member="co-a", roles=focal), "co-a", reviewers)
    assert may_see_values(Actor(person="p2", member="ngo-b", roles=focal), "co-a", reviewers)
    # the registry keeps a person's member when its roles are taken away: it reads no more
    assert not may_see_values(Actor(person="p1", member="co-a"), "co-a", reviewers)
    assert not may_see_values(Actor(person="p2", member="ngo-b"), "co-a", reviewers)
    assert may_see_values(Actor(person="s", roles=frozenset({Role.SECRETARIAT})), "co-a", ())
    sc = Actor(person="sc", member="gov-z", roles=frozenset({Role.STEERING_COMMITTEE}))
    assert may_see_values(sc, "co-a", ())
    assert not may_see_values(Actor(person="p3", member="co-d", roles=focal), "co-a", reviewers)
    chair = Actor(person="ch", member="gov-z", roles=frozenset({Role.CHAIR}))
    assert not may_see_values(chair, "co-a", reviewers)
    assert not may_see_values(Actor(person="anyone"), "co-a", reviewers)


def test_choices_on_an_amount_are_refused_in_english_whose_article_agrees() -> None:
    """Found by review: "a amount indicator has no choices"."""
    data = Rulebook().indicators.model_dump(mode="json")
    first = data["sets"][0]["pillars"]["ngo"][0]
    first.update(type="amount", choices=["low", "high"], minimum=None, maximum=None)
    first.update(currencies=["USD"], max_length=None)
    with pytest.raises(RulebookInvalid) as refused:
        load_rulebook({"indicators": data})
    reasons = {p.path: p.reason for p in refused.value.problems}
    assert reasons == {
        "indicators.sets.0.pillars.ngo.0.choices": "an indicator of type amount has no choices"
    }
