"""Pushing a person's feed into a CalDAV calendar, for those who prefer it to subscribing.

The pushed events are exactly the person's own feed (the same bytes, split one event per
resource as CalDAV stores them), so entitlement is the feed's: nobody's calendar receives what
their feed would not show. Each pushed event carries X-GOVSCHED-DIGEST, a digest of what was
pushed: a push PUTs only an event whose UID is new or whose SEQUENCE or digest differ (so pushing
twice changes nothing), keeps a cancelled event as STATUS:CANCELLED while the feed keeps it, and
DELETEs an event of ours the feed no longer shows (retention over, role left). Events without
the marker are someone else's and never touched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from caldav.calendarobjectresource import CalendarObjectResource, Event
from caldav.davclient import DAVClient
from caldav.lib.error import DAVError
from icalendar import Calendar, Component

from governance.kernel.errors import NotFound
from governance.rulebook.model import Rulebook
from govsched.config import CalDAVTarget
from govsched.persistence.db import Database
from govsched.services.feeds.calendars import person_feed

MARKER = "X-GOVSCHED-DIGEST"


@dataclass
class PushOutcome:
    put: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class _Document:
    uid: str
    sequence: int
    digest: str
    body: bytes


def _documents(feed: bytes) -> list[_Document]:
    """One VCALENDAR per event, with the zones the feed carries, each marked with its digest."""
    calendar = Calendar.from_ical(feed)
    zones = list(calendar.walk("VTIMEZONE"))
    documents = []
    for event in calendar.walk("VEVENT"):
        digest = hashlib.sha256(event.to_ical()).hexdigest()[:32]
        event.add(MARKER, digest)
        single = Calendar()
        for name in ("PRODID", "VERSION", "CALSCALE"):
            single.add(name, calendar[name])
        for zone in zones:
            single.add_component(zone)
        single.add_component(event)
        documents.append(
            _Document(str(event["UID"]), int(event.get("SEQUENCE", 0)), digest, single.to_ical())
        )
    return documents


def _ours(remote: CalendarObjectResource) -> Component | None:
    data = remote.data
    if not data:
        return None
    for event in Calendar.from_ical(data).walk("VEVENT"):
        if MARKER in event:
            return event
    return None


def push(target: CalDAVTarget, feed: bytes) -> PushOutcome:
    """Make the calendar hold exactly the feed's events (of ours), changing only what moved."""
    outcome = PushOutcome()
    wanted = {document.uid: document for document in _documents(feed)}
    with DAVClient(
        url=target.url,
        username=target.username,
        password=target.password.get_secret_value() if target.password else None,
        timeout=target.timeout_seconds,
    ) as client:
        calendar = client.calendar(url=target.url)  # type: ignore[no-untyped-call]
        held: dict[str, tuple[int, str, CalendarObjectResource]] = {}
        for remote in calendar.events():
            event = _ours(remote)
            if event is not None:
                held[str(event["UID"])] = (
                    int(event.get("SEQUENCE", 0)),
                    str(event[MARKER]),
                    remote,
                )
        for uid, document in sorted(wanted.items()):
            current = held.get(uid)
            if current is not None and current[:2] == (document.sequence, document.digest):
                outcome.unchanged += 1
                continue
            # Stored as rendered: the feed owns SEQUENCE (the client would raise it on save).
            body = document.body.decode("utf-8")
            if current is not None:
                resource = current[2]
                resource.data = body
            else:
                resource = Event(client=client, data=body, parent=calendar)
            resource.save(increase_seqno=False)
            outcome.put.append(uid)
        for uid in sorted(held.keys() - wanted.keys()):
            held[uid][2].delete()
            outcome.deleted.append(uid)
    return outcome


def push_person(
    db: Database,
    rulebook: Rulebook,
    person_id: str,
    target: CalDAVTarget,
    now: datetime,
    base_url: str | None,
) -> PushOutcome:
    """Push the person's own feed as it stands now to their configured calendar."""
    with db.reading() as session:
        feed = person_feed(session, rulebook, person_id, now, base_url)
    return push(target, feed.body)


# What one person's unreachable or refusing server raises: it must not stop the others' pushes.
PUSH_FAILURES: tuple[type[Exception], ...] = (DAVError, OSError)


def push_all(
    db: Database,
    rulebook: Rulebook,
    targets: Mapping[str, CalDAVTarget],
    now: datetime,
    base_url: str | None,
) -> dict[str, PushOutcome | str]:
    """Push every configured person's feed; a failure is reported per person, never raised.

    The failure text names the exception's kind only: a CalDAV library's message can carry the
    URL, and the URL may carry the login.
    """
    results: dict[str, PushOutcome | str] = {}
    for person_id, target in sorted(targets.items()):
        try:
            results[person_id] = push_person(db, rulebook, person_id, target, now, base_url)
        except NotFound:
            results[person_id] = "no such person"
        except PUSH_FAILURES as exc:
            results[person_id] = f"the CalDAV server failed: {type(exc).__name__}"
    return results
