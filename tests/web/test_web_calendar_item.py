"""The page a calendar event's link opens (its URL): readable in a browser, by whoever may.

Found by a review: every event's link answered the API's JSON asking for a token.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.calendar import PUBLIC, CalendarItem, role_audience
from governance.kernel.model import Role
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
