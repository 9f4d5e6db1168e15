"""A handover that passes with nobody named: the outgoing Chair stays (README, "The Chair
handover"), and the registry's `chair_terms`, which answer who was Chair when a decision was
taken, say so. Found by a review: the term ended at the plenary, so for every decision after it
they answered nobody while the Chair kept the role and acted."""

from __future__ import annotations

from pathlib import Path

from tests.rehearsal_helpers import run_scenario


async def test_the_outgoing_chairs_term_runs_on_while_nobody_is_named(tmp_path: Path) -> None:
    outputs = await run_scenario(
        tmp_path,
        "2026-11-25",
        "2027-07-15",
        [
            {
                "at": "2026-11-26T10:00",
                "do": "set_chair",
                "with": {"member": "gov-norland", "starts": "2026-05-22", "ends": "2027-05-22"},
            },
            {
                "at": "2026-11-27T10:00",
                "do": "schedule_plenary",
                "with": {
                    "year": 2027,
                    "starts": "2027-05-18",
                    "ends": "2027-05-21",
                    "location": "Norland Harbour",
                    "host": "gov-norland",
                },
            },
        ],
    )
    assert outputs.state["refusals"] == []
    (term,) = outputs.state["chair_terms"]
    assert term["member"] == "gov-norland"
    # past the plenary (21 May) and past `until`: a term later, or at the next handover
    assert term["ends"] > "2027-07-15"
    (handover,) = outputs.state["handovers"]
    assert (handover["incoming"], handover["completed_at"]) == (None, None)
    roles = {p["id"]: p["roles"] for p in outputs.state["people"]}
    assert "chair" in roles["sc-1"]
