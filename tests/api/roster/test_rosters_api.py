"""The verification roster over HTTP: reading, forecasting, deferring, recording outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from govsched.rehearsal.demo_registry import demo_registry
from tests.api.roster_fixture import CHAIR, SECRETARIAT, Roster, roster

__all__ = ["roster"]  # the module's fixture


def _full(member: dict[str, Any]) -> bool:
    return bool(member["history"][-1]["status"] == "full")


def _focal_point(member: str) -> str:
    return f"fp-{member}"


# -- reading -------------------------------------------------------------------------------------


async def test_the_roster_gives_each_slot_a_reason_and_its_inputs(roster: Roster) -> None:
    document = await roster.document()
    demo = demo_registry()
    presenting = [
        m for m in demo.members if m.status.value == "full" and m.pillar.value != "observer"
    ]
    assert document["year"] == roster.year
    assert document["plenary"] == f"plenary-{roster.year}"
    # every Full member of the three pillars once in three years (nobody joined within grace)
    assert len(document["slots"]) == -(-len(presenting) // 3)
    assert all(slot["reason"].startswith("never presented") for slot in document["slots"])
    assert {m["id"] for m in document["members"]} == {
        m.id for m in demo.members if m.pillar.value != "observer"
    }
    assert document["ledger"] == []
    assert len(document["seed"]) == 16


async def test_the_roster_circulates_as_markdown_with_names(roster: Roster) -> None:
    response = await roster.call(
        "GET", _focal_point("co-aurum-mining"), f"/rosters/{roster.year}", format="markdown"
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    text = response.text
    assert text.startswith(f"# Verification presentations, {roster.year} plenary")
    first = (await roster.document())["slots"][0]
    name = next(m.name for m in demo_registry().members if m.id == first["member"])
    assert f"| 1 | {name} | {first['pillar']} | {first['reason']} |" in text


async def test_anyone_signed_in_can_recompute_the_published_roster(roster: Roster) -> None:
    response = await roster.call(
        "GET", _focal_point("ngo-civic-space-trust"), f"/rosters/{roster.year}/verification"
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"year": roster.year, "matches": True, "differences": []}


async def test_the_forecast_starts_with_the_published_roster(roster: Roster) -> None:
    response = await roster.call("GET", SECRETARIAT, "/rosters/forecast", years=3)
    assert response.status_code == 200, response.text
    years = response.json()
    assert [(y["year"], y["published"]) for y in years] == [
        (roster.year, True),
        (roster.year + 1, False),
        (roster.year + 2, False),
    ]
    drawn = [{s["member"] for s in y["slots"]} for y in years]
    # One cycle: every presenting Full member once; the rounded-up slots add repeats only.
    presenting = {m["id"] for m in (await roster.document())["members"] if _full(m)}
    assert set().union(*drawn) == presenting
    assert not drawn[0] & drawn[1]
    assert not drawn[1] & drawn[2]
    assert len(drawn[0] & drawn[2]) == sum(map(len, drawn)) - len(presenting)
    assert all(s["reason"] for y in years for s in y["slots"])


async def test_the_forecast_before_any_plenary_is_scheduled_says_its_seed_is_provisional(
    roster: Roster,
) -> None:
    before = roster.unscheduled_forecast
    assert [y["published"] for y in before] == [False, False]
    assert {y["seed"] for y in before} == {"provisional"}
    assert any("provisional seed" in s["reason"] for y in before for s in y["slots"])


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/rosters/forecast", {"years": 0}, 422, "query.years"),
        ("/rosters/forecast", {"years": 21}, 422, "query.years"),
        ("/rosters/forecast", {"years": "ten"}, 422, "query.years"),
        ("/rosters/1200", {}, 422, "path.year"),
        ("/rosters/2031", {}, 404, None),
        ("/rosters/2031", {"format": "pdf"}, 422, "query.format"),
    ],
)
async def test_bad_roster_reads_are_refused_naming_the_field(
    roster: Roster, path: str, params: dict[str, Any], status: int, field: str | None
) -> None:
    response = await roster.call("GET", SECRETARIAT, path, **params)
    assert response.status_code == status, response.text
    body = response.json()
    if field is not None:
        assert field in [p["field"] for p in body["problems"]]
    else:
        assert body["error"] == "not_found"


async def test_reading_rosters_needs_a_token(roster: Roster) -> None:
    response = await roster.call("GET", None, f"/rosters/{roster.year}")
    assert response.status_code == 401


# -- deferrals -----------------------------------------------------------------------------------


@pytest.mark.dates
async def test_a_deferral_is_asked_decided_and_a_replacement_drawn(roster: Roster) -> None:
    before = await roster.document()
    slot = next(s for s in before["slots"] if s["pillar"] == "company")
    member = slot["member"]
    path = f"/rosters/{roster.year}/deferrals"

    other = next(s["member"] for s in before["slots"] if s["pillar"] == "ngo")
    wrong = await roster.call("POST", _focal_point(other), path, {"member": member, "reason": "x"})
    assert wrong.status_code == 403, wrong.text
    assert wrong.json()["missing_role"] == f"focal_point for {member}"

    asked = await roster.call(
        "POST", _focal_point(member), path, {"member": member, "reason": "Audit not finished."}
    )
    assert asked.status_code == 201, asked.text
    assert asked.json()["requested_by"] == _focal_point(member)
    again = await roster.call("POST", _focal_point(member), path, {"member": member, "reason": "x"})
    assert again.status_code == 409, again.text

    decision = f"{path}/{member}/decision"
    not_chair = await roster.call("POST", _focal_point(other), decision, {"approve": True})
    assert not_chair.status_code == 403, not_chair.text
    decided = await roster.call("POST", CHAIR, decision, {"approve": True})
    assert decided.status_code == 200, decided.text
    after = decided.json()
    members_after = [s["member"] for s in after["slots"]]
    assert member not in members_after
    assert len(members_after) == len(before["slots"])
    replacement = next(s for s in after["slots"] if s["reason"].startswith(f"replaces {member}"))
    assert replacement["pillar"] == "company"
    # Nobody else moved.
    assert set(members_after) - {replacement["member"]} == {
        s["member"] for s in before["slots"]
    } - {member}
    assert [d["member"] for d in after["deferrals"]] == [member]
    assert await roster.document() == after
    verified = await roster.call("GET", SECRETARIAT, f"/rosters/{roster.year}/verification")
    assert verified.json()["matches"] is True
    decided_twice = await roster.call("POST", CHAIR, decision, {"approve": True})
    assert decided_twice.status_code == 409, decided_twice.text


async def test_a_refused_deferral_leaves_the_roster_as_it_was(roster: Roster) -> None:
    before = await roster.document()
    member = next(s["member"] for s in before["slots"] if s["pillar"] == "ngo")
    path = f"/rosters/{roster.year}/deferrals"
    asked = await roster.call("POST", SECRETARIAT, path, {"member": member, "reason": "Asked."})
    assert asked.status_code == 201, asked.text
    refused = await roster.call(
        "POST", SECRETARIAT, f"{path}/{member}/decision", {"approve": False}
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["slots"] == before["slots"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"member": "co-aurum-mining"}, 422, "body.reason"),
        ({"member": "Not A Slug", "reason": "x"}, 422, "body.member"),
        ({"member": "co-nobody", "reason": "x"}, 409, "member"),
    ],
)
async def test_bad_deferral_requests_are_refused_naming_the_field(
    roster: Roster, body: dict[str, Any], status: int, field: str
) -> None:
    response = await roster.call("POST", SECRETARIAT, f"/rosters/{roster.year}/deferrals", body)
    assert response.status_code == status, response.text
    assert field in [p["field"] for p in response.json()["problems"]]


async def test_a_deferral_for_a_year_without_a_roster_is_not_found(roster: Roster) -> None:
    body = {"member": "co-aurum-mining", "reason": "x"}
    response = await roster.call("POST", SECRETARIAT, "/rosters/2031/deferrals", body)
    assert response.status_code == 404, response.text


async def test_only_the_chair_or_secretariat_decide_even_before_a_roster_exists(
    roster: Roster,
) -> None:
    # who may decide never depends on whether the roster process has started yet
    decision = "/rosters/2031/deferrals/co-aurum-mining/decision"
    member = await roster.call("POST", _focal_point("co-aurum-mining"), decision, {"approve": True})
    assert member.status_code == 403, member.text
    assert member.json()["missing_role"] == "chair or secretariat"
    chair = await roster.call("POST", CHAIR, decision, {"approve": True})
    assert chair.status_code == 404, chair.text


# -- outcomes ------------------------------------------------------------------------------------


async def test_outcomes_are_recorded_by_the_secretariat_once(roster: Roster) -> None:
    path = "/rosters/2019/presentations"  # history from before govsched: no roster that year
    body = {"member": "gov-norland", "outcome": "presented", "reason": "2019 minutes"}
    by_focal_point = await roster.call("POST", CHAIR, path, body)
    assert by_focal_point.status_code == 403, by_focal_point.text
    recorded = await roster.call("POST", SECRETARIAT, path, body)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["item_id"] == "2019-gov-norland"
    again = await roster.call("POST", SECRETARIAT, path, {**body, "outcome": "absent"})
    assert again.status_code == 409, again.text
    assert again.json()["problems"] == [{"field": "member", "reason": "recorded as presented"}]


async def test_an_outcome_before_the_plenary_begins_is_refused(roster: Roster) -> None:
    member = (await roster.document())["slots"][0]["member"]
    body = {"member": member, "outcome": "presented"}
    response = await roster.call("POST", SECRETARIAT, f"/rosters/{roster.year}/presentations", body)
    assert response.status_code == 409, response.text
    assert [p["field"] for p in response.json()["problems"]] == ["year"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"member": "gov-norland", "outcome": "late"}, "body.outcome"),
        ({"outcome": "presented"}, "body.member"),
        ({"member": "gov-norland", "outcome": "presented", "note": "a\nb"}, "body.note"),
    ],
)
async def test_bad_outcomes_are_refused_naming_the_field(
    roster: Roster, body: dict[str, Any], field: str
) -> None:
    response = await roster.call("POST", SECRETARIAT, "/rosters/2019/presentations", body)
    assert response.status_code == 422, response.text
    assert field in [p["field"] for p in response.json()["problems"]]
