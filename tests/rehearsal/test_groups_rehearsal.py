"""In-country groups rehearsed (scenarios/in-country-groups.yaml): a year with two groups in
their own zones; state.json's `groups` holds each group, its meetings with moved and cancelled
occurrences, and attendance as counts; calendars/ holds each group's feed, whose expansion is
state.json's occurrences; the refusals are those the scenario expects."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
import recurring_ical_events
from icalendar import Calendar

from govsched.config import Settings
from govsched.rehearsal.driver import rehearse_file
from tests.rehearsal.test_roster_rehearsal import Year

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "in-country-groups.yaml"


@pytest_asyncio.fixture(scope="module")
async def rehearsed(tmp_path_factory: pytest.TempPathFactory) -> Year:
    out = tmp_path_factory.mktemp("groups") / "out"
    return Year(await rehearse_file(SCENARIO, out, Settings()), out)


def group(year: Year, group_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(g for g in year.state["groups"] if g["id"] == group_id)
    return found


def test_two_groups_become_active_in_their_own_zones(rehearsed: Year) -> None:
    colombia, kivu = group(rehearsed, "colombia"), group(rehearsed, "drc-south-kivu")
    assert [g["id"] for g in rehearsed.state["groups"]] == ["colombia", "drc-south-kivu"]
    assert (colombia["status"], colombia["partner"], colombia["timezone"]) == (
        "active",
        False,
        "America/Bogota",
    )
    assert (kivu["status"], kivu["partner"], kivu["region"]) == ("active", True, "South Kivu")
    assert colombia["exploration"]["recorded_on"] == "2027-01-19"
    assert colombia["participants"] == [
        {
            "id": "lucia-mora",
            "name": "Lucía Mora",
            "organisation": "Colectivo Cesar",
            "role": "trainer",
        }
    ]


def test_the_monthly_series_keeps_its_moves_and_cancellations(rehearsed: Year) -> None:
    [monthly] = group(rehearsed, "colombia")["meetings"]
    assert monthly["cancelled"] == ["2027-07-06T09:00:00"]
    assert monthly["moved"][0]["starts"] == "2027-04-08T14:00:00"
    assert monthly["held"] == [
        "2027-02-02T09:00:00",
        "2027-03-02T09:00:00",
        "2027-04-08T14:00:00",
        "2027-05-04T09:00:00",
        "2027-06-01T09:00:00",
        "2027-08-03T09:00:00",
        "2027-09-07T09:00:00",
        "2027-10-05T09:00:00",
        "2027-11-02T09:00:00",
        "2027-12-07T09:00:00",
    ]
    assert [(a["recurrence_id"], a["total"]) for a in monthly["attendance"]] == [
        ("2027-02-02T09:00:00", 18),
        ("2027-04-06T09:00:00", 25),
    ]
    assert monthly["attendance"][0]["by_gender"] == {"women": 7, "men": 9, "another_gender": 0}


def test_the_delegation_visit_is_one_occurrence_over_four_days(rehearsed: Year) -> None:
    [visit] = group(rehearsed, "drc-south-kivu")["meetings"]
    assert (visit["kind"], visit["starts"], visit["ends"]) == (
        "delegation_visit",
        "2027-05-10T08:30:00",
        "2027-05-13T17:00:00",
    )
    assert visit["held"] == ["2027-05-10T08:30:00"]
    assert visit["attendance"][0]["total"] == 42


def test_the_refusals_are_the_ones_the_scenario_expects(rehearsed: Year) -> None:
    refused = [(r["index"], r["do"]) for r in rehearsed.state["refusals"]]
    assert refused == [
        (2, "change_group_status"),
        (7, "plan_group_meeting"),
        (8, "record_group_attendance"),
        (18, "cancel_group_occurrence"),
    ]
    fields = [[p["field"] for p in r["problems"]] for r in rehearsed.state["refusals"]]
    assert fields[0] == ["exploration"]
    assert fields[3] == ["recurrence_id"]
    # No attendance record names anyone: counts only.
    for g in rehearsed.state["groups"]:
        for meeting in g["meetings"]:
            for record in meeting["attendance"]:
                assert set(record) == {
                    "recurrence_id",
                    "total",
                    "by_gender",
                    "womens_organisations",
                    "notes",
                }


def test_calendars_hold_each_group_feed_with_the_occurrences_state_lists(rehearsed: Year) -> None:
    """The feed is expanded by a second implementation (recurring-ical-events): the wall-clock
    starts it finds are exactly the ones state.json lists, moved and cancelled ones included."""
    calendars = rehearsed.out / "calendars"
    for found in rehearsed.state["groups"]:
        body = (calendars / f"group-{found['id']}.ics").read_bytes()
        feed = Calendar.from_ical(body)
        assert [str(tz["TZID"]) for tz in feed.walk("VTIMEZONE")] == [found["timezone"]]
        wall_clock = ZoneInfo(found["timezone"])
        expanded = recurring_ical_events.of(feed).between(
            datetime(2027, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)
        )
        starts = sorted(
            e["DTSTART"].dt.astimezone(wall_clock).replace(tzinfo=None).isoformat()
            for e in expanded
        )
        listed = sorted(t for m in found["meetings"] for t in (*m["held"], *m["coming"]))
        assert starts == listed
        assert b"BEGIN:VALARM" in body
    assert "2027-04-08T14:00:00" in [
        t for m in group(rehearsed, "colombia")["meetings"] for t in m["held"]
    ]
