"""Subscribe buttons on the calendars page: each opens a calendar app on the person's feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

from governance.kernel.languages import Language
from govsched.persistence.repos import calendar_preferences as calendar_preference_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos.calendar_preferences import AlarmPreference
from tests.web.conftest import CHAIR, FOCAL_POINT, STEERING_COMMITTEE, Site
from tests.web.html_checks import csrf, error_for, field_value, parsed, text

BASE = "http://127.0.0.1:8000"


def buttons(html: str, group: str) -> dict[str, str]:
    """The subscribe buttons of one group on the page: app name -> href."""
    match = re.search(
        rf'<div class="subscribe" role="group" aria-labelledby="{group}">(.*?)</div>', html, re.S
    )
    assert match, f"no subscribe buttons {group}"
    found = re.findall(r'<a class="app-button" href="([^"]*)"[^>]*>([^<]*)</a>', match.group(1))
    return {unescape(name): unescape(href) for href, name in found}


def test_a_new_feed_link_comes_with_a_button_for_each_calendar_app(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    page = client.get("/web/calendars").text
    issued = client.post("/web/calendars", data={"scope": "person", "csrf_token": csrf(page)})
    assert issued.status_code == 200
    url = field_value(issued.text, "feed-url")
    token = url.removeprefix(f"{BASE}/calendars/").removesuffix(".ics")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    encoded = f"webcal%3A%2F%2F127.0.0.1%3A8000%2Fcalendars%2F{token}.ics"
    name = "VPI%3A%20Kwame%20Okafor"
    assert buttons(issued.text, "subscribe-feed") == {
        "Google Calendar": f"https://calendar.google.com/calendar/render?cid={encoded}",
        "Apple Calendar": f"webcal://127.0.0.1:8000/calendars/{token}.ics",
        "Outlook (work or school)": (
            f"https://outlook.office.com/calendar/0/addfromweb?url={encoded}&name={name}"
        ),
        "Outlook.com": f"https://outlook.live.com/calendar/0/addfromweb?url={encoded}&name={name}",
    }
    # the address every button carries is the live feed itself
    served = client.get(f"/calendars/{token}.ics")
    assert served.status_code == 200
    assert served.content.startswith(b"BEGIN:VCALENDAR")
    assert "Add this feed to your calendar app:" in text(issued.text)


def test_a_role_feed_is_named_after_the_role_in_the_calendar_app(site: Site) -> None:
    client = site.client(CHAIR)
    page = client.get("/web/calendars").text
    issued = client.post("/web/calendars", data={"scope": "role:chair", "csrf_token": csrf(page)})
    assert issued.status_code == 200
    outlook = buttons(issued.text, "subscribe-feed")["Outlook.com"]
    assert outlook.endswith("&name=VPI%3A%20chair")


def test_the_public_feed_has_the_same_buttons_and_no_secret(site: Site) -> None:
    html = site.client(FOCAL_POINT).get("/web/calendars").text
    encoded = "webcal%3A%2F%2F127.0.0.1%3A8000%2Fcalendars%2Fpublic.ics"
    name = "VPI%20public%20calendar"
    assert buttons(html, "subscribe-public") == {
        "Google Calendar": f"https://calendar.google.com/calendar/render?cid={encoded}",
        "Apple Calendar": "webcal://127.0.0.1:8000/calendars/public.ics",
        "Outlook (work or school)": (
            f"https://outlook.office.com/calendar/0/addfromweb?url={encoded}&name={name}"
        ),
        "Outlook.com": f"https://outlook.live.com/calendar/0/addfromweb?url={encoded}&name={name}",
    }
    # before a link is issued, the page offers no personal feed buttons
    assert 'aria-labelledby="subscribe-feed"' not in html


def test_calendars_and_notification_preferences_link_to_each_other(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    calendars = parsed(client.get("/web/calendars").text).links
    notifications = parsed(client.get("/web/notifications").text).links
    main_links = [link for link in calendars if link == "/web/notifications"]
    # once in the navigation, once in the page itself
    assert len(main_links) == 2
    assert notifications.count("/web/calendars") == 2


def _selected(html: str, field_id: str) -> str:
    select = re.search(rf'<select id="{field_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {field_id}"
    chosen = re.findall(r'<option value="([^"]*)" selected>', select.group(1))
    assert len(chosen) == 1, chosen
    return str(chosen[0])


def _alarm(site: Site, person: str) -> AlarmPreference | None:
    with site.db.reading() as session:
        return calendar_preference_repo.alarm(session, person)


def test_the_reminder_form_sets_the_alarm_every_feed_carries(site: Site) -> None:
    client = site.client(STEERING_COMMITTEE)
    page = client.get("/web/calendars").text
    assert _selected(page, "feed-alarm-alarm") == "default"
    assert "The initiative's default (1 day before)" in text(page)
    issued = client.post("/web/calendars", data={"scope": "person", "csrf_token": csrf(page)})
    feed = field_value(issued.text, "feed-url").removeprefix(BASE)

    # a value the form never offered: refused beside the field, nothing recorded
    refused = client.post("/web/calendars/alarm", data={"alarm": "90", "csrf_token": csrf(page)})
    assert refused.status_code == 422
    assert error_for(refused.text, "feed-alarm-alarm") == "choose one of the reminders listed"
    assert _alarm(site, STEERING_COMMITTEE) is None

    for value, stored, trigger in (
        ("60", AlarmPreference(60), "TRIGGER:-PT1H"),
        ("none", AlarmPreference(None), None),
        ("default", None, "TRIGGER:-P1D"),
    ):
        saved = client.post(
            "/web/calendars/alarm",
            data={"alarm": value, "csrf_token": csrf(page)},
            follow_redirects=False,
        )
        assert saved.status_code == 303, text(saved.text)
        assert saved.headers["location"] == "/web/calendars?done=reminder%20saved"
        assert _alarm(site, STEERING_COMMITTEE) == stored
        assert _selected(client.get("/web/calendars").text, "feed-alarm-alarm") == value
        body = client.get(feed).text
        assert "BEGIN:VEVENT" in body
        if trigger is None:
            assert "BEGIN:VALARM" not in body
        else:
            assert trigger in body


def test_a_reminder_set_through_the_api_is_kept_on_offer(site: Site) -> None:
    client = site.client(CHAIR)
    with site.db.writing() as session:
        calendar_preference_repo.set_alarm(session, CHAIR, 45, datetime.now(UTC))
    page = client.get("/web/calendars").text
    assert _selected(page, "feed-alarm-alarm") == "45"
    assert "45 minutes before (set earlier)" in text(page)
    kept = client.post(
        "/web/calendars/alarm",
        data={"alarm": "45", "csrf_token": csrf(page)},
        follow_redirects=False,
    )
    assert kept.status_code == 303
    assert _alarm(site, CHAIR) == AlarmPreference(45)


def test_a_french_reader_is_offered_the_public_feed_in_french(site: Site) -> None:
    with site.db.writing() as session:
        person = registry_repo.get_person(session, FOCAL_POINT)
        assert person is not None
        registry_repo.set_person_language(session, FOCAL_POINT, Language.FR)
    try:
        html = site.client(FOCAL_POINT).get("/web/calendars").text
    finally:
        with site.db.writing() as session:
            registry_repo.set_person_language(session, FOCAL_POINT, person.language)
    apple = buttons(html, "subscribe-public")["Apple Calendar"]
    assert apple == "webcal://127.0.0.1:8000/calendars/public.ics?lang=fr"
    outlook = buttons(html, "subscribe-public")["Outlook.com"]
    assert outlook.endswith("&name=Calendrier%20public%20de%20VPI")
