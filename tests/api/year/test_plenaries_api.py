"""Moving a plenary and completing its milestones over HTTP (issue 6)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.api.conftest import FOCAL_POINT, SECRETARIAT, Api
from tests.today import today

# Far enough ahead that the dates stay in the future whenever the suite runs.
YEAR = today().year + 3
PID = f"plenary-{YEAR}"


def _fields(body: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in body["problems"]]


async def test_a_moved_plenary_moves_its_open_milestones_and_keeps_completed_ones(
    api: Api,
) -> None:
    starts = date(YEAR, 5, 15)
    plenary = {
        "year": YEAR,
        "starts": starts.isoformat(),
        "ends": (starts + timedelta(days=3)).isoformat(),
        "location": "Norland Harbour",
    }
    later = starts + timedelta(days=21)
    async with api.client(SECRETARIAT) as secretariat, api.client(FOCAL_POINT) as member:
        assert (await secretariat.post("/plenaries", json=plenary)).status_code == 201
        planned = (await member.get(f"/plenaries/{PID}/milestones")).json()
        done = await secretariat.post(
            f"/plenaries/{PID}/milestones/save_the_date/complete", json={"reason": "sent"}
        )
        not_owner = await member.post(f"/plenaries/{PID}/milestones/draft_agenda/complete")
        unknown = await secretariat.post(f"/plenaries/{PID}/milestones/nope/complete")
        malformed = await secretariat.post(f"/plenaries/{PID}/milestones/Not-A-Key/complete")
        forbidden = await member.post(
            f"/plenaries/{PID}/move",
            json={"starts": later.isoformat(), "ends": later.isoformat()},
        )
        backwards = await secretariat.post(
            f"/plenaries/{PID}/move",
            json={"starts": later.isoformat(), "ends": starts.isoformat()},
        )
        missing = await secretariat.post(
            "/plenaries/plenary-1999/move", json={"starts": "2099-01-01", "ends": "2099-01-02"}
        )
        moved = await secretariat.post(
            f"/plenaries/{PID}/move",
            json={
                "starts": later.isoformat(),
                "ends": (later + timedelta(days=3)).isoformat(),
                "reason": "venue unavailable",
            },
        )
        after = (await member.get(f"/plenaries/{PID}/milestones")).json()
        feed = (await member.get("/calendars/public.ics")).text.replace("\r\n ", "")
    assert done.status_code == 201
    assert done.json()["item_id"] == f"milestone-{PID}-save-the-date"
    assert (not_owner.status_code, _fields(not_owner.json())) == (403, ["by"])
    assert (unknown.status_code, _fields(unknown.json())) == (422, ["key"])
    assert malformed.status_code == 422
    assert forbidden.status_code == 403
    assert (backwards.status_code, _fields(backwards.json())) == (422, ["ends"])
    assert missing.status_code == 404
    assert moved.status_code == 201
    assert "it was from 15 to 18 May" in moved.json()["summary"]
    before = {m["key"]: m for m in planned}
    now = {m["key"]: m for m in after}
    assert now["save_the_date"]["status"] == "completed"
    assert now["save_the_date"]["due"] == before["save_the_date"]["due"]
    for key in ("draft_agenda", "final_papers", "outcome_note"):
        shift = date.fromisoformat(now[key]["due"]) - date.fromisoformat(before[key]["due"])
        assert shift == timedelta(days=21), key
    assert f"UID:milestone-{PID}-call-for-agenda-and-presenters@vpi.govsched" in feed


async def test_an_annual_plenary_before_its_reports_open_is_refused_and_nothing_is_recorded(
    api: Api,
) -> None:
    year = YEAR + 1
    on_new_year = {
        "year": year,
        "starts": f"{year}-01-01",
        "ends": f"{year}-01-01",
        "location": "Norland Harbour",
    }
    async with api.client(SECRETARIAT) as secretariat:
        refused = await secretariat.post("/plenaries", json=on_new_year)
        missing = await secretariat.get(f"/plenaries/plenary-{year}")
        accepted = await secretariat.post(
            "/plenaries", json={**on_new_year, "starts": f"{year}-01-05", "ends": f"{year}-01-08"}
        )
        not_moved = await secretariat.post(
            f"/plenaries/plenary-{year}/move",
            json={"starts": f"{year}-01-01", "ends": f"{year}-01-01"},
        )
        kept = (await secretariat.get(f"/plenaries/plenary-{year}")).json()
    assert (refused.status_code, _fields(refused.json())) == (422, ["ends"])
    assert refused.json()["problems"][0]["reason"] == (
        f"the plenary would end before the {year} reports open on 2 January {year}: hold it "
        "later, or open reports earlier (the rulebook's reporting.opens)"
    )
    assert missing.status_code == 404
    assert accepted.status_code == 201
    assert (not_moved.status_code, _fields(not_moved.json())) == (422, ["ends"])
    assert (kept["starts"], kept["ends"]) == (f"{year}-01-05", f"{year}-01-08")
