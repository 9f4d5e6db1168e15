"""Calendar items: what the initiative publishes into members' calendars.

An item's UID comes from the domain item it stands for (`plenary-2027`), never from its date, so
moving a date updates the same event in every subscriber's calendar instead of adding a new one.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, model_validator

from governance.kernel.messages import Message
from governance.kernel.model import Frozen, OneLine, Paragraphs, Pillar, Role

PUBLIC = "public"
# Focal points of voting members (the no-objection procedure is announced to them). The stored
# value keeps its first name: calendar rows written before carry it.
VOTING_MEMBERS = "full_members"


def role_audience(role: Role) -> str:
    return f"role:{role.value}"


def pillar_audience(pillar: Pillar) -> str:
    return f"pillar:{pillar.value}"


def person_audience(person_id: str) -> str:
    return f"person:{person_id}"


def member_audience(member_id: str) -> str:
    return f"member:{member_id}"


def item_uid(item_id: str, domain: str) -> str:
    """The stable UID of the event for a domain item; item ids carry their kind (plenary-2027)."""
    return f"{item_id}@{domain}"


class EventStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class CalendarItem(Frozen):
    """One event as the domain wants it published; the store adds SEQUENCE and LAST-MODIFIED.

    All-day items (deadlines, multi-day meetings given by dates) use `start_date`/`end_date`
    (inclusive); timed items use `starts`/`ends`.
    """

    uid: Annotated[str, Field(min_length=3, max_length=255, pattern=r"^[A-Za-z0-9._@-]+$")]
    kind: Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")]
    title: Annotated[OneLine, Field(min_length=1, max_length=300)]
    description: Annotated[Paragraphs, Field(max_length=4000)] = ""
    location: Annotated[OneLine, Field(max_length=300)] | None = None
    url: Annotated[OneLine, Field(max_length=500)] | None = None
    start_date: date | None = None
    end_date: date | None = None
    starts: AwareDatetime | None = None
    ends: AwareDatetime | None = None
    status: EventStatus = EventStatus.CONFIRMED
    audiences: frozenset[str]
    confidential: bool = False
    # The title and description as messages (issue 20), rendered in each reader's language when
    # a feed is built; `title` and `description` stay their English rendering. None for items
    # stored before, which every reader reads as written.
    title_message: Message | None = None
    description_message: Message | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CalendarItem:
        all_day = self.start_date is not None
        timed = self.starts is not None
        if all_day == timed:
            raise ValueError("give either start_date (all-day) or starts (timed), not both")
        if all_day and self.ends is not None:
            raise ValueError("an all-day item ends on end_date, not at an instant (ends)")
        if timed and self.end_date is not None:
            raise ValueError("a timed item ends at an instant (ends), not on end_date")
        if all_day and self.end_date is not None and self.end_date < self.start_date:  # type: ignore[operator]
            raise ValueError("end_date is before start_date")
        if timed and self.ends is not None and self.ends < self.starts:  # type: ignore[operator]
            raise ValueError("ends is before starts")
        if not self.audiences:
            raise ValueError("an event needs at least one audience")
        if self.confidential and PUBLIC in self.audiences:
            raise ValueError("a confidential event cannot be public")
        return self

    @property
    def all_day(self) -> bool:
        return self.start_date is not None


# A change to any of these is a new version of the event for subscribers (RFC 5545 SEQUENCE).
_VERSIONED_FIELDS = (
    "title",
    "description",
    "location",
    "url",
    "start_date",
    "end_date",
    "starts",
    "ends",
    "status",
)


def is_new_version(old: CalendarItem, new: CalendarItem) -> bool:
    """Whether replacing `old` by `new` must bump the event's SEQUENCE."""
    return any(getattr(old, name) != getattr(new, name) for name in _VERSIONED_FIELDS)


def visible_to(item: CalendarItem, audiences: frozenset[str]) -> bool:
    """Whether a feed for `audiences` may show the item; confidential items never go public."""
    if item.confidential:
        return bool(item.audiences & (audiences - {PUBLIC}))
    return bool(item.audiences & audiences)


def span_end(item: CalendarItem) -> datetime | date | None:
    return item.end_date if item.all_day else item.ends


class PublishedEvent(Frozen):
    """An item as the store keeps it: with the version subscribers' calendars compare."""

    item: CalendarItem
    sequence: int
    created: AwareDatetime
    last_modified: AwareDatetime


def person_audiences(
    person_id: str,
    roles: frozenset[Role],
    member_id: str | None,
    pillar: Pillar | None,
    voting_member: bool = False,
) -> frozenset[str]:
    """Everything a person's own feed may show: public items, their roles, member and pillar.

    Focal points of voting members also see what is announced to voting members (a
    no-objection period on an application); observers' and Engaged members' do not.
    """
    audiences = {PUBLIC, person_audience(person_id)}
    audiences |= {role_audience(role) for role in roles}
    if member_id is not None:
        audiences.add(member_audience(member_id))
    if pillar is not None:
        audiences.add(pillar_audience(pillar))
    if voting_member and Role.FOCAL_POINT in roles:
        audiences.add(VOTING_MEMBERS)
    return frozenset(audiences)
