# ruff: noqa: RUF001 - the en dash is what Babel joins an interval with
"""The page a calendar event's link opens (its URL): readable in a browser, by whoever may.

Found by a review: every event's link answered the API's JSON asking for a token.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.calendar import PUBLIC, CalendarItem, role_audience
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from governance.year.milestones import plenary_message
from govsched.persistence.repos import calendar as calendar_repo
from tests.web.conftest import FOCAL_POINT, SECRETARIAT, Site
from tests.web.html_checks import text

AT = datetime(2026, 11, 2, tzinfo=UTC)


def _store(site: Site, item: CalendarItem) -> str:
    with site.db.writing() as session:
        calendar_repo.upsert(session, item, AT)
    return "/web/calendar-items/" + item.uid.partition("@")[0]


def _item(uid: str, title: str, audiences: frozenset[str], confidential: bool) -> CalendarItem:
    domain = "vpi.govsched"
    return CalendarItem(
        uid=f"{uid}@{domain}",
        kind="deadline",
        title=title,
        start_date=date(2027, 2, 26),
        audiences=audiences,
        confidential=confidential,
    )


def test_a_public_event_reads_without_signing_in(site: Site) -> None:
    address = _store(site, _item("test-public-day", "Save the date", frozenset({PUBLIC}), False))
    page = site.client().get(address)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Save the date" in text(page.text)
    assert "26 February 2027" in text(page.text)


def test_a_confidential_event_asks_to_sign_in_and_shows_only_to_its_readers(site: Site) -> None:
    secretariat_only = frozenset({role_audience(Role.SECRETARIAT)})
    address = _store(site, _item("test-review-due", "Review due", secretariat_only, True))
    anonymous = site.client()
    anonymous.follow_redirects = False
    asked = anonymous.get(address)
    assert asked.status_code == 303
    assert asked.headers["location"].startswith("/web/sign-in?next=")
    assert "Review due" in text(site.client(SECRETARIAT).get(address).text)
    refused = site.client(FOCAL_POINT).get(address)
    assert refused.status_code == 404
    assert "Review due" not in refused.text
    # an id nobody stored reads the same as one the reader may not see
    assert site.client(FOCAL_POINT).get("/web/calendar-items/no-such-item").status_code == 404


def test_a_timed_event_shows_its_times_in_the_initiatives_zone(site: Site) -> None:
    """Found by a review: a meeting from 14:00 to 17:00 showed only its day."""
    meeting = CalendarItem(
        uid="test-timed-meeting@vpi.govsched",
        kind="meeting",
        title="Steering Committee call",
        starts=datetime(2027, 2, 26, 19, tzinfo=UTC),  # 14:00 in Toronto
        ends=datetime(2027, 2, 26, 22, tzinfo=UTC),
        audiences=frozenset({PUBLIC}),
    )
    across = meeting.model_copy(
        update={
            "uid": "test-timed-sessions@vpi.govsched",
            "starts": datetime(2027, 5, 18, 13, tzinfo=UTC),  # 09:00 EDT
            "ends": datetime(2027, 5, 19, 21, 30, tzinfo=UTC),
        }
    )
    one_day = text(site.client().get(_store(site, meeting)).text)
    two_days = text(site.client().get(_store(site, across)).text)
    assert "26 February 2027, 14:00–17:00 Eastern" in one_day
    assert "18 May 2027, 09:00 Eastern Daylight Time – 19 May 2027, 17:30 Eastern" in two_days


def test_an_all_day_event_shows_its_last_day(site: Site) -> None:
    plenary = _item("test-three-days", "Three days", frozenset({PUBLIC}), False)
    plenary = plenary.model_copy(update={"end_date": date(2027, 2, 28)})
    page = text(site.client().get(_store(site, plenary)).text)
    assert "26 February 2027 to 28 February 2027" in page


def test_the_page_names_rulebook_labels_in_its_readers_language(site: Site) -> None:
    """Found by a review: the feed said "Séance plénière annuelle 2027 (VPI)", the page the
    English label."""
    title = plenary_message(False, 2027, Rulebook())
    plenary = _item("test-plenary-title", title.english(), frozenset({PUBLIC}), False)
    address = _store(site, plenary.model_copy(update={"title_message": title}))
    french = site.client().get(address, headers={"Accept-Language": "fr"})
    assert "Séance plénière annuelle 2027 (VPI)" in text(french.text)
