"""A group's page in the workspace (issue 23): everyone reads the groups and a group's meetings
in its own zone; the group's coordinator records attendance (counts only) and cancels one
meeting of a series; a refusal comes back beside the field and records nothing; someone who
does not coordinate the group sees no form and is refused if they post one."""

from __future__ import annotations

from datetime import timedelta

from governance.groups.meetings import Meeting
from governance.groups.model import Group
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from tests.governance.groups.walls import wall
from tests.today import now
from tests.web.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Site
from tests.web.html_checks import csrf, field_value, text, unlabelled


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
