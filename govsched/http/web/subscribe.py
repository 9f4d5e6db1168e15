"""Subscribe buttons: a feed's webcal:// address handed to the calendar apps people use.

Each app is opened on its own "add a calendar from the web" screen with the address filled in,
so nobody has to copy a secret link into a settings page by hand. Google Calendar takes the
address as `cid`, both Outlooks as `url` (with the calendar's name), and Apple Calendar opens
webcal:// links itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from govsched.i18n.current import gettext as _


@dataclass(frozen=True, slots=True)
class SubscribeLink:
    app: str
    href: str


def webcal(feed_url: str) -> str:
    """The feed's http(s) address as calendar apps subscribe to it."""
    return "webcal://" + feed_url.partition("://")[2]


def subscribe_links(feed_url: str, name: str) -> list[SubscribeLink]:
    address = webcal(feed_url)
    outlook = urlencode({"url": address, "name": name}, quote_via=quote)
    return [
        SubscribeLink(
            "Google Calendar",
            "https://calendar.google.com/calendar/render?" + urlencode({"cid": address}),
        ),
        SubscribeLink("Apple Calendar", address),
        SubscribeLink(
            _("Outlook (work or school)"),
            f"https://outlook.office.com/calendar/0/addfromweb?{outlook}",
        ),
        SubscribeLink("Outlook.com", f"https://outlook.live.com/calendar/0/addfromweb?{outlook}"),
    ]
