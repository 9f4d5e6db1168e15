"""A report or a review for a year with no annual plenary is refused and listed, and the
rehearsal goes on. Found by a review: the rehearsal waited for that year's reporting cycle,
which never starts, until it gave up ten minutes later with no outputs at all."""

from __future__ import annotations

from pathlib import Path

from tests.rehearsal_helpers import run_scenario


async def test_a_report_and_a_review_for_a_year_without_a_plenary_are_refused(
    tmp_path: Path,
) -> None:
    report = {"year": 2027, "member": "gov-estavia", "by": "fp-estavia", "kind": "update"}
    review = {
        "year": 2027,
        "report_of": "gov-estavia",
        "reviewer": "co-aurum",
        "by": "sc-2",
        "url": "https://aurum.example/review.pdf",
    }
    outputs = await run_scenario(
        tmp_path,
        "2027-01-04",
        "2027-02-28",
        [
            {
                "at": "2027-02-01T10:00",
                "do": "submit_report",
                "with": {**report, "url": "https://estavia.example/report.pdf"},
            },
            {"at": "2027-02-02T10:00", "do": "submit_review", "with": review},
        ],
    )
    refused = {r["index"]: r for r in outputs.state["refusals"]}
    assert sorted(refused) == [0, 1]
    assert refused[0]["problems"][0]["field"] == "year"
    assert "no 2027 annual plenary is scheduled" in refused[0]["problems"][0]["reason"]
    assert outputs.state["report_cycles"] == {}
