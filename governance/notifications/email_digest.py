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

from dataclasses import dataclass
from datetime import date, datetime

from governance.kernel.messages import N_, Message, Term, Terms, say, say_n, term
from governance.kernel.notices import Notification, notification_key
from governance.rulebook.model import NotificationKind

EMAIL_DIGEST_CHANNEL = "email_digest"
TEXT_LIMIT = 3000
ENTRY_LIMIT = 400


def digest_item(day: date) -> str:
    return f"email-digest-{day.isoformat()}"


def digest_key(person: str, day: date, number: int) -> str:
    return notification_key(NotificationKind.DIGEST, digest_item(day), number, person)


# Each notice's kind as the digest heads it; the same words as a notice's subject line
# (govsched/notify/kind_titles.py), so one catalog entry serves both.
_KIND_NAMES = {
    NotificationKind.DEADLINE_REMINDER: N_("Deadline reminder"),
    NotificationKind.OVERDUE: N_("Overdue"),
    NotificationKind.DECISION: N_("Decision"),
    NotificationKind.ROSTER: N_("Roster"),
    NotificationKind.CHANGE_NOTICE: N_("Change"),
    NotificationKind.HANDOVER: N_("Chair handover"),
    NotificationKind.DIGEST: N_("Digest"),
    NotificationKind.ANNOUNCEMENT: N_("Announcement"),
    NotificationKind.REQUEST: N_("Action required"),
}


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """A notice the digest carries: its message where the ledger kept one (each reader reads
    it in their language), else its text as written."""

    at: datetime
    kind: str
    text: str
    message: Message | None = None


def _kind_name(kind: str) -> Term | str:
    try:
        return term(say(_KIND_NAMES[NotificationKind(kind)]))
    except (ValueError, KeyError):
        return kind.replace("_", " ").capitalize()


def _entry(entry: DigestEntry) -> Message:
    shown = entry.text.strip()
    if entry.message is None or len(shown) > ENTRY_LIMIT:
        # a long notice is cut as written; a reader of another language reads its first part
        # in English rather than a cut that could end inside a placeholder's value
        text = shown if len(shown) <= ENTRY_LIMIT else shown[: ENTRY_LIMIT - 1] + "…"
        body: Message | str = text
    else:
        body = entry.message
    return say(
        "• %(kind)s: %(notice)s",
        kind=_kind_name(entry.kind),
        notice=term(body) if isinstance(body, Message) else body,
    )


def digest_message(day: date, entries: list[DigestEntry]) -> Message:
    """The notices, oldest first, within the notice's length limit (counted on the English):
    a heading, one paragraph per notice, and how many more there are when they do not fit."""
    shown_entries: list[Message] = []
    used = len(_framed(day, len(entries), []).english())
    for shown_count, entry in enumerate(entries):
        block = _entry(entry)
        tail = _more(len(entries) - shown_count)
        # each paragraph after the first is preceded by a blank line
        if used + len(block.english()) + len(tail.english()) + 4 > TEXT_LIMIT:
            shown_entries.append(tail)
            break
        shown_entries.append(block)
        used += len(block.english()) + 2
    return _framed(day, len(entries), shown_entries)


def _framed(day: date, count: int, notices: list[Message]) -> Message:
    return say_n(
        "Your notices of %(day)s (%(count)s):\n\n%(notices)s",
        "Your notices of %(day)s (%(count)s):\n\n%(notices)s",
        count,
        day=day,
        notices=Terms(messages=tuple(notices), separator="\n\n"),
    )


def _more(rest: int) -> Message:
    return say_n(
        "… and %(count)s more notice: see Your work.",
        "… and %(count)s more notices: see Your work.",
        rest,
    )


def daily_digest_notice(
    person: str,
    day: date,
    number: int,
    entries: list[DigestEntry],
    at: datetime,
) -> Notification:
    message = digest_message(day, entries)
    return Notification(
        key=digest_key(person, day, number),
        kind=NotificationKind.DIGEST,
        channel=EMAIL_DIGEST_CHANNEL,
        recipients=(person,),
        text=message.english()[:TEXT_LIMIT],
        message=message,
        item=digest_item(day),
        issued_at=at,
    )


def parse_digest_key(key: str) -> tuple[date, int]:
    """The day and number of a key `digest_key` made."""
    _kind, item, version, _person = key.split(":", 3)
    return date.fromisoformat(item.removeprefix("email-digest-")), int(version.removeprefix("v"))
