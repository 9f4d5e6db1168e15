"""Participant concerns rehearsed through the real workflows (scenarios/concerns.yaml): state.json's
`concerns` key, the late acknowledgement, the single extension, anonymity in every output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import yaml

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "concerns.yaml"
# What would name the anonymous filer of c-guards: its focal point, its member.
FILER_MARKS = ("fp-rights", "ngo-rights", "Rights Watch", "Omar")


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> Year:
    out = tmp_path_factory.mktemp("concerns") / "out"
    return Year(await rehearse_file(SCENARIO, out, Settings()), out)


def case(year: Year, case_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in year.state["concerns"] if c["id"] == case_id)
    return found


def test_state_json_lists_each_case_last_with_the_issue_fields(rehearsed: Year) -> None:
    assert list(rehearsed.state)[-2:] == ["concerns", "refusals"]
    assert [c["id"] for c in rehearsed.state["concerns"]] == ["c-guards", "c-forum", "c-access"]
    assert all(
        set(c) == {"id", "about", "state", "outcome", "history"}
        for c in rehearsed.state["concerns"]
    )
    assert (case(rehearsed, "c-guards")["state"], case(rehearsed, "c-guards")["outcome"]) == (
        "decided",
        "remedial_plan",
    )
    assert case(rehearsed, "c-forum")["outcome"] == "resolved"
    assert case(rehearsed, "c-access")["state"] == "withdrawn"
    actions = [h["action"] for h in case(rehearsed, "c-guards")["history"]]
    assert actions == [
        "concern.filed",
        "concern.acknowledged",
        "concern.dialogue_recorded",
        "concern.dialogue_extended",
        "concern.dialogue_recorded",
        "concern.referred",
        "concern.recommended",
        "concern.decided",
    ]
    # the extended dialogue (5 April + 90 days) closed by its own deadline, at local midnight
    referred = case(rehearsed, "c-guards")["history"][5]
    assert (referred["by"], referred["at"]) == ("system", "2027-07-05T04:00:00Z")


def test_refusals_for_the_wrong_role_and_state_and_the_second_extension(rehearsed: Year) -> None:
    refused = {(r["do"], r["reason"]) for r in rehearsed.state["refusals"]}
    assert refused == {
        ("acknowledge_concern", "acknowledging a concern needs the role 'secretariat'"),
        (
            "decide_concern",
            "cannot decide propose_inactive before the Steering Committee's recommendation",
        ),
        ("record_dialogue", "cannot record a dialogue meeting: the concern is withdrawn"),
        ("extend_dialogue", "the dialogue cannot be extended again"),
    }


def test_the_late_acknowledgement_reaches_the_chair(rehearsed: Year) -> None:
    late = [n for n in rehearsed.notifications if "has not acknowledged" in n["text"]]
    assert {(n["sent_at"], n["channel"], tuple(n["recipients"])) for n in late} == {
        ("2026-12-18T05:00:00Z", "direct", ("fp-norland",)),
        ("2026-12-18T05:00:00Z", "secretariat", ()),
    }
    reminders = [
        n for n in rehearsed.notifications if "Follow-up of the remedial plan" in n["text"]
    ]
    assert {tuple(n["recipients"]) for n in reminders} == {("fp-basalt",), ("fp-rights",), ()}


def test_an_anonymous_filer_appears_nowhere_but_in_its_own_notices(rehearsed: Year) -> None:
    guards = case(rehearsed, "c-guards")
    assert guards["history"][0]["by"] == "anonymous"
    assert not any(mark in str(guards) for mark in FILER_MARKS)
    for notice in rehearsed.notifications:
        if "c-guards" in notice["key"]:
            assert not any(mark in notice["text"] for mark in FILER_MARKS)
            if notice["recipients"]:
                assert notice["recipients"] in (["fp-rights"], ["fp-basalt"], ["fp-norland"])
    public = rehearsed.calendar("public")
    assert "oncern" not in public
    other_side = rehearsed.calendar("person-fp-basalt")
    assert "c-guards" in other_side
    assert not any(mark in other_side for mark in FILER_MARKS)
    for outsider in ("person-fp-aurum", "person-fp-civic", "role-focal_point", "pillar-ngo"):
        assert "c-guards" not in rehearsed.calendar(outsider)
    # the named filer of a case that is not anonymous is shown as such
    assert case(rehearsed, "c-access")["history"][0]["by"] == "fp-civic"


async def test_a_third_partys_anonymity_masks_the_filer_not_the_secretariats_own_steps(
    tmp_path: Path,
) -> None:
    """The Secretariat files anonymously for a community without access: in state.json the
    filing is the third party's ("anonymous"); the Secretariat's acknowledgement, referral and
    decision, and the Committee's recommendation, are named as they were taken."""
    scenario = yaml.safe_load(SCENARIO.read_text("utf-8"))
    forum = "Upper Valley fishing cooperative"
    scenario["until"] = "2027-03-31"
    scenario["events"] = [
        {
            "at": "2026-12-02T10:00",
            "do": "schedule_plenary",
            "with": {
                "year": 2027,
                "starts": "2027-11-16",
                "ends": "2027-11-18",
                "location": "Norland Harbour",
                "host": "gov-norland",
            },
        },
        {
            "at": "2026-12-03T10:00",
            "do": "file_concern",
            "with": {
                "id": "c-river",
                "about": "co-aurum",
                "by": "sec-amina",
                "on_behalf_of": forum,
                "anonymous": True,
                "summary": "Fishing grounds were fenced off without consultation.",
            },
        },
        *(
            {"at": at, "do": action, "with": {"case": "c-river", "by": by, **more}}
            for at, action, by, more in (
                ("2026-12-04T10:00", "acknowledge_concern", "sec-amina", {}),
                ("2027-01-10T10:00", "refer_concern", "sec-amina", {}),
                (
                    "2027-01-20T10:00",
                    "recommend_on_concern",
                    "fp-valdoria",
                    {"recommendation": "No further action."},
                ),
                (
                    "2027-02-01T10:00",
                    "decide_concern",
                    "sec-amina",
                    {"outcome": "no_further_action", "note": "Decided intersessionally."},
                ),
            )
        ),
    ]
    path = tmp_path / "third-party.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), "utf-8")
    rehearsed = Year(await rehearse_file(path, tmp_path / "out", Settings()), tmp_path / "out")
    assert rehearsed.state["refusals"] == []
    river = case(rehearsed, "c-river")
    assert set(river) == {"id", "about", "state", "outcome", "history"}
    assert [(h["action"], h["by"]) for h in river["history"]] == [
        ("concern.filed", "anonymous"),
        ("concern.acknowledged", "sec-amina"),
        ("concern.referred", "sec-amina"),
        ("concern.recommended", "fp-valdoria"),
        ("concern.decided", "sec-amina"),
    ]
    assert forum not in json.dumps(rehearsed.state)
