"""Reading the web workspace's HTML in tests: signing in, forms, labels, visible text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import httpx

FIELD_TAGS = {"input", "select", "textarea"}
NO_LABEL_NEEDED = {"hidden", "submit", "button", "reset"}


@dataclass
class _Page(HTMLParser):
    labels: set[str] = field(default_factory=set)
    fields: list[dict[str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    nav_links: list[str] = field(default_factory=list)
    in_nav: int = 0
    # per table, in order: whether it has a caption
    captions: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "label" and "for" in found:
            self.labels.add(found["for"])
        if tag in FIELD_TAGS:
            self.fields.append({"tag": tag, **found})
        if tag == "nav":
            self.in_nav += 1
        if tag == "table":
            self.captions.append(False)
        if tag == "caption" and self.captions:
            self.captions[-1] = True
        if tag == "a" and "href" in found:
            self.links.append(found["href"])
            if self.in_nav:
                self.nav_links.append(found["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.in_nav -= 1


def parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def unlabelled(html: str) -> list[dict[str, str]]:
    """Every visible input, select and textarea that no <label for> names."""
    page = parsed(html)
    return [
        f
        for f in page.fields
        if f.get("type", "") not in NO_LABEL_NEEDED and f.get("id", "") not in page.labels
    ]


def captioned(html: str) -> list[bool]:
    """Whether each table, in order, has a <caption>: a screen reader lists tables by it."""
    return parsed(html).captions


def nav_links(html: str) -> list[str]:
    return parsed(html).nav_links


def text(html: str) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


def field_value(html: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*value="([^"]*)"', html)
    if match:
        return unescape(match.group(1))
    match = re.search(
        rf'<textarea[^>]*id="{re.escape(field_id)}"[^>]*>(.*?)</textarea>', html, re.S
    )
    assert match, f"no field {field_id}"
    return unescape(match.group(1))


def error_for(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return unescape(match.group(1)) if match else ""


def sign_in(client: httpx.Client, token: str) -> httpx.Response:
    form = client.get("/web/sign-in")
    return client.post(
        "/web/sign-in",
        data={
            "token": token,
            "pre_session": hidden(form.text, "pre_session"),
            "next": "/web/my-work",
        },
        follow_redirects=False,
    )


async def sign_in_async(client: httpx.AsyncClient, token: str) -> None:
    form = await client.get("/web/sign-in")
    response = await client.post(
        "/web/sign-in",
        data={
            "token": token,
            "pre_session": hidden(form.text, "pre_session"),
            "next": "/web/my-work",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf(html: str) -> str:
    return hidden(html, "csrf_token")
