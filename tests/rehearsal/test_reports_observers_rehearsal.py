"""A reporting year with observers, rehearsed through the real workflows (issue 17).

scenarios/reporting-observers.yaml: eleven members of the voting pillars and an observer report
on time, another observer stays silent. Under the VPI rulebook no pillar may review observers:
the observer's report is set aside with its own explanation and the eleven others get their
reviewers (before, the solver refused the whole cycle). Observers owe no report by default;
with `reporting.observers_report` they are asked like everyone, and with reviewers named for
them their reports are reviewed too. Observers never review.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from governance.rulebook.model import load_rulebook
from govsched.config import Settings
from govsched.rehearsal.driver import RehearsalSummary, load_scenario, rehearse

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "reporting-observers.yaml"
VOTING = {
    "gov-norland",
    "gov-estavia",
    "gov-valdoria",
    "gov-korvania",
    "co-aurum",
    "co-basalt",
    "co-helios",
    "co-kestrel",
    "ngo-rights",
    "ngo-civic",
    "ngo-lumen",
}
OBSERVERS = {"obs-geneva", "obs-icrc"}


class Cycle:
    def __init__(self, summary: RehearsalSummary, out: Path) -> None:
        self.summary = summary
        state = json.loads((out / "state.json").read_text("utf-8"))
        self.cycle: dict[str, Any] = state["report_cycles"]["2027"]
        self.notifications = [
            json.loads(line)
            for line in (out / "notifications.jsonl").read_text("utf-8").splitlines()
        ]

    def reviewed(self) -> set[str]:
        return {r["report_of"] for r in self.cycle["reviews"]}

    def reviewers(self) -> set[str]:
        return {r["reviewer"] for r in self.cycle["reviews"]}

    def told(self, person: str) -> list[dict[str, Any]]:
        return [n for n in self.notifications if person in n["recipients"]]

    def set_aside_notices(self) -> list[str]:
        return [n["text"] for n in self.notifications if ":vunassignable-" in n["key"]]


async def _rehearsed(out: Path, **overrides: Any) -> Cycle:
    scenario, _ = load_scenario(SCENARIO)
    summary = await rehearse(
        scenario, load_rulebook(overrides), out, Settings().temporal_test_server
    )
    return Cycle(summary, out)


@pytest_asyncio.fixture(scope="module")
async def default(tmp_path_factory: pytest.TempPathFactory) -> Cycle:
    return await _rehearsed(tmp_path_factory.mktemp("observers-default") / "out")


@pytest_asyncio.fixture(scope="module")
async def asked(tmp_path_factory: pytest.TempPathFactory) -> Cycle:
    return await _rehearsed(
        tmp_path_factory.mktemp("observers-asked") / "out",
        reporting={"observers_report": True},
        peer_review={"reviewers_for": {"observer": ["government", "ngo"]}},
    )


async def test_an_unreviewable_report_is_set_aside_and_every_other_report_is_assigned(
    default: Cycle,
) -> None:
    assert default.reviewed() == VOTING
    assert all(sum(1 for r in default.cycle["reviews"] if r["report_of"] == m) == 2 for m in VOTING)
    (notice,) = default.set_aside_notices()
    assert notice.startswith("Peer reviewers for 2027: 1 of 12 reports set aside")
    assert "(11 assigned)" in notice
    assert "Geneva Centre for Security Governance's report: needs 2 more reviewers" in notice
    assert "no pillar may review observer reports" in notice
    assert "binding: peer_review.reviewers_for" in notice


async def test_observers_owe_no_report_by_default_and_never_review(default: Cycle) -> None:
    assert not default.told("fp-icrc")  # no reminder, no overdue notice
    assert not default.told("fp-geneva")  # nothing to review, nothing owed
    assert not default.reviewers() & OBSERVERS
    assert default.cycle["escalations"] == []
    listed = {r["member"] for r in default.cycle["reports"]}
    assert "obs-icrc" not in listed  # not open, not overdue: owed by nobody


async def test_observers_asked_to_report_are_reminded_escalated_and_reviewed(
    asked: Cycle,
) -> None:
    kinds = {n["kind"] for n in asked.told("fp-icrc")}
    assert {"deadline_reminder", "overdue"} <= kinds
    assert [e["member"] for e in asked.cycle["escalations"]] == ["obs-icrc"]
    assert asked.reviewed() == VOTING | {"obs-geneva"}
    assert not asked.reviewers() & OBSERVERS
    assert asked.set_aside_notices() == []
    of_geneva = [r["reviewer"] for r in asked.cycle["reviews"] if r["report_of"] == "obs-geneva"]
    assert all(r.startswith(("gov-", "ngo-")) for r in of_geneva)
