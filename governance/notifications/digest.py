"""The weekly digest: the coming deadlines each channel's audience may see, one notice a week.

The notice's key names the channel and the ISO week, so running the digest twice in a week
(a second scheduler, a retried job) finds the key in the ledger and sends nothing more.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from governance.kernel.calendar import (
    PUBLIC,
    CalendarItem,
    EventStatus,
    pillar_audience,
    role_audience,
    visible_to,
)
from governance.kernel.messages import Message, Term, Terms, say, say_n, term
from governance.kernel.model import Pillar, Role
from governance.kernel.notices import Notification, channel_notice
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import NotificationKind, Rulebook

MAX_LINES = 40


def channel_audiences(channel: str) -> frozenset[str]:
    """Whose calendar entries a channel's digest may list (confidential ones included).

    No channel gets what only voting members receive (a no-objection period): `all_members`
    reaches observers and Engaged members too, who do not vote.
    """
    audiences = {PUBLIC}
    if channel in {r.value for r in Role}:
        audiences.add(role_audience(Role(channel)))
    if channel in {p.value for p in Pillar}:
        audiences.add(pillar_audience(Pillar(channel)))
    return frozenset(audiences)


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def coming(
    items: list[CalendarItem], channel: str, today: date, days_ahead: int, tz: str
) -> list[tuple[date, str]]:
    """(day, title) of each confirmed entry the channel may see, from today for `days_ahead`."""
    audiences = channel_audiences(channel)
    last = today + timedelta(days=days_ahead)
    found = []
    for item in items:
        if item.status is not EventStatus.CONFIRMED or not visible_to(item, audiences):
            continue
        day = item.start_date if item.start_date is not None else None
        if day is None and item.starts is not None:
            day = local_date(item.starts, tz)
        if day is not None and today <= day <= last:
            found.append((day, item.title))
    return sorted(found)


def digest_notice(
    channel: str, entries: list[tuple[date, str]], today: date, at: datetime, rules: Rulebook
) -> Notification:
    days = rules.notifications.digest_days_ahead
    week = week_of(today)
    if entries:
        # an entry's title is its calendar entry's, as the feeds write it
        lines: list[Message] = [
            say("• %(day)s: %(title)s", day=day, title=title) for day, title in entries[:MAX_LINES]
        ]
        if len(entries) > MAX_LINES:
            more = len(entries) - MAX_LINES
            lines.append(
                say_n(
                    "… and %(count)s more (see the calendar).",
                    "… and %(count)s more (see the calendar).",
                    more,
                )
            )
        body: Term | Terms = Terms(messages=tuple(lines), separator="\n")
    else:
        body = term(say("Nothing falls due."))
    text = say_n(
        "Coming up in the next %(count)s day (week %(week)s):\n%(body)s",
        "Coming up in the next %(count)s days (week %(week)s):\n%(body)s",
        days,
        week=week,
        body=body,
    )
    return channel_notice(NotificationKind.DIGEST, channel, f"digest-{week}", 1, text, at)
