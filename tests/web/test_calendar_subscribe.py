"""Subscribe buttons on the calendars page: each opens a calendar app on the person's feed."""

from __future__ import annotations

import re
from html import unescape

from tests.web.conftest import CHAIR, FOCAL_POINT, Site
from tests.web.html_checks import csrf, field_value, parsed, text

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
