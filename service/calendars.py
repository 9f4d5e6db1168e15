"""Building feeds from the calendar store: public, per person and per role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from feeds.cache import RenderedFeed, rendered
from feeds.ical import render_calendar
from governance.calendar import PUBLIC, person_audiences, role_audience
from governance.errors import NotFound
from governance.model import MemberStatus, Role
from governance.rulebook import Rulebook
from persistence import calendar_repo, registry_repo

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _feed(
    session: Session, rulebook: Rulebook, audiences: frozenset[str], name: str, now: datetime
) -> RenderedFeed:
    events = calendar_repo.visible_events(session, audiences)
    calendars = rulebook.calendars
    body = render_calendar(
        events,
        name=name,
        tz=rulebook.initiative.timezone,
        refresh=timedelta(hours=calendars.refresh_interval_hours),
        now=now,
        retention=timedelta(days=calendars.cancelled_retention_days),
    )
    newest = max((e.last_modified for e in events), default=_EPOCH)
    return rendered(body, newest)


def public_feed(session: Session, rulebook: Rulebook, now: datetime) -> RenderedFeed:
    name = f"{rulebook.initiative.short_name} public calendar"
    return _feed(session, rulebook, frozenset({PUBLIC}), name, now)


def person_feed(
    session: Session, rulebook: Rulebook, person_id: str, now: datetime
) -> RenderedFeed:
    person = registry_repo.get_person(session, person_id)
    if person is None:
        raise NotFound("person", person_id)
    member = registry_repo.member_facts(session, person.member)
    audiences = person_audiences(
        person.id,
        person.roles,
        person.member,
        member.pillar if member else None,
        full_member=member is not None and member.status is MemberStatus.FULL,
    )
    name = f"{rulebook.initiative.short_name}: {person.name}"
    return _feed(session, rulebook, audiences, name, now)


def role_feed(session: Session, rulebook: Rulebook, role: Role, now: datetime) -> RenderedFeed:
    name = f"{rulebook.initiative.short_name}: {role.value.replace('_', ' ')}"
    return _feed(session, rulebook, frozenset({role_audience(role)}), name, now)


def feed_version(session: Session, now: datetime) -> tuple[object, ...]:
    """A cache key that changes when any event changes, or a day passes (cancellations expire)."""
    return (*calendar_repo.version(session), now.date())
