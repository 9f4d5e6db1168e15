"""Building feeds from the calendar store: public, per person, per role and per pillar.

Every feed is described by a `FeedRequest`: a cache name and a version that changes whenever
the bytes would (any stored event change, the day, the audiences the registry gives the person,
their alarm, the feed's name). Serving compares versions and renders only on a change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from governance.feeds.scopes import (
    PERSON_SCOPE,
    Subscriber,
    entitled,
    scope_audiences,
    scope_group,
)
from governance.kernel.calendar import PUBLIC, role_audience
from governance.kernel.errors import NotFound
from governance.kernel.languages import Language, reading_language
from governance.kernel.model import Pillar, Role, votes
from governance.rulebook.model import Rulebook
from govsched.feeds.cache import FeedCache, RenderedFeed, rendered
from govsched.feeds.reading import FeedReader
from govsched.i18n.current import N_, pgettext, use_language
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import calendar_preferences as calendar_preference_repo
from govsched.persistence.repos import feed_tokens as feed_token_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos.calendar_preferences import AlarmPreference
from govsched.persistence.repos.feed_tokens import FeedGrant
from govsched.services import groups as group_service

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """A feed to serve: its cache name, the version of its inputs, and how to render it."""

    name: str
    version: Hashable
    render: Callable[[], RenderedFeed]

    def serve(self, cache: FeedCache) -> RenderedFeed:
        return cache.get(self.name, self.version, self.render)


def _feed(
    session: Session,
    rulebook: Rulebook,
    audiences: frozenset[str],
    name: str,
    now: datetime,
    base_url: str | None = None,
    alarm: timedelta | None = None,
    reader: FeedReader | None = None,
) -> RenderedFeed:
    # icalendar loads with the first feed, not with every process (RELIABILITY.md, "Start-up cost")
    from govsched.feeds.ical import render_calendar

    events = calendar_repo.visible_events(session, audiences)
    calendars = rulebook.calendars
    body = render_calendar(
        events,
        name=name,
        tz=rulebook.initiative.timezone,
        refresh=timedelta(hours=calendars.refresh_interval_hours),
        now=now,
        retention=timedelta(days=calendars.cancelled_retention_days),
        base_url=base_url,
        alarm=alarm,
        reader=reader or initiative_reader(rulebook),
    )
    newest = max((e.last_modified for e in events), default=_EPOCH)
    return rendered(body, newest)


def subscriber(session: Session, person_id: str) -> Subscriber | None:
    person = registry_repo.get_person(session, person_id)
    if person is None:
        return None
    member = registry_repo.member_facts(session, person.member)
    return Subscriber(
        person_id=person.id,
        name=person.name,
        roles=person.roles,
        member_id=person.member,
        pillar=member.pillar if member else None,
        voting_member=member is not None and votes(member.pillar, member.status),
    )


def _language_of(session: Session, person_id: str) -> Language | None:
    person = registry_repo.get_person(session, person_id)
    return None if person is None else person.language


def alarm_for(session: Session, rulebook: Rulebook, person_id: str) -> timedelta | None:
    """The person's alarm preference, or the rulebook's default when they stated none."""
    return alarm_from(rulebook, calendar_preference_repo.alarm(session, person_id))


def alarm_from(rulebook: Rulebook, preference: AlarmPreference | None) -> timedelta | None:
    if preference is None:
        return timedelta(days=rulebook.calendars.default_alarm_days_before)
    if preference.minutes_before is None:
        return None
    return timedelta(minutes=preference.minutes_before)


def feed_reader(rulebook: Rulebook, language: Language | None = None) -> FeedReader:
    """Entries in `language`, else the initiative's (a role's, a pillar's, the public feed)."""
    chosen = reading_language(language, rulebook.initiative.language)
    return FeedReader(chosen, rulebook.label_text)


def initiative_reader(rulebook: Rulebook) -> FeedReader:
    return feed_reader(rulebook)


PUBLIC_TITLE = N_("%(initiative)s public calendar")
_OWN_TITLE = N_("%(initiative)s: %(name)s")


def feed_title(
    rulebook: Rulebook,
    scope: str,
    who: Subscriber | None = None,
    reader: FeedReader | None = None,
) -> str:
    """The calendar's name as its reader's calendar lists it (X-WR-CALNAME)."""
    reading = reader or initiative_reader(rulebook)
    short = rulebook.initiative.short_name
    if scope == PUBLIC:
        return reading.words(PUBLIC_TITLE, initiative=short)
    if scope == PERSON_SCOPE and who is not None:
        return reading.words(_OWN_TITLE, initiative=short, name=who.name)
    # a role's or a pillar's feed: the system's own word for it
    with use_language(reading.language, pseudo=reading.pseudo):
        scope_word = pgettext("word", scope.partition(":")[2].replace("_", " "))
    return reading.words(_OWN_TITLE, initiative=short, name=scope_word)


def public_request(
    session: Session,
    rulebook: Rulebook,
    now: datetime,
    base_url: str | None = None,
    language: Language | None = None,
) -> FeedRequest:
    """The public feed in `language` (its address's `?lang=`), else the initiative's."""
    reader = feed_reader(rulebook, language)
    version = (feed_version(session, now), base_url)
    name = feed_title(rulebook, PUBLIC, reader=reader)
    return FeedRequest(
        f"public/{reader.language.value}",
        version,
        lambda: _feed(session, rulebook, frozenset({PUBLIC}), name, now, base_url, reader=reader),
    )


def grant_request(
    session: Session,
    rulebook: Rulebook,
    grant: FeedGrant,
    now: datetime,
    base_url: str | None = None,
) -> FeedRequest | None:
    """The feed a grant opens, or None if its person is gone or no longer entitled to it."""
    who = subscriber(session, grant.person_id)
    if who is None:
        return None
    return subscription_request(
        rulebook,
        grant,
        who,
        alarm_for(session, rulebook, who.person_id),
        calendar_repo.version(session),
        now,
        base_url,
        lambda: nullcontext(session),
        language=_language_of(session, who.person_id),
    )


def subscription_request(
    rulebook: Rulebook,
    grant: FeedGrant,
    who: Subscriber,
    alarm: timedelta | None,
    store_version: tuple[int, int],
    now: datetime,
    base_url: str | None,
    reading: Callable[[], AbstractContextManager[Session]],
    language: Language | None = None,
) -> FeedRequest | None:
    """The feed a grant opens given its inputs, or None if the person may not read it.

    A person's own feed is in their `language`; a role's, a pillar's or a group's in the
    initiative's (one feed shared by many readers).

    The one place a token feed's cache name and version are made: the request path (one query,
    govsched/services/feeds/serving.py), the warm-up job and the tests must all land on the same
    entry. `reading` opens the session a render (on a cache miss only) reads events from.
    """
    if not entitled(who, grant.scope):
        return None
    group_id = scope_group(grant.scope)
    if group_id is not None:
        return _group_request(rulebook, grant, group_id, alarm, base_url, reading)
    audiences = scope_audiences(who, grant.scope)
    reader = feed_reader(rulebook, language if grant.scope == PERSON_SCOPE else None)
    title = feed_title(rulebook, grant.scope, who, reader)
    version = (
        (*store_version, now.date()),
        tuple(sorted(audiences)),
        alarm,
        title,
        base_url,
        reader.language,
    )

    def render() -> RenderedFeed:
        with reading() as session:
            return _feed(session, rulebook, audiences, title, now, base_url, alarm, reader)

    return FeedRequest(f"{grant.person_id}/{grant.scope}", version, render)


def _group_request(
    rulebook: Rulebook,
    grant: FeedGrant,
    group_id: str,
    alarm: timedelta | None,
    base_url: str | None,
    reading: Callable[[], AbstractContextManager[Session]],
) -> FeedRequest | None:
    """An in-country group's feed (issue 23): versioned by the group's last change; None once
    the group is gone."""
    with reading() as session:
        changed = group_service.feed_version(session, group_id)
    if changed is None:
        return None
    version = (changed, alarm, base_url)

    def render() -> RenderedFeed:
        with reading() as session:
            body = group_service.render_feed(session, group_id, rulebook, alarm)
        return rendered(body, changed)

    return FeedRequest(f"{grant.person_id}/{grant.scope}", version, render)


def token_request(
    session: Session, rulebook: Rulebook, token: str, now: datetime, base_url: str | None = None
) -> FeedRequest | None:
    """The feed behind a subscription token, or None for an unknown, revoked or lapsed one."""
    grant = feed_token_repo.grant_for(session, token)
    return None if grant is None else grant_request(session, rulebook, grant, now, base_url)


def public_feed(
    session: Session, rulebook: Rulebook, now: datetime, base_url: str | None = None
) -> RenderedFeed:
    return public_request(session, rulebook, now, base_url).render()


def person_feed(
    session: Session,
    rulebook: Rulebook,
    person_id: str,
    now: datetime,
    base_url: str | None = None,
) -> RenderedFeed:
    """The person's own feed (what their token for the `person` scope serves)."""
    request = grant_request(session, rulebook, FeedGrant(person_id, PERSON_SCOPE), now, base_url)
    if request is None:
        raise NotFound("person", person_id)
    return request.render()


def role_feed(
    session: Session,
    rulebook: Rulebook,
    role: Role,
    now: datetime,
    base_url: str | None = None,
) -> RenderedFeed:
    name = feed_title(rulebook, f"role:{role.value}")
    return _feed(session, rulebook, frozenset({role_audience(role)}), name, now, base_url)


def pillar_feed(
    session: Session,
    rulebook: Rulebook,
    pillar: Pillar,
    now: datetime,
    base_url: str | None = None,
) -> RenderedFeed:
    name = feed_title(rulebook, f"pillar:{pillar.value}")
    audiences = frozenset({f"pillar:{pillar.value}"})
    return _feed(session, rulebook, audiences, name, now, base_url)


def feed_version(session: Session, now: datetime) -> tuple[object, ...]:
    """A cache key that changes when any event changes, or a day passes (cancellations expire)."""
    return (*calendar_repo.version(session), now.date())
