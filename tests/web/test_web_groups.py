"""A group's page in the workspace (issue 23): everyone reads the groups and a group's meetings
in its own zone; the group's coordinator records attendance (counts only) and cancels one
meeting of a series; a refusal comes back beside the field and records nothing; someone who
does not coordinate the group sees no form and is refused if they post one. The coordinator plans
a series with its repetition chosen in plain words, a visit of several days, and moves one
meeting of the series, each refusal beside its field with nothing recorded."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from httpx import Response

from governance.groups.meetings import Meeting
from governance.groups.model import Group
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from tests.governance.groups.walls import wall
from tests.today import now
from tests.web.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Site
from tests.web.html_checks import captioned, csrf, error_for, field_value, text, unlabelled

BOGOTA = "/web/groups/web-bogota"


def _group(site: Site) -> tuple[str, str]:
    """A weekly series in Lima that began three weeks ago, coordinated by FOCAL_POINT."""
    today = now().date()
    first = wall(today.year, today.month, today.day, 10, 0) - timedelta(days=21)
    with site.db.writing() as session:
        assert registry_repo.get_person(session, FOCAL_POINT) is not None
        group_repo.save_group(
            session,
            Group(
                id="web-peru",
                name="Peru national group",
                country="PE",
                timezone="America/Lima",
                coordinators=frozenset({FOCAL_POINT}),
            ),
        )
        group_repo.save_meeting(
            session,
            Meeting(
                id="web-weekly",
                group_id="web-peru",
                title="Weekly dialogue",
                starts=first,
                ends=first + timedelta(hours=2),
                rule="FREQ=WEEKLY;COUNT=8",
            ),
        )
    return first.isoformat(), (first + timedelta(days=28)).isoformat()


def test_the_coordinator_records_attendance_and_cancels_a_meeting(site: Site) -> None:
    held, coming = _group(site)
    listing = site.client(CHAIR).get("/web/groups")
    assert listing.status_code == 200
    assert "Peru national group" in text(listing.text)
    assert captioned(listing.text) == [True]

    coordinator = site.client(FOCAL_POINT)
    page = coordinator.get("/web/groups/web-peru")
    assert page.status_code == 200, page.text
    assert unlabelled(page.text) == []
    assert "Record attendance" in text(page.text)
    assert "times in America/Lima" in text(page.text)
    form = {
        "csrf_token": csrf(page.text),
        "back": "/web/groups/web-peru",
        "form_id": "group-attendance",
        "occurrence": f"web-weekly|{held}",
        "total": "12",
        "women": "20",
    }
    refused = coordinator.post("/web/groups/web-peru/attendance", data=form)
    assert refused.status_code == 422
    assert "more than the 12 who attended" in text(refused.text)
    assert field_value(refused.text, "group-attendance-total") == "12"
    with site.db.reading() as session:
        assert group_repo.attendance(session, "web-weekly") == []

    done = coordinator.post("/web/groups/web-peru/attendance", data={**form, "women": "5"})
    assert done.status_code in (200, 303), done.text
    with site.db.reading() as session:
        [record] = group_repo.attendance(session, "web-weekly")
    assert (record.total, record.by_gender and record.by_gender.women) == (12, 5)
    # the held meetings' table has a caption, and a count left out is said, not a blank cell
    held_page = coordinator.get("/web/groups/web-peru").text
    assert captioned(held_page) == [True]
    assert "counts only, never names" in text(held_page)
    assert "not counted" in text(held_page)

    cancel = {
        "csrf_token": csrf(page.text),
        "back": "/web/groups/web-peru",
        "form_id": "group-cancel",
        "occurrence": f"web-weekly|{coming}",
    }
    assert coordinator.post("/web/groups/web-peru/cancellations", data=cancel).status_code in (
        200,
        303,
    )
    with site.db.reading() as session:
        meeting = group_repo.get_meeting(session, "web-weekly")
    assert meeting is not None
    assert [t.isoformat() for t in meeting.cancelled] == [coming]


def test_someone_who_does_not_coordinate_sees_no_form_and_is_refused(site: Site) -> None:
    held, _ = _group(site)
    outsider = site.client(CHAIR)
    page = outsider.get("/web/groups/web-peru")
    assert page.status_code == 200
    assert "Record attendance" not in text(page.text)
    refused = outsider.post(
        "/web/groups/web-peru/attendance",
        data={
            "csrf_token": csrf(page.text),
            "back": "/web/groups/web-peru",
            "form_id": "group-attendance",
            "occurrence": f"web-weekly|{held}",
            "total": "3",
        },
    )
    assert refused.status_code == 403
    assert site.client(SECRETARIAT).get("/web/groups/nowhere").status_code == 404


def _bogota(site: Site) -> None:
    with site.db.writing() as session:
        group_repo.save_group(
            session,
            Group(
                id="web-bogota",
                name="Mining and Energy Committee",
                country="CO",
                timezone="America/Bogota",
                coordinators=frozenset({FOCAL_POINT}),
            ),
        )


def _meetings(site: Site) -> dict[str, Meeting]:
    with site.db.reading() as session:
        return {m.id: m for m in group_repo.meetings(session, "web-bogota")}


def _plan(client: TestClient, page: str, **data: str) -> Response:
    blank = dict.fromkeys(("location", "repeats", "until", "count", "description"), "")
    form = {"csrf_token": csrf(page), "back": BOGOTA, "form_id": "group-meeting"}
    answer: Response = client.post(f"{BOGOTA}/meetings", data={**form, **blank, **data})
    return answer


def test_the_coordinator_plans_visits_and_series_in_plain_words_and_moves_one(
    site: Site,
) -> None:
    _bogota(site)
    # A second Tuesday, a week or more ahead, at 09:00 on Bogotá's clock.
    day = now().date() + timedelta(days=7)
    while not (day.weekday() == 1 and 8 <= day.day <= 14):
        day += timedelta(days=1)
    coordinator = site.client(FOCAL_POINT)
    page = coordinator.get(BOGOTA).text
    assert unlabelled(page) == []
    assert "Times are the group's own clock in America/Bogota" in text(page)
    series = {
        "id": "web-bog-monthly",
        "title": "Monthly dialogue",
        "kind": "meeting",
        "starts": f"{day}T09:00",
        "ends": f"{day}T11:00",
        "repeats": "monthly-weekday",
        "count": "6",
    }
    refusals = [
        ({"ends": f"{day}T08:00"}, "ends", "must end after it starts"),
        ({"until": f"{day + timedelta(days=90)}"}, "count", "not both"),
        ({"ends": f"{day + timedelta(days=2)}T11:00"}, "repeats", "at most a day"),
        ({"repeats": "hourly"}, "repeats", "choose one of the options"),
        ({"repeats": "", "count": "3"}, "repeats", "how the meeting repeats"),
        ({"starts": "next Tuesday"}, "starts", ""),
        ({"id": "Monthly Dialogue"}, "id", ""),
        # a time no zone can turn into an instant (past 9999 in UTC) once failed the page
        (
            {"starts": "9999-12-31T22:00", "ends": "9999-12-31T23:00", "count": ""},
            "starts",
            "between the years 1990 and 2200",
        ),
    ]
    for change, field, reason in refusals:
        refused = _plan(coordinator, page, **{**series, **change})
        assert refused.status_code == 422, (change, refused.text)
        assert reason in error_for(refused.text, f"group-meeting-{field}"), (change, field)
        assert error_for(refused.text, f"group-meeting-{field}") != ""
        assert field_value(refused.text, "group-meeting-title") == "Monthly dialogue"
    assert _meetings(site) == {}
    assert _plan(site.client(CHAIR), page, **series).status_code == 403
    assert _meetings(site) == {}

    assert _plan(coordinator, page, **series).status_code in (200, 303)
    visit = {
        "id": "web-bog-visit",
        "title": "Delegation visit to La Guajira",
        "kind": "delegation_visit",
        "starts": f"{day + timedelta(days=20)}T08:30",
        "ends": f"{day + timedelta(days=23)}T17:00",
        "location": "Riohacha",
    }
    assert _plan(coordinator, page, **visit).status_code in (200, 303)
    planned = _meetings(site)
    assert planned["web-bog-monthly"].rule == "FREQ=MONTHLY;BYDAY=+2TU;COUNT=6"
    assert (planned["web-bog-visit"].rule, planned["web-bog-visit"].kind.value) == (
        None,
        "delegation_visit",
    )
    again = _plan(coordinator, page, **series)
    assert again.status_code == 409
    assert "taken" in error_for(again.text, "group-meeting-id")

    page = coordinator.get(BOGOTA).text
    occurrence = f"web-bog-monthly|{day}T09:00:00"
    assert f'value="{occurrence}"' in page
    move = {
        "csrf_token": csrf(page),
        "back": BOGOTA,
        "form_id": "group-move",
        "occurrence": occurrence,
        "starts": f"{day + timedelta(days=1)}T15:00",
        "ends": f"{day + timedelta(days=1)}T14:00",
        "location": "Valledupar",
    }
    backwards = coordinator.post(f"{BOGOTA}/moves", data=move)
    assert backwards.status_code == 422
    assert "must end after it starts" in error_for(backwards.text, "group-move-ends")
    move["ends"] = f"{day + timedelta(days=1)}T17:00"
    stray = coordinator.post(
        f"{BOGOTA}/moves", data={**move, "occurrence": f"web-bog-monthly|{day}T10:00:00"}
    )
    assert stray.status_code == 422
    assert "not given by the rule" in error_for(stray.text, "group-move-occurrence")
    assert _meetings(site)["web-bog-monthly"].moved == ()
    # onto the next occurrence's time: refused beside the start, naming the one in the way
    following = sorted(set(re.findall(r'value="web-bog-monthly\|([0-9T:-]+)"', page)))[1]
    onto = coordinator.post(
        f"{BOGOTA}/moves",
        data={**move, "starts": following[:16], "ends": following[:11] + "11:00"},
    )
    assert onto.status_code == 409
    assert f"{following} takes place then" in error_for(onto.text, "group-move-starts")
    assert _meetings(site)["web-bog-monthly"].moved == ()
    moved = coordinator.post(f"{BOGOTA}/moves", data=move)
    assert moved.status_code in (200, 303), moved.text
    [kept] = _meetings(site)["web-bog-monthly"].moved
    assert (kept.recurrence_id.isoformat(), kept.starts.isoformat(), kept.location) == (
        f"{day}T09:00:00",
        f"{day + timedelta(days=1)}T15:00:00",
        "Valledupar",
    )
    assert "(moved)" in text(coordinator.get(BOGOTA).text)
