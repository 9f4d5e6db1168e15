"""What a page says in the pseudo-locale that did not come through the catalog (issue 20).

A page rendered with its reader's language forced to the pseudo-locale has every message of
the catalog bracketed: `⟦Nëxt stëp: …⟧`. What is left outside the brackets must be data:

- **what the database holds**: every text value of every row (names, ids, organisations,
  statements, places, what members wrote, the notices the outbox shows as they were sent),
  except values written like identifiers (lower-case words and underscores: `under_review`),
  which are the system's own states and must be shown through the catalog;
- **what the rulebook says** (milestone and handover item titles, the initiative's name): the
  rulebook's texts are its own, per installation;
- **what a template marks as data** with `translate="no"` (HTML's own "do not translate this"),
  such as the register's audit action identifiers;
- **dates, times and numbers** (the formats are the locale's, not the catalog's), and the
  proper names below.

Everything else (a letter outside the brackets that no data explains) is a text that bypassed
the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from sqlalchemy import select

from governance.kernel.languages import AUTONYMS
from govsched.http.web.labels import REPORT_KINDS, WORDS
from govsched.i18n.catalogs import PSEUDO_CLOSE, PSEUDO_OPEN
from govsched.persistence.base import Base
from govsched.persistence.db import Database

# Names no language translates: the product, services and formats a page names.
PROPER_NAMES = {
    "govsched",
    "Slack",
    "CSV",
    "UTC",
    "GOVSCHED_SMTP_HOST",
    "webcal",
    "Google Calendar",
    "Outlook.com",
    "Outlook",
    "Apple Calendar",
    "Thunderbird",
    *AUTONYMS.values(),
}
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Babel's English formats (the pseudo-locale writes dates and times as English does).
_DATES = re.compile(
    rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:\s*[\u2013-]\s*\d{{1,2}})?,?\s+\d{{4}}"
    rf"|\b(?:{_MONTHS})\s+(?:\d{{4}}|[\u2019']?\d{{2}})\b"  # a month: May 2027, May 27
    rf"|\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?:AM|PM)?(?:\s+[A-Z]{{2,5}}(?:[+-]\d+)?)?"
    r"|\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:?\d{2}|Z)?)?"
    r"|\b[A-Z][a-z]+/[A-Za-z_]+\b"  # a time zone's name: Europe/London
)
# The system's own values as stored (`under_review`, `seed.seat_recorded`, `full`): shown
# through the catalog, so never taken as data.
_IDENTIFIER = re.compile(r"[a-z0-9]+(?:[_.][a-z0-9]+)+")
_OWN_WORDS = {*WORDS, *REPORT_KINDS}
_LETTER = re.compile(r"[^\W\d_]")
_SKIPPED = {"script", "style", "title"}
_READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# A message placed inside another (a state inside a sentence): innermost first.
_INNERMOST = re.compile(
    re.escape(PSEUDO_OPEN) + "[^" + PSEUDO_OPEN + PSEUDO_CLOSE + "]*" + re.escape(PSEUDO_CLOSE)
)


class _Visible(HTMLParser):
    """The text a person reads or hears: text nodes, and the names given in attributes outside
    what is hidden from assistive technology (a chart's drawing: its table says the same)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._open: list[tuple[str, bool, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _, hidden, _data in self._open)

    def _data(self) -> bool:
        return any(data for _, _hidden, data in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag in _SKIPPED:
            self._skipping += 1
        if tag not in _VOID:
            # hidden from assistive technology; marked as data (governance's documents, the
            # draft agenda and the roster's reasons, are in the reader's language: no exemption)
            data = found.get("translate") == "no"
            self._open.append((tag, found.get("aria-hidden") == "true", data))
        if not self._hidden():
            self.parts.extend(found[name] for name in _READ_ATTRIBUTES if found.get(name))
        if tag == "input" and found.get("type") in ("submit", "button"):
            self.parts.append(found.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping -= 1
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._cut_in_drawing(data):
            return
        if not self._skipping and not self._data():
            self.parts.append(data)

    def _cut_in_drawing(self, data: str) -> bool:
        """A label a chart's drawing cut short (`Centre for Security and R…`): the picture's
        table under it holds the same label whole, and is checked there."""
        return data.rstrip().endswith("…") and any(tag == "svg" for tag, _h, _d in self._open)


def visible_text(html: str) -> str:
    """All of it in reading order, so a message split by its markup (a link inside a sentence)
    is one bracketed span again."""
    parser = _Visible()
    parser.feed(html)
    return " ".join(part for part in parser.parts if part.strip())


def strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def data_values(db: Database, more: Iterable[str] = ()) -> re.Pattern[str]:
    """Every text the database holds, as one pattern (longest first, whole words)."""
    found: set[str] = set(more)
    with db.reading() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                found.update(strings(list(row)))
    usable = {
        v.strip()
        for v in found
        if len(v.strip()) > 1
        # a value without letters (a year kept in a stored message) explains no word, and
        # taken out first it would break the date it is part of
        and _LETTER.search(v)
        and not _IDENTIFIER.fullmatch(v.strip())
        and v.strip() not in _OWN_WORDS
    }
    return _pattern(usable)


def _pattern(values: Iterable[str]) -> re.Pattern[str]:
    """Any of `values` as a whole (not the `en` inside "Opening"), longest first."""
    ordered = sorted(set(values), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in ordered) + r")(?!\w)")


_NAMES = _pattern(PROPER_NAMES)


def bypassed(html: str, data: re.Pattern[str]) -> list[str]:
    """The texts on the page with letters that neither the catalog nor the data explain."""
    text = visible_text(html)
    while True:
        fewer = _INNERMOST.sub(" ", text)
        if fewer == text:
            break
        text = fewer
    text = data.sub(" ", text)
    text = _DATES.sub(" ", text)
    text = _NAMES.sub(" ", text)
    pieces = re.split(r"\s{2,}", text)
    return [piece.strip() for piece in pieces if re.search(r"[^\W\d_]", piece)]
