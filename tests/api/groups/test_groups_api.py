"""In-country groups over HTTP (issue 23): the Secretariat keeps the registry of groups; a
group's coordinator plans its meetings, moves or cancels one occurrence and records attendance
as counts; other members read; every refusal names its field and leaves nothing recorded."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx

from governance.kernel.model import MemberStatus, Plenary
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
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
        # "localtime" opens on a server, but is that server's own clock, no place's
        for zone in ("Bogota", "localtime"):
            wrong_zone = await secretariat.post("/groups", json={**GROUP, "timezone": zone})
            assert wrong_zone.status_code == 422
            assert _fields(wrong_zone.json()) == ["body.timezone"]
            assert wrong_zone.json()["message"] == (
                f"the request is invalid: body.timezone: {zone!r} is not an IANA time zone "
                "(like 'America/Bogota')"
            )
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
        for path, body, field in [
            ("members", {"member_id": "co-aurum-mining"}, "member_id"),
            ("coordinators", {"person_id": FOCAL_POINT}, "person_id"),
        ]:
            twice = await secretariat.post(f"/groups/api-colombia/{path}", json=body)
            assert twice.status_code == 409, twice.text
            assert _fields(twice.json()) == [field]
        with api.db.reading() as session:
            kept = group_repo.get_group(session, "api-colombia")
        assert kept is not None
        assert (sorted(kept.member_ids), sorted(kept.coordinators)) == (
            ["co-aurum-mining", "ngo-rights-watch-collective"],
            [FOCAL_POINT],
        )
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
        assert _fields(bad_rule.json()) == ["body.rule"]
        not_tuesday = await coordinator.post(path, json={**series, "rule": "FREQ=WEEKLY;BYDAY=WE"})
        assert (not_tuesday.status_code, not_tuesday.json()["message"]) == (
            422,
            "the meeting cannot be planned: rule: the first meeting (starts) must be an "
            "occurrence the rule gives",
        )
        # hostile series and times: refused beside their field, never a 500 later in a list
        # or a feed that has to expand or convert them
        far = {"starts": "9999-12-31T22:00:00", "ends": "9999-12-31T23:00:00", "rule": None}
        hostiles: list[tuple[dict[str, str | None], str, str]] = [
            ({"rule": "FREQ=DAILY;COUNT=1000000000"}, "body.rule", "COUNT as a whole number"),
            ({"rule": "FREQ=WEEKLY;INTERVAL=0"}, "body.rule", "INTERVAL as a whole number"),
            ({"rule": "FREQ=DAILY;UNTIL=99991231T235959"}, "body.rule", "years 1990 and 2200"),
            (far, "body.starts", "between the years 1990 and 2200"),
            # never occurs: dateutil alone followed it to 9999, half a minute of CPU
            ({"rule": "FREQ=DAILY;BYSETPOS=5;BYDAY=MO"}, "body.rule", "first meeting"),
        ]
        for change, field, why in hostiles:
            hostile = await coordinator.post(path, json={**series, **change})
            assert hostile.status_code == 422, (change, hostile.text)
            [first_problem, *_] = hostile.json()["problems"]
            assert first_problem["field"] == field
            assert why in first_problem["reason"]
        with api.db.reading() as session:
            assert group_repo.meetings(session, "api-peru") == []
        planned = await coordinator.post(path, json=series)
        assert planned.status_code == 201, planned.text

        second = (tuesday + timedelta(days=21)).isoformat()
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
        backwards = await coordinator.post(
            "/group-meetings/api-weekly/moves",
            json={
                "recurrence_id": first,
                "starts": f"{second}T12:00:00",
                "ends": f"{second}T11:00:00",
            },
        )
        assert (backwards.status_code, _fields(backwards.json())) == (422, ["body.ends"])
        # in words, not the name of the class that refused it
        assert backwards.json()["message"] == (
            "the occurrence cannot be moved: ends: a moved occurrence must end after it starts"
        )

        # onto the next week's meeting: refused beside `starts`, naming that occurrence
        next_week = (tuesday + timedelta(days=7)).isoformat()
        onto = await coordinator.post(
            "/group-meetings/api-weekly/moves",
            json={
                "recurrence_id": first,
                "starts": f"{next_week}T11:00:00",
                "ends": f"{next_week}T13:00:00",
            },
        )
        assert (onto.status_code, _fields(onto.json())) == (409, ["starts"]), onto.text
        assert f"{next_week}T10:00:00" in onto.json()["problems"][0]["reason"]
        with api.db.reading() as session:
            [kept] = group_repo.meetings(session, "api-peru")
        assert kept.moved == ()

        counts = {"recurrence_id": first, "total": 20, "by_gender": {"women": 9, "men": 8}}
        recorded = await coordinator.post("/group-meetings/api-weekly/attendance", json=counts)
        assert recorded.status_code == 201, recorded.text
        too_many = await coordinator.post(
            "/group-meetings/api-weekly/attendance",
            json={**counts, "by_gender": {"women": 30}},
        )
        assert too_many.status_code == 422
        assert [p["field"] for p in too_many.json()["problems"]] == ["body.by_gender"]
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

        feed = await chair.get("/groups/api-peru/calendar.ics")
        assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
        text = feed.text.replace("\r\n ", "")
        assert f"DTSTART;TZID=America/Lima:{tuesday.strftime('%Y%m%d')}T100000" in text
        assert "RRULE:FREQ=WEEKLY;BYDAY=TU" in text
        assert f"EXDATE;TZID=America/Lima:{second.replace('-', '')}T100000" in text
        assert "BEGIN:VTIMEZONE" in text
        assert "BEGIN:VALARM" in text
        assert (await chair.get("/groups/nowhere/calendar.ics")).status_code == 404

        # A calendar app subscribes with a feed token: the group feed, without a sign-in.
        issued = await chair.post("/me/calendar-token", json={"scope": "group:api-peru"})
        assert issued.status_code == 201, issued.text
        nowhere = await chair.post("/me/calendar-token", json={"scope": "group:nowhere"})
        assert nowhere.status_code == 404
        async with httpx.AsyncClient(base_url=api.base_url, timeout=60) as app:
            subscribed = await app.get(f"/calendars/{issued.json()['token']}.ics")
        assert subscribed.status_code == 200
        assert "RRULE:FREQ=WEEKLY;BYDAY=TU" in subscribed.text
        assert "X-WR-TIMEZONE:America/Lima" in subscribed.text

        upcoming = await chair.get("/groups/api-peru/occurrences", params={"days": 30})
        starts = [o["local_starts"] for o in upcoming.json()]
        # Lima keeps UTC-5 all year: 10:00 there is 15:00 UTC.
        window_from = now()
        window_to = window_from + timedelta(days=30)
        expected = []
        for week in range(12):
            day = tuesday + timedelta(days=7 * week)
            begins = datetime.combine(day, time(15, 0), tzinfo=UTC)
            ends = begins + timedelta(hours=2)
            if day.isoformat() != second and begins < window_to and ends > window_from:
                expected.append(f"{day.isoformat()}T10:00:00")
        assert starts == expected


async def test_a_group_nominates_one_member_to_the_plenary_and_the_secretariat_confirms(
    api: Api,
) -> None:
    """The plenary starts in 100 days: the call (120 days before) is out and the deadline (60
    days before) still ahead, so a replacement is accepted."""
    starts = now().date() + timedelta(days=100)
    with api.db.writing() as session:
        registry_repo.save_plenary(
            session,
            Plenary(
                id=f"plenary-{starts.year}",
                year=starts.year,
                starts=starts,
                ends=starts + timedelta(days=3),
                location="Norland Harbour",
            ),
        )
    ghana = {**GROUP, "id": "api-ghana", "timezone": "Africa/Accra"}
    nominee = {"year": starts.year, "person_id": FOCAL_POINT}
    async with (
        api.client(SECRETARIAT) as secretariat,
        api.client(FOCAL_POINT) as coordinator,
        api.client(CHAIR) as chair,
    ):
        assert (await secretariat.post("/groups", json=ghana)).status_code == 201
        path = "/groups/api-ghana/nominations"
        exploring = await coordinator.post(path, json=nominee)
        assert exploring.status_code == 409
        assert _fields(exploring.json()) == ["group"]
        await secretariat.put("/groups/api-ghana/exploration", json=FOUND)
        await secretariat.put("/groups/api-ghana/status", json={"status": "active"})
        local = {"id": "kofi-mensah", "name": "Kofi Mensah"}
        assert (await secretariat.post("/groups/api-ghana/participants", json=local)).is_success

        assert (await chair.post(path, json=nominee)).status_code == 403
        first = await coordinator.post(path, json=nominee)
        assert first.status_code == 201, first.text
        assert (first.json()["person"], first.json()["status"]) == (FOCAL_POINT, "nominated")
        second = await coordinator.post(path, json={**nominee, "person_id": "kofi-mensah"})
        assert second.status_code == 409
        assert _fields(second.json()) == ["person"]
        replaced = await coordinator.post(
            path, json={**nominee, "person_id": "kofi-mensah", "replaces": FOCAL_POINT}
        )
        assert replaced.status_code == 201, replaced.text
        assert replaced.json()["replaced"] == [FOCAL_POINT]

        confirmation = f"{path}/{starts.year}/confirmation"
        assert (
            await coordinator.post(confirmation, json={"travel_supported": True})
        ).status_code == 403
        confirmed = await secretariat.post(confirmation, json={"travel_supported": False})
        assert confirmed.status_code == 200, confirmed.text
        listed = await chair.get(f"/plenary-nominations/{starts.year}")
        assert [
            (n["group_id"], n["person"], n["status"], n["travel_supported"]) for n in listed.json()
        ] == [("api-ghana", "kofi-mensah", "confirmed", False)]

        removed = await secretariat.delete("/groups/api-ghana/participants/kofi-mensah")
        assert removed.status_code == 200, removed.text
        again = await secretariat.delete("/groups/api-ghana/participants/kofi-mensah")
        assert again.status_code == 409
        assert _fields(again.json()) == ["participant_id"]
        dropped = await secretariat.delete(f"/groups/api-ghana/coordinators/{FOCAL_POINT}")
        assert dropped.json()["coordinators"] == []
        left = await secretariat.delete("/groups/api-ghana/members/co-aurum-mining")
        assert left.json()["member_ids"] == ["ngo-rights-watch-collective"]


async def test_a_meeting_at_a_time_the_clocks_skip_is_refused_naming_the_field(api: Api) -> None:
    """Found by a review: 01:30-02:30 on the night London's clocks go forward was accepted as a
    meeting that ends the instant it starts."""
    gap = {
        "id": "api-london-night",
        "title": "Night call",
        "starts": "2027-03-28T01:30:00",
        "ends": "2027-03-28T02:30:00",
    }
    london = {**GROUP, "id": "api-london", "country": "GB", "timezone": "Europe/London"}
    async with api.client(SECRETARIAT) as secretariat, api.client(FOCAL_POINT) as coordinator:
        assert (await secretariat.post("/groups", json=london)).status_code == 201
        path = "/groups/api-london/meetings"
        refused = await coordinator.post(path, json=gap)
        ends_in_gap = await coordinator.post(
            path, json={**gap, "starts": "2027-03-28T00:30:00", "ends": "2027-03-28T01:15:00"}
        )
        with api.db.reading() as session:
            assert group_repo.meetings(session, "api-london") == []
        kept = await coordinator.post(path, json={**gap, "starts": "2027-03-28T00:30:00"})
        assert kept.status_code == 201, kept.text
        weekly = {**gap, "id": "api-london-weekly", "starts": "2027-03-21T00:30:00"}
        weekly |= {"ends": "2027-03-21T00:45:00", "rule": "FREQ=WEEKLY;COUNT=3"}
        assert (await coordinator.post(path, json=weekly)).status_code == 201
        move = {"recurrence_id": "2027-03-28T00:30:00"}
        move |= {"starts": "2027-03-28T01:00:00", "ends": "2027-03-28T01:45:00"}
        moved = await coordinator.post("/group-meetings/api-london-weekly/moves", json=move)
    assert refused.status_code == 422, refused.text
    problems = {p["field"]: p["reason"] for p in refused.json()["problems"]}
    assert problems["starts"] == (
        "2027-03-28T01:30:00 does not exist in Europe/London: clocks go forward at this time"
    )
    assert problems["ends"] == "in Europe/London this is not after the start"
    assert ends_in_gap.status_code == 422
    assert _fields(ends_in_gap.json()) == ["ends"]
    assert (moved.status_code, _fields(moved.json())) == (422, ["starts", "ends"]), moved.text


async def test_a_member_that_left_joins_no_group_nor_coordinates_one(api: Api) -> None:
    """Withdrawn and expelled are final: such a member would otherwise ask for the
    Association's funds and be nominated to its plenary through a group. An Inactive member
    may come back, and is added."""
    left, paused = "co-kestrel-resources", "co-lumen-resources"
    with api.db.writing() as session:
        day = now()
        registry_repo.change_status(
            session, left, MemberStatus.WITHDRAWN, day, "left in writing", day.date()
        )
        registry_repo.change_status(
            session, paused, MemberStatus.INACTIVE, day, "no report for two years", day.date()
        )
    leavers = {**GROUP, "id": "api-leavers", "member_ids": [], "coordinators": []}
    async with api.client(SECRETARIAT) as secretariat:
        for field, value in [("member_ids", left), ("coordinators", f"fp-{left}")]:
            refused = await secretariat.post("/groups", json={**leavers, field: [value]})
            assert (refused.status_code, _fields(refused.json())) == (409, [field]), refused.text
        assert (await secretariat.post("/groups", json=leavers)).status_code == 201
        member = await secretariat.post("/groups/api-leavers/members", json={"member_id": left})
        assert (member.status_code, _fields(member.json())) == (409, ["member_id"])
        assert member.json()["problems"][0]["reason"] == (
            "'co-kestrel-resources' left the initiative (withdrawn)"
        )
        coordinator = await secretariat.post(
            "/groups/api-leavers/coordinators", json={"person_id": f"fp-{left}"}
        )
        assert (coordinator.status_code, _fields(coordinator.json())) == (409, ["person_id"])
        assert coordinator.json()["message"] == (
            "a member that left the initiative takes no part in a group"
        )
        for path, body in [
            ("members", {"member_id": paused}),
            ("coordinators", {"person_id": f"fp-{paused}"}),
        ]:
            added = await secretariat.post(f"/groups/api-leavers/{path}", json=body)
            assert added.status_code == 200, added.text
    with api.db.reading() as session:
        kept = group_repo.get_group(session, "api-leavers")
    assert kept is not None
    assert (sorted(kept.member_ids), sorted(kept.coordinators)) == ([paused], [f"fp-{paused}"])
