"""Peer reviewers whose member leaves mid-cycle, rehearsed through the real workflows on the
time-skipping server (scenarios/reviewers-who-leave.yaml; found by a review, 8 December 2026,
fifteenth session).

Reviewers are assigned at the end of 25 April. Quiet Waters is made Inactive on 3 May and
back to Full on 19 May; Lumen sends its review of Aurum on 12 May; reviewers are reminded on
17 May; Kestrel withdraws on 18 May with both its reviews owed; Lumen is expelled on 20 May with
its review of Basalt owed; reminded again on 22 May; late reviews listed at the end of 24 May.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest_asyncio

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "reviewers-who-leave.yaml"
WITHDREW = "2027-05-18T14:00:00Z"
EXPELLED = "2027-05-20T14:00:00Z"


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: Any) -> Year:
    root = tmp_path_factory.mktemp("reviewers-who-leave")
    out = root / "out"
    summary = await rehearse_file(SCENARIO, out, Settings(), histories=root / "histories")
    return Year(summary, out)


def _reviewers(year: Year, report_of: str) -> dict[str, str | None]:
    reviews = year.state["report_cycles"]["2027"]["reviews"]
    return {r["reviewer"]: r["submitted_at"] for r in reviews if r["report_of"] == report_of}


def _reminders(year: Year, person: str) -> list[str]:
    return [
        n["sent_at"]
        for n in year.notifications
        if person in n["recipients"] and n["text"].startswith("Reminder: your peer reviews")
    ]


def _assigned(year: Year) -> list[tuple[str, list[str], str]]:
    return [
        (n["sent_at"], n["recipients"], n["text"])
        for n in year.notifications
        if n["text"].startswith("Your peer reviews for 2027") and n["sent_at"] > "2027-05"
    ]


async def test_a_member_that_left_is_reminded_of_nothing_and_listed_late_nowhere(
    rehearsed: Year,
) -> None:
    # both were reminded on 17 May while members; neither on 22 May
    assert _reminders(rehearsed, "fp-kestrel") == ["2027-05-17T04:00:00Z"]
    assert _reminders(rehearsed, "fp-lumen") == ["2027-05-17T04:00:00Z"]
    (late,) = [n["text"] for n in rehearsed.notifications if "not submitted by 24 May" in n["text"]]
    assert "Kestrel Minerals (of" not in late
    assert "Lumen Rights Network (of" not in late
    kept = [
        (r["reviewer"], r["report_of"])
        for r in rehearsed.state["report_cycles"]["2027"]["reviews"]
        if r["reviewer"] in ("co-kestrel", "ngo-lumen")
    ]
    assert kept == [("ngo-lumen", "co-aurum")]
    # Lumen's review sent before its expulsion stays, and reached Aurum that day
    assert _reviewers(rehearsed, "co-aurum")["ngo-lumen"] == "2027-05-12T14:00:00Z"
    feedback = [
        n["recipients"]
        for n in rehearsed.notifications
        if n["text"].startswith("A peer review of your 2027 annual report, by Lumen")
    ]
    assert feedback == [["fp-aurum"]]
    # a review from a member that left is not taken
    refused = [(r["do"], r["problems"][0]["field"]) for r in rehearsed.state["refusals"]]
    assert refused == [("submit_review", "reviewer")]


async def test_each_report_it_was_to_review_gets_another_reviewer_at_once(
    rehearsed: Year,
) -> None:
    for report_of in ("gov-estavia", "ngo-rights", "co-basalt"):
        assert len(_reviewers(rehearsed, report_of)) == 2, report_of
    assert "co-kestrel" not in _reviewers(rehearsed, "gov-estavia")
    assert "co-kestrel" not in _reviewers(rehearsed, "ngo-rights")
    assert "ngo-lumen" not in _reviewers(rehearsed, "co-basalt")
    # told at the instant of the status change: the change woke the cycle (wake-on-member-status)
    told = _assigned(rehearsed)
    assert [at for at, _, _ in told] == [WITHDREW, WITHDREW, EXPELLED]
    assert all("due on 24 May 2027" in text for _, _, text in told)
    # the Secretariat hears which reviews were taken back, once per member
    secretariat = [
        (n["sent_at"], n["text"])
        for n in rehearsed.notifications
        if n["channel"] == "secretariat" and "no longer reviews" in n["text"]
    ]
    assert secretariat == [
        (
            WITHDREW,
            "Kestrel Minerals has left the initiative and no longer reviews: its 2027 peer "
            "reviews not yet submitted (of Government of Estavia, Rights Watch Collective) "
            "are taken back, and while the cycle is open each of those reports is given another "
            "reviewer, as a late report is.",
        ),
        (
            EXPELLED,
            "Lumen Rights Network has left the initiative and no longer reviews: its 2027 peer "
            "reviews not yet submitted (of Basalt Energy) are taken back, and while the cycle is "
            "open each of those reports is given another reviewer, as a late report is.",
        ),
    ]
    # its review deadline left its own calendar; the other reviewers' stay
    assert "reviews-2027-co-kestrel" not in rehearsed.calendar("person-fp-kestrel")
    assert "reviews-2027-ngo-lumen" not in rehearsed.calendar("person-fp-lumen")
    assert "UID:reviews-2027-co-helios@" in rehearsed.calendar("person-fp-helios")


async def test_an_inactive_member_back_to_full_kept_its_reviews_and_was_reminded(
    rehearsed: Year,
) -> None:
    assert _reminders(rehearsed, "fp-quiet") == ["2027-05-17T04:00:00Z", "2027-05-22T04:00:00Z"]
    assert _reviewers(rehearsed, "gov-estavia")["ngo-quiet"] == "2027-05-21T14:00:00Z"
    assert _reviewers(rehearsed, "gov-norland")["ngo-quiet"] is None
    taken_back = [n for n in rehearsed.notifications if "no longer reviews" in n["text"]]
    assert not [n for n in taken_back if "Quiet Waters" in n["text"]]
