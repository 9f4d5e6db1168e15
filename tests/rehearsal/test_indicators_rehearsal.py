"""Impact indicators over two reporting years with a changed set, rehearsed through the real
cycle workflows (scenarios/indicator-years.yaml, issue 22)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from governance.kernel.model import Pillar
from governance.reports.indicators.aggregates import MemberValues, year_tables
from governance.reports.indicators.comparison import compare
from governance.reports.indicators.values import Stage, checked_values
from govsched.config import Settings
from govsched.rehearsal.driver import load_scenario, rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "indicator-years.yaml"


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> Year:
    out = tmp_path_factory.mktemp("indicator-years") / "out"
    return Year(await rehearse_file(SCENARIO, out, Settings()), out)


async def test_each_year_keeps_its_values_with_its_set_version(rehearsed: Year) -> None:
    values: dict[str, Any] = rehearsed.state["indicators"]
    assert rehearsed.state["indicator_versions"] == {"2027": "vpi-2027", "2028": "vpi-2028"}
    assert sorted(values["2027"]) == [
        "co-aurum",
        "co-basalt",
        "co-helios",
        "gov-estavia",
        "gov-norland",
        "gov-valdoria",
        "ngo-civic",
        "ngo-lumen",
        "ngo-rights",
    ]
    # 2027 keeps the indicator the 2028 set dropped; the amendment replaced Aurum's figure
    assert values["2027"]["co-aurum"] == {
        "risk_assessments": 8,
        "sites_reviewed": "40",
        "implementation_spend": {"amount": "250000", "currency": "USD"},
    }
    assert values["2028"]["co-aurum"]["security_grievances_received"] == 2
    assert values["2028"]["gov-norland"]["national_action_plan"] == "under revision"


async def test_refused_values_name_every_field_and_record_nothing(rehearsed: Year) -> None:
    refused = {
        r["index"]: sorted(p["field"] for p in r["problems"]) for r in rehearsed.state["refusals"]
    }
    assert list(refused.values()) == [
        [
            "indicators.implementation_spend",
            "indicators.risk_assessments",
            "indicators.sites_reviewed",
        ],
        ["indicators.security_grievances_received", "indicators.sites_reviewed"],
    ]
    reports = {r["member"]: r for r in rehearsed.state["report_cycles"]["2027"]["reports"]}
    # the refused report of 12 February was not kept: the one of the 13th is
    assert reports["co-basalt"]["submitted_at"] == "2027-02-13T15:00:00Z"


async def test_an_amendment_is_audited_and_told_to_the_reviewers_only(rehearsed: Year) -> None:
    amended = [e for e in rehearsed.audit if e["action"] == "indicators.amended"]
    assert [(e["item_id"], e["data"]["changed"]) for e in amended] == [
        ("indicators-2027-co-aurum", ["risk_assessments"])
    ]
    told = [n for n in rehearsed.notifications if "amended its 2027 impact indicators" in n["text"]]
    reviewers = {
        r["reviewer"]
        for r in rehearsed.state["report_cycles"]["2027"]["reviews"]
        if r["report_of"] == "co-aurum"
    }
    focal = {"gov-estavia": "fp-estavia", "ngo-rights": "fp-rights", "gov-norland": "fp-norland"}
    assert sorted(r for n in told for r in n["recipients"]) == sorted(focal[r] for r in reviewers)
    assert "Risk assessments that considered security and human rights" in told[0]["text"]


async def test_a_comment_on_an_indicator_reaches_the_member_with_the_review(
    rehearsed: Year,
) -> None:
    feedback = [
        n
        for n in rehearsed.notifications
        if n["key"] == "decision:report-2027-co-aurum:vreview-gov-estavia:fp-aurum"
    ]
    assert len(feedback) == 1
    assert feedback[0]["text"].endswith(
        "Comments on your indicators: Risk assessments that considered security and human "
        "rights: Please say which sites the eight assessments covered."
    )


async def test_years_of_different_sets_compare_only_what_both_hold(rehearsed: Year) -> None:
    _scenario, rulebook = load_scenario(SCENARIO)
    members = {m["id"]: m for m in rehearsed.state["members"]}
    country = {
        "gov-norland": "Norland",
        "gov-estavia": "Estavia",
        "gov-valdoria": "Valdoria",
        "co-aurum": "Norland",
        "co-basalt": "Norland",
        "co-helios": "Valdoria",
        "ngo-rights": "Estavia",
        "ngo-civic": "Norland",
        "ngo-lumen": "Valdoria",
    }
    tables = {}
    for year in (2027, 2028):
        version = rehearsed.state["indicator_versions"][str(year)]
        indicator_set = rulebook.indicators.set_by_version(version)
        reports = []
        for member, raw in rehearsed.state["indicators"][str(year)].items():
            pillar = Pillar(members[member]["pillar"])
            typed = checked_values(indicator_set, pillar, raw, Stage.DRAFT)
            reports.append(MemberValues(member, pillar, country[member], typed))
        tables[year] = (indicator_set, year_tables(indicator_set, year, reports))
    comparison = compare(*tables[2027], *tables[2028])
    left_out = {(x.pillar.value, x.indicator): x.reason for x in comparison.left_out}
    assert left_out == {
        ("company", "security_grievances_received"): "not in the earlier year's set",
        ("company", "sites_reviewed"): "not in the later year's set",
        ("government", "national_action_plan"): "its choices changed",
    }
    assert comparison.note is not None
    assert "only indicators present in both" in comparison.note
    risk = {
        c.figure: (c.earlier, c.later, c.change)
        for c in comparison.changes
        if c.indicator == "risk_assessments" and c.country is None
    }
    assert {k: tuple(map(str, v)) for k, v in risk.items()} == {
        "sum": ("13", "15", "2"),
        "members": ("3", "3", "0"),
    }
