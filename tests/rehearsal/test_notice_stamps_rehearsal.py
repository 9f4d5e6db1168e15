"""Notices stamped no earlier than what they are about, and a handover that passes open work
once (issue 17.11), with plenary decisions only while the plenary sits (issue 17.8): rehearsed
through the real workflows on the time-skipping server.

The 2027 plenary is scheduled late (20 April for 18-21 May), when most of its milestones and
handover items are already due or overdue; the Chair's own report is never completed, so it is
overdue when Norland hands the Chair to Estavia.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

SCHEDULED = "2027-04-20T14:00:00Z"  # 10:00 in Toronto
HANDOVER = "2027-05-22T04:00:00Z"  # the end of 21 May in Toronto
SCENARIO = Path(__file__).with_name("late_plenary_and_handover.yaml")


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> Year:
    out = tmp_path_factory.mktemp("notice-stamps") / "out"
    return Year(await rehearse_file(SCENARIO, out, Settings()), out)


def _about(year: Year, *prefixes: str) -> list[dict[str, Any]]:
    return [n for n in year.notifications if any(f":{p}" in n["key"] for p in prefixes)]


async def test_nothing_about_a_late_planned_plenary_is_stamped_before_it_was_scheduled(
    rehearsed: Year,
) -> None:
    planned = _about(rehearsed, "milestone-plenary-2027-", "handover-2027")
    assert planned, "the late plenary's milestones and checklist were reminded"
    early = [(n["sent_at"], n["key"]) for n in planned if n["sent_at"] < SCHEDULED]
    assert early == []
    # The save-the-date was long overdue: one note, sent (and stamped) at the scheduling.
    (save,) = _about(rehearsed, "milestone-plenary-2027-save-the-date")
    assert (save["sent_at"], save["kind"]) == (SCHEDULED, "overdue")


async def test_the_new_chair_inherits_open_work_once_in_the_welcome_note(rehearsed: Year) -> None:
    chair_work = _about(rehearsed, "milestone-plenary-2027-chair-report")
    # Norland, while Chair, heard of its report; Estavia never gets Norland's reminders.
    assert chair_work, "the outgoing Chair was reminded"
    assert {tuple(n["recipients"]) for n in chair_work} == {("fp-norland",)}
    assert all(n["sent_at"] <= HANDOVER for n in chair_work)
    to_new_chair = [n for n in rehearsed.notifications if n["recipients"] == ["fp-estavia"]]
    welcome = [n for n in to_new_chair if n["key"].endswith(":vwelcome:fp-estavia")]
    assert len(welcome) == 1
    assert welcome[0]["sent_at"] == HANDOVER
    assert "Open milestones of the Chair: Chair's report to the plenary" in welcome[0]["text"]
    # Nothing else the Chair owns reaches Estavia stamped before it was Chair.
    before = [
        (n["sent_at"], n["key"])
        for n in to_new_chair
        if n["sent_at"] < HANDOVER and (":milestone-" in n["key"] or ":handover-" in n["key"])
    ]
    assert before == []


async def test_plenary_decisions_only_while_the_plenary_sits(rehearsed: Year) -> None:
    refused = {r["index"]: r for r in rehearsed.state["refusals"]}
    assert {i: r["do"] for i, r in refused.items()} == {
        7: "record_plenary_decision",
        9: "record_plenary_decision",
    }
    assert "no later plenary is scheduled" in refused[7]["reason"]
    assert (
        "the next plenary is the 2027 plenary in Norland Harbour, from 18 to 21 May 2027"
        in refused[9]["reason"]
    )
    assert [p["field"] for p in refused[9]["problems"]] == ["plenary"]
    (app,) = rehearsed.state["applications"]
    assert app["state"] == "admitted"
    assert app["history"][-1]["at"] == "2027-05-20T19:00:00Z"
