"""An observer admitted through an application is a full (active) observer with no Engaged
period, by either path: the no-objection procedure ratified, or the plenary's own decision."""

from __future__ import annotations

import json
from pathlib import Path

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "observer-admission.yaml"


async def test_observers_are_admitted_full_and_never_enter_an_engaged_period(
    tmp_path: Path,
) -> None:
    summary = await rehearse_file(SCENARIO, tmp_path, Settings())
    state = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    audit = [
        json.loads(line)
        for line in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    ]

    assert summary.refusals == []
    outcomes = {a["id"]: a["outcome"] for a in state["applications"]}
    assert outcomes == {"app-harbour": "admitted", "app-lantern": "admitted"}
    observers = {m["id"]: m for m in state["members"] if m["pillar"] == "observer"}
    assert sorted(observers) == [
        "obs-harbour-institute-for-security-governance",
        "obs-lantern-industry-association",
    ]
    for member in observers.values():
        assert member["status"] == "full"
        assert [h["status"] for h in member["status_history"]] == ["full"]
    harbour = observers["obs-harbour-institute-for-security-governance"]
    assert harbour["status_history"][0]["decision"].startswith(
        "provisional admission by no-objection procedure (app-harbour)"
    )
    lantern = observers["obs-lantern-industry-association"]
    assert lantern["status_history"][0]["decision"] == "admitted as an observer at plenary-2027"
    admitted = sorted(e["item_id"] for e in audit if e["action"] == "member.admitted")
    assert admitted == sorted(observers)
    # no Engaged period was started: its every step is audited under keys `engaged-<member>:...`
    assert [e["key"] for e in audit if e["key"].startswith("engaged-")] == []
