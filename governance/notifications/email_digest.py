"""The daily email digest: one email a day with the notices a person chose to get that way.

Its key names the person, the local day and a number: the notices given to a digest are fixed
once its ledger row exists, so a second run on the same day (notices that came after the
first) makes the next number instead of changing a message that may already be at the relay.
Its channel is `email_digest`, not `direct`: it is the person's own cadence, so the digest
kind's opt-out (about the weekly channel digest) does not silence it; unsubscribing from a
daily digest switches the person back to one email per notice
(govsched/services/email_unsubscribe.py).
"""

from __future__ import annotations

from datetime import date, datetime

from governance.kernel.notices import Notification, notification_key
from governance.kernel.wording import day_text
from governance.rulebook.model import NotificationKind

EMAIL_DIGEST_CHANNEL = "email_digest"
TEXT_LIMIT = 3000
ENTRY_LIMIT = 400


def digest_item(day: date) -> str:
    return f"email-digest-{day.isoformat()}"


def digest_key(person: str, day: date, number: int) -> str:
    return notification_key(NotificationKind.DIGEST, digest_item(day), number, person)


def digest_text(day: date, entries: list[tuple[datetime, str, str]]) -> str:
    """The notices (issued at, kind, text), oldest first, within the notice's length limit."""
    head = f"Your notices of {day_text(day)} ({len(entries)}):"
    lines: list[str] = [head]
    used = len(head)
    for shown_count, (_at, kind, text) in enumerate(entries):
        entry = text.strip()
        if len(entry) > ENTRY_LIMIT:
            entry = entry[: ENTRY_LIMIT - 1] + "…"
        block = f"\n\n• {kind.replace('_', ' ').capitalize()}: {entry}"
        rest = len(entries) - shown_count
        tail = f"\n\n… and {rest} more: see My work."
        if used + len(block) + len(tail) > TEXT_LIMIT:
            lines.append(tail.strip("\n"))
            break
        lines.append(block.strip("\n"))
        used += len(block)
    return "\n\n".join(lines)


def daily_digest_notice(
    person: str,
    day: date,
    number: int,
    entries: list[tuple[datetime, str, str]],
    at: datetime,
) -> Notification:
    return Notification(
        key=digest_key(person, day, number),
        kind=NotificationKind.DIGEST,
        channel=EMAIL_DIGEST_CHANNEL,
        recipients=(person,),
        text=digest_text(day, entries),
        item=digest_item(day),
        issued_at=at,
    )


def parse_digest_key(key: str) -> tuple[date, int]:
    """The day and number of a key `digest_key` made."""
    _kind, item, version, _person = key.split(":", 3)
    return date.fromisoformat(item.removeprefix("email-digest-")), int(version.removeprefix("v"))
