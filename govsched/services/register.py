"""The register as people read it: the audit log searched by item, person, kind and dates.

The search's words come from a form (a GET, so a search is a link one can share); each is
checked here and a bad one is refused naming its field, nothing else read. Who reads which
entries is `governance.kernel.register_access`: the kinds a reader may not see are left out of
the query itself, so neither the rows nor their count reveal them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from governance.kernel.audit import AuditEntry
from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import say
from governance.kernel.model import Role
from governance.kernel.register_access import hidden_actions, readable_kinds
from governance.kernel.timekeeping import local_date, start_of_day
from govsched.persistence.db import Database
from govsched.persistence.repos import register as register_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos.register import RegisterFilter

# a page a phone and a screen reader can take; the CSV export has every entry
LIMIT = 100
FIELDS = ("kind", "item", "person", "since", "until")
_TEXT = re.compile(r"[\w.:@+ -]{0,200}", re.ASCII)


@dataclass(frozen=True)
class RegisterSearch:
    kind: str = ""
    item: str = ""
    person: str = ""
    since: date | None = None
    until: date | None = None

    def as_params(self) -> dict[str, str]:
        """The search as query parameters (the CSV link carries the same search)."""
        values = {
            "kind": self.kind,
            "item": self.item,
            "person": self.person,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class RegisterPage:
    entries: list[AuditEntry]
    more: bool
    kinds: list[str]
    names: dict[str, str]


def _day(values: Mapping[str, str], name: str, problems: list[Problem]) -> date | None:
    text = values.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem(
                name, say("%(text)r is not a date (year-month-day, e.g. 2026-03-31)", text=text)
            )
        )
        return None


def read_search(values: Mapping[str, str], kinds: Iterable[str]) -> RegisterSearch:
    """The search the form asks for, or InvalidInput naming each field that is wrong."""
    problems: list[Problem] = []
    kind = values.get("kind", "").strip()
    if kind and kind not in set(kinds):
        # an unknown kind and one the reader may not see get the same answer
        problems.append(
            Problem("kind", say("%(kind)r is not a kind of item in the register", kind=kind))
        )
    texts = {}
    for name, longest in (("item", 200), ("person", 80)):
        text = values.get(name, "").strip()
        if len(text) > longest or not _TEXT.fullmatch(text):
            problems.append(
                Problem(
                    name,
                    say(
                        "at most %(longest)s letters, digits, spaces and - _ . : @ +",
                        longest=longest,
                    ),
                )
            )
        texts[name] = text
    since, until = _day(values, "since", problems), _day(values, "until", problems)
    if since and until and until < since:
        problems.append(
            Problem(
                "until",
                say("the last day is before the first (%(since)s)", since=since.isoformat()),
            )
        )
    if problems:
        raise InvalidInput(say("the search was not understood"), problems)
    return RegisterSearch(kind, texts["item"], texts["person"], since, until)


def _filter(search: RegisterSearch, roles: Iterable[Role], tz: str) -> RegisterFilter:
    return RegisterFilter(
        kinds=readable_kinds(roles),
        hidden_actions=hidden_actions(roles),
        item_kind=search.kind or None,
        item=search.item or None,
        person=search.person or None,
        since=start_of_day(search.since, tz) if search.since else None,
        # the last day is included whole, to its local midnight
        before=start_of_day(search.until + timedelta(days=1), tz) if search.until else None,
    )


def kinds_for(db: Database, roles: Iterable[Role]) -> list[str]:
    with db.reading() as session:
        return register_repo.item_kinds(session, readable_kinds(roles))


def search(db: Database, roles: Iterable[Role], query: RegisterSearch, tz: str) -> RegisterPage:
    roles = frozenset(roles)
    with db.reading() as session:
        entries, more = register_repo.search(session, _filter(query, roles, tz), LIMIT)
        kinds = register_repo.item_kinds(session, readable_kinds(roles))
        # only the people the page names: every person's roles were read for 100 entries
        names = registry_repo.people_names(session, {e.actor for e in entries})
    return RegisterPage(entries, more, kinds, names)


# Lines in each chunk of the export: each chunk the response sends costs a hop to a worker
# thread, and a chunk a line made the export of 40,000 entries take 25 seconds.
CSV_LINES = 500
CSV_HEADER = ("time_utc", "local_day", "by", "by_name", "action", "item_kind", "item", "reason")


def _cell(value: str) -> str:
    # a spreadsheet would run a cell starting with these as a formula
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_lines(db: Database, roles: Iterable[Role], query: RegisterSearch, tz: str) -> Iterator[str]:
    """The search's every entry as CSV, `CSV_LINES` lines at a time (the export has no page
    limit)."""
    with db.reading() as session:
        names = registry_repo.all_people_names(session)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for count, entry in enumerate(
            register_repo.each(session, _filter(query, frozenset(roles), tz)), 1
        ):
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        entry.at.isoformat(timespec="seconds"),
                        local_date(entry.at, tz).isoformat(),
                        entry.actor,
                        names.get(entry.actor, ""),
                        entry.action,
                        entry.item_kind,
                        entry.item_id,
                        entry.reason,
                    )
                ]
            )
            if count % CSV_LINES == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
