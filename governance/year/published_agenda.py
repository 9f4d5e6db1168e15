"""The plenary's agenda as the Secretariat and the Chair keep it: items in an order, each with
its document links, published to members as numbered versions, and the decisions the plenary
takes on its items.

The draft agenda (`plenary_agenda.py`) is generated from live state and suggests what to put
on it; this agenda is what people edit and publish. A version is a frozen copy: what members
read is always a version, and each version after the first says what changed since the one
before, so a member who read version 1 reads only the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field

from governance.applications.model import Url
from governance.kernel.errors import Conflict, Forbidden, NotFound, Problem, ValueRefused
from governance.kernel.messages import Message, Period, Terms, say, say_n, sentences
from governance.kernel.model import Frozen, OneLine, Paragraphs, Plenary, Role
from governance.kernel.text import blank
from governance.year.plenary_sessions import check_sitting

EDITORS = frozenset({Role.SECRETARIAT, Role.CHAIR})


def _not_blank(value: str) -> str:
    # a title of spaces alone (or zero-width ones) would list an item (or a document) nobody can
    # tell apart
    if blank(value):
        raise ValueRefused(say("must not be blank"))
    return value


Title = Annotated[OneLine, Field(min_length=1, max_length=300)]
# a title as a request gives it; a stored one stays readable whatever it holds
NewTitle = Annotated[Title, AfterValidator(_not_blank)]
DecisionText = Annotated[Paragraphs, Field(min_length=1, max_length=4000)]


class DocumentLink(Frozen):
    title: Title
    url: Url


class Decision(Frozen):
    text: DecisionText
    at: AwareDatetime
    by: str


class AgendaItem(Frozen):
    id: int
    plenary_id: str
    position: int
    title: Title
    documents: tuple[DocumentLink, ...] = ()
    decision: Decision | None = None


class PublishedItem(Frozen):
    """An item as a version froze it: what members were told."""

    id: int
    title: str
    documents: tuple[DocumentLink, ...] = ()


class AgendaVersion(Frozen):
    plenary_id: str
    number: int
    published_at: AwareDatetime
    published_by: str
    items: tuple[PublishedItem, ...]


class Change(Frozen):
    """One difference between a version and the one before, in words a member reads."""

    kind: str  # added, removed, renamed, moved, documents
    item: int
    text: str
    # `text` as a message each reader's language renders (the API gives `text` in the
    # request's language instead; the English `text` is what notices record)
    words: Message | None = Field(default=None, exclude=True)


def _change(kind: str, item: int, words: Message) -> Change:
    return Change(kind=kind, item=item, text=words.english(), words=words)


def check_editor(roles: frozenset[Role]) -> None:
    """Only the Secretariat and the Chair shape the agenda."""
    if not roles & EDITORS:
        raise Forbidden("secretariat or chair", say("editing the plenary agenda"))


def item_number(raw: str) -> int:
    """An item's id from a path: digits only, and small enough for any database's integer
    (anything else names no item)."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise NotFound("agenda item", raw[:40])
    return int(raw)


def find(items: Sequence[AgendaItem], item_id: int) -> AgendaItem:
    found = next((i for i in items if i.id == item_id), None)
    if found is None:
        raise NotFound("agenda item", str(item_id))
    return found


def moved(items: Sequence[AgendaItem], item_id: int, direction: str) -> list[tuple[int, int]]:
    """The new positions (item id, position) after moving one item up or down by one place.

    Positions are renumbered 1..n, so gaps left by removed items close as soon as anything
    moves. At the top (or bottom) already, nothing moves rather than refusing: the person sees
    the order they asked for."""
    if direction not in ("up", "down"):
        raise Conflict(
            say("an item moves up or down"), [Problem("direction", say("must be up or down"))]
        )
    order = [i.id for i in sorted(items, key=lambda i: (i.position, i.id))]
    if item_id not in order:
        raise NotFound("agenda item", str(item_id))
    at = order.index(item_id)
    other = at - 1 if direction == "up" else at + 1
    if 0 <= other < len(order):
        order[at], order[other] = order[other], order[at]
    return [(iid, place) for place, iid in enumerate(order, start=1)]


def frozen_items(items: Sequence[AgendaItem]) -> tuple[PublishedItem, ...]:
    ordered = sorted(items, key=lambda i: (i.position, i.id))
    return tuple(PublishedItem(id=i.id, title=i.title, documents=i.documents) for i in ordered)


def check_publishable(items: Sequence[AgendaItem], latest: AgendaVersion | None) -> None:
    """A version must hold something, and something new: members are told of each one."""
    if not items:
        raise Conflict(
            say("an empty agenda cannot be published"),
            [Problem("", say("add at least one item first"))],
        )
    if latest is not None and latest.items == frozen_items(items):
        raise Conflict(
            say("nothing changed since version %(number)s", number=latest.number),
            [
                Problem(
                    "",
                    say("the agenda is as version %(number)s published it", number=latest.number),
                )
            ],
        )


def changes(before: AgendaVersion | None, after: AgendaVersion) -> list[Change]:
    """What `after` changed since `before`, in agenda order (removed items last)."""
    if before is None:
        return []
    old = {i.id: (place, i) for place, i in enumerate(before.items, start=1)}
    kept_before = [i.id for i in before.items if i.id in {n.id for n in after.items}]
    found: list[Change] = []
    for place, item in enumerate(after.items, start=1):
        if item.id not in old:
            found.append(
                _change(
                    "added",
                    item.id,
                    say("Added item %(place)s: %(title)s", place=place, title=item.title),
                )
            )
            continue
        was_place, was = old[item.id]
        if was.title != item.title:
            found.append(
                _change(
                    "renamed",
                    item.id,
                    say("Item %(place)s renamed from %(title)s", place=place, title=was.title),
                )
            )
        kept_after = [i.id for i in after.items if i.id in old]
        if kept_before.index(item.id) != kept_after.index(item.id):
            found.append(
                _change(
                    "moved",
                    item.id,
                    say(
                        "%(title)s moved from item %(was)s to item %(place)s",
                        title=item.title,
                        was=was_place,
                        place=place,
                    ),
                )
            )
        found.extend(_document_changes(item, was, place))
    new_ids = {i.id for i in after.items}
    for place, item in enumerate(before.items, start=1):
        if item.id not in new_ids:
            found.append(
                _change(
                    "removed",
                    item.id,
                    say("Removed item %(place)s: %(title)s", place=place, title=item.title),
                )
            )
    return found


def _document_changes(item: PublishedItem, was: PublishedItem, place: int) -> list[Change]:
    had = {d.url: d for d in was.documents}
    has = {d.url: d for d in item.documents}
    found = [
        _change(
            "documents",
            item.id,
            say("Item %(place)s: document added: %(title)s", place=place, title=d.title),
        )
        for url, d in has.items()
        if url not in had
    ]
    found += [
        _change(
            "documents",
            item.id,
            say("Item %(place)s: document removed: %(title)s", place=place, title=d.title),
        )
        for url, d in had.items()
        if url not in has
    ]
    return found


def announcement(plenary: Plenary, version: AgendaVersion, found: Sequence[Change]) -> Message:
    """The notice members receive for a published version (each change as the agenda's page
    words it)."""
    head = say_n(
        "The agenda of the %(year)s plenary (%(dates)s, %(location)s) is published: version "
        "%(version)s, %(count)s item.",
        "The agenda of the %(year)s plenary (%(dates)s, %(location)s) is published: version "
        "%(version)s, %(count)s items.",
        len(version.items),
        year=str(plenary.year),
        dates=Period(starts=plenary.starts, ends=plenary.ends),
        location=plenary.location,
        version=str(version.number),
    )
    if version.number == 1 or not found:
        return head
    # each change as the agenda's page words it, in the reader's language
    listed = Terms(
        messages=tuple(c.words for c in found[:10] if c.words is not None),
        separator="; ",
    )
    if len(found) > 10:
        tail = say_n(
            "Changed since version %(was)s: %(changes)s and %(count)s more change.",
            "Changed since version %(was)s: %(changes)s and %(count)s more changes.",
            len(found) - 10,
            was=str(version.number - 1),
            changes=listed,
        )
    else:
        tail = say(
            "Changed since version %(was)s: %(changes)s.",
            was=str(version.number - 1),
            changes=listed,
        )
    return sentences(head, tail)


def check_decision_day(
    plenary: Plenary, day: date, grace_days: int, plenaries: Sequence[Plenary]
) -> None:
    """A plenary decides only while it sits (and records within the grace days after): the
    same rule, and the same refusal naming the next of all `plenaries`, as a decision on an
    application."""
    check_sitting(plenary, day, grace_days, plenaries)
