"""In-country groups over HTTP (issue 23): the Secretariat keeps the registry of groups; a
group's coordinator plans its meetings, moves or cancels one occurrence and records attendance
as counts; other members read; every refusal names its field and leaves nothing recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from govsched.persistence.repos import groups as group_repo
from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api
from tests.today import now

GROUP = {
    "id": "api-colombia",
    "name": "Mining and Energy Committee",
    "country": "CO",
    "timezone": "America/Bogota",
    "member_ids": ["co-aurum-mining", "ngo-rights-watch-collective"],
    "coordinators": [FOCAL_POINT],
}
FOUND = {
    "demand": "Companies asked.",
    "support": "The embassy backs it.",
    "recorded_on": "2026-01-05",
}


def _fields(body: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in body["problems"]]


async def test_the_secretariat_records_a_group_that_becomes_active_once_explored(api: Api) -> None:
    async with api.client(SECRETARIAT) as secretariat, api.client(CHAIR) as chair:
        refused = await chair.post("/groups", json=GROUP)
        assert refused.status_code == 403
        wrong_zone = await secretariat.post("/groups", json={**GROUP, "timezone": "Bogota"})
        assert wrong_zone.status_code == 422
        assert _fields(wrong_zone.json()) == ["body.timezone"]
        unknown = await secretariat.post("/groups", json={**GROUP, "member_ids": ["nobody"]})
        assert unknown.status_code == 422
        assert _fields(unknown.json()) == ["member_ids"]
        with api.db.reading() as session:
            assert group_repo.get_group(session, "api-colombia") is None

        created = await secretariat.post("/groups", json=GROUP)
        assert created.status_code == 201, created.text
        assert created.json()["status"] == "exploring"
        early = await secretariat.put("/groups/api-colombia/status", json={"status": "active"})
        assert early.status_code == 422
        assert _fields(early.json()) == ["exploration"]
        assert (await secretariat.put("/groups/api-colombia/exploration", json=FOUND)).is_success
        active = await secretariat.put("/groups/api-colombia/status", json={"status": "active"})
        assert active.json()["status"] == "active"
        partner = await secretariat.put("/groups/api-colombia/partner", json={"partner": True})
        assert partner.json()["partner"] is True
        local = await secretariat.post(
            "/groups/api-colombia/participants",
            json={"id": "lucia-mora", "name": "Lucía Mora", "role": "trainer"},
        )
        assert local.status_code == 200, local.text
        read = await chair.get("/groups/api-colombia")
        assert read.json()["participants"][0]["name"] == "Lucía Mora"
        assert (await chair.get("/groups/nowhere")).status_code == 404


async def test_a_coordinator_runs_the_meetings_and_records_attendance_as_counts(
    api: Api,
) -> None:
    # The series starts on a Tuesday two weeks ago, at 10:00 in Bogotá, every week.
    today = now().date()
    tuesday = today - timedelta(days=14 + (today.weekday() - 1) % 7)
    first = f"{tuesday.isoformat()}T10:00:00"
    series = {
        "id": "api-weekly",
        "title": "Weekly dialogue",
        "starts": first,
        "ends": f"{tuesday.isoformat()}T12:00:00",
        "rule": "FREQ=WEEKLY;BYDAY=TU",
    }
    async with (
        api.client(SECRETARIAT) as secretariat,
        api.client(FOCAL_POINT) as coordinator,
        api.client(CHAIR) as chair,
    ):
        await secretariat.post(
            "/groups", json={**GROUP, "id": "api-peru", "timezone": "America/Lima"}
        )
        path = "/groups/api-peru/meetings"
        assert (await chair.post(path, json=series)).status_code == 403
        bad_rule = await coordinator.post(path, json={**series, "rule": "FREQ=HOURLY"})
        assert bad_rule.status_code == 422
        assert _fields(bad_rule.json()) == ["body"]
        planned = await coordinator.post(path, json=series)
        assert planned.status_code == 201, planned.text

        second = (tuesday + timedelta(days=7)).isoformat()
        cancelled = await coordinator.post(
            "/group-meetings/api-weekly/cancellations",
            json={"recurrence_id": f"{second}T10:00:00"},
        )
        assert cancelled.status_code == 200, cancelled.text
        stray = await coordinator.post(
            "/group-meetings/api-weekly/cancellations",
            json={"recurrence_id": f"{second}T11:00:00"},
        )
        assert stray.status_code == 422
        assert _fields(stray.json()) == ["recurrence_id"]

        counts = {"recurrence_id": first, "total": 20, "by_gender": {"women": 9, "men": 8}}
        recorded = await coordinator.post("/group-meetings/api-weekly/attendance", json=counts)
        assert recorded.status_code == 201, recorded.text
        too_many = await coordinator.post(
            "/group-meetings/api-weekly/attendance",
            json={**counts, "by_gender": {"women": 30}},
        )
        assert too_many.status_code == 422
        named = await coordinator.post(
            "/group-meetings/api-weekly/attendance", json={**counts, "names": ["Ana"]}
        )
        assert named.status_code == 422
        future = (tuesday + timedelta(days=28)).isoformat()
        early = await coordinator.post(
            "/group-meetings/api-weekly/attendance",
            json={"recurrence_id": f"{future}T10:00:00", "total": 3},
        )
        assert early.status_code == 409
        read = await chair.get("/group-meetings/api-weekly/attendance")
        assert [a["total"] for a in read.json()] == [20]

        upcoming = await chair.get("/groups/api-peru/occurrences", params={"days": 30})
        starts = [o["local_starts"] for o in upcoming.json()]
        assert f"{second}T10:00:00" not in starts
        assert all(s.endswith("T10:00:00") for s in starts)
        assert len(starts) in {4, 5}
