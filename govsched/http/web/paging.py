"""Long lists a page at a time: a registry of thousands of members made the directory, the
roster and the forms offering them megabytes (the VPI's 80 members fit on one page, which reads
as before)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

from sqlalchemy.orm import Session

PAGE_ROWS = 100
# a search is a few words, a name or an id; anything longer is cut, never refused
LONGEST_SEARCH = 100

Row = TypeVar("Row")


@dataclass(frozen=True)
class Paging:
    """Which page of how many, over how many rows."""

    page: int
    pages: int
    total: int

    @property
    def start(self) -> int:
        """The index of the page's first row, counted from 0."""
        return (self.page - 1) * PAGE_ROWS

    @property
    def stop(self) -> int:
        return min(self.start + PAGE_ROWS, self.total)


def asked_page(params: Mapping[str, str]) -> int:
    """The page the query asks for; one that is not a number is the first."""
    wanted = params.get("page", "")
    return int(wanted) if wanted.isdigit() and 0 < int(wanted) < 10**6 else 1


def paging(page: int, total: int) -> Paging:
    """`page` of `total` rows; a page past the last is the last."""
    pages = max(1, -(-total // PAGE_ROWS))
    return Paging(min(page, pages), pages, total)


@dataclass(frozen=True)
class Listing:
    """A searched list's page: what was searched, and where its page stands."""

    path: str
    text: str
    at: Paging

    @property
    def page_link(self) -> str:
        """The address a page's number is added to."""
        return f"{self.path}?" + (f"{urlencode({'q': self.text})}&" if self.text else "") + "page="


def searched(
    session: Session,
    path: str,
    params: Mapping[str, str],
    search: Callable[[Session, str, int, int], tuple[list[Row], int]],
) -> tuple[list[Row], Listing]:
    """The page of rows the query asks for (`q`, `page`), read with `search(session, text,
    offset, limit)`, which also counts every row that matches."""
    text = " ".join(params.get("q", "").split())[:LONGEST_SEARCH]
    page = asked_page(params)
    rows, total = search(session, text, (page - 1) * PAGE_ROWS, PAGE_ROWS)
    at = paging(page, total)
    if at.page != page:
        rows, total = search(session, text, at.start, PAGE_ROWS)
        at = paging(at.page, total)
    return rows, Listing(path, text, at)
