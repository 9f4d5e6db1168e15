"""Every feed as files: what `govsched feeds export` and a rehearsal write.

    public.ics, person-<id>.ics (each person), role-<role>.ics, pillar-<pillar>.ics,
    group-<id>.ics (each In-country Implementation Group: its meetings in its own zone)

The same data and `now` give the same bytes, so two runs of a rehearsal compare equal.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from governance.kernel.model import Pillar, Role
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.feeds.calendars import person_feed, pillar_feed, public_feed, role_feed
from govsched.services.groups import render_feed as group_feed

# The names of the feeds written below: only files of these names are ever removed.
FEED_NAME_STARTS = ("person-", "role-", "pillar-", "group-")


def write_feeds(
    session: Session, rulebook: Rulebook, now: datetime, out: Path, base_url: str | None
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    feeds: list[tuple[str, bytes]] = [
        ("public.ics", public_feed(session, rulebook, now, base_url).body)
    ]
    for person in registry_repo.list_people(session):
        body = person_feed(session, rulebook, person.id, now, base_url).body
        feeds.append((f"person-{person.id}.ics", body))
    for role in Role:
        feeds.append(
            (f"role-{role.value}.ics", role_feed(session, rulebook, role, now, base_url).body)
        )
    for pillar in Pillar:
        body = pillar_feed(session, rulebook, pillar, now, base_url).body
        feeds.append((f"pillar-{pillar.value}.ics", body))
    # as `GET /groups/{id}/calendar.ics` serves it: the rulebook's reminder before each meeting
    days = rulebook.calendars.default_alarm_days_before
    alarm = timedelta(days=days) if days else None
    for group in group_repo.groups(session):
        feeds.append((f"group-{group.id}.ics", group_feed(session, group.id, rulebook, alarm)))
    written = []
    for name, body in feeds:
        path = out / name
        path.write_bytes(body)
        written.append(path)
    # A feed written here by an earlier export (a person since removed, another scenario's
    # rehearsal in the same directory) is not this registry's: left, it would be read as one.
    for stale in set(out.glob("*.ics")) - set(written):
        if stale.name == "public.ics" or stale.name.startswith(FEED_NAME_STARTS):
            stale.unlink()
    return written
