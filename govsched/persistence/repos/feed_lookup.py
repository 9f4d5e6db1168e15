"""Everything a token feed request needs to know, in one indexed query.

A feed request must see a reset, a revocation, a role change, a new alarm preference and a new
event at once, even when another process (the worker, the CLI, another API process) made it, so
it has to ask the database every time; asking once keeps that cheap. The token's digest (primary
key) finds at most one row per role of its person; the store's version is two uncorrelated
aggregates that both SQLite and PostgreSQL evaluate once per statement.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, func, literal_column, select

from govsched.persistence.repos.calendar_preferences import AlarmPreference
from govsched.persistence.repos.feed_tokens import FeedGrant, digest
from govsched.persistence.tables import (
    CalendarEventRow,
    CalendarFeedTokenRow,
    CalendarPreferenceRow,
    MemberRow,
    PersonRoleRow,
    PersonRow,
)


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """The registry's facts about a person that decide their feeds (roles as stored strings)."""

    person_id: str
    name: str
    roles: frozenset[str]
    member_id: str | None
    pillar: str | None
    member_status: str | None
    # a BCP 47 tag of governance.kernel.languages.Language; None: the initiative's (issue 20)
    language: str | None = None


@dataclass(frozen=True, slots=True)
class TokenFacts:
    grant: FeedGrant
    person: PersonFacts
    # None: the person never stated a preference (the rulebook's default applies).
    alarm: AlarmPreference | None
    # Equal to calendar_repo.version(): the cache keys of both paths must agree.
    store_version: tuple[int, int]


_token = CalendarFeedTokenRow.__table__
_person = PersonRow.__table__
_member = MemberRow.__table__
_role = PersonRoleRow.__table__
_preference = CalendarPreferenceRow.__table__
_event = CalendarEventRow.__table__

_EVENT_COUNT = select(func.count(_event.c.uid)).scalar_subquery()
_REVISION_SUM = select(
    func.coalesce(func.sum(_event.c.revision), literal_column("0"))
).scalar_subquery()

_QUERY = (
    select(
        _token.c.digest,
        _token.c.person_id,
        _token.c.scope,
        _person.c.name,
        _person.c.member_id,
        _member.c.pillar,
        _member.c.status,
        _role.c.role,
        _preference.c.person_id.label("stated"),
        _preference.c.alarm_minutes_before,
        _person.c.language,
        _EVENT_COUNT.label("events"),
        _REVISION_SUM.label("revisions"),
    )
    .select_from(
        _token.join(_person, _person.c.id == _token.c.person_id)
        .outerjoin(_member, _member.c.id == _person.c.member_id)
        .outerjoin(_role, _role.c.person_id == _person.c.id)
        .outerjoin(_preference, _preference.c.person_id == _person.c.id)
    )
    .where(_token.c.digest == bindparam("digest"), _token.c.revoked_at.is_(None))
)


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    positional: bool


_COMPILED: dict[tuple[str, str], _Compiled] = {}


def _compiled(engine: Engine) -> _Compiled:
    """The query's SQL for this engine's dialect, compiled once per process."""
    # By driver too: drivers of one database differ in parameter style.
    key = (engine.dialect.name, engine.dialect.driver)
    known = _COMPILED.get(key)
    if known is None:
        compiled = _QUERY.compile(dialect=engine.dialect)
        # The digest is the only parameter, so binding it needs no help from SQLAlchemy.
        if set(compiled.params) != {"digest"}:
            raise RuntimeError(f"the feed lookup binds {sorted(compiled.params)}, not the digest")
        known = _Compiled(str(compiled), compiled.positional)
        _COMPILED[key] = known
    return known


def token_facts(engine: Engine, token: str) -> TokenFacts | None:
    """The facts behind a live token, or None for an unknown, revoked or person-less one.

    Runs on a pooled DBAPI connection, past SQLAlchemy's execution machinery: that machinery
    (connection wrapper, transaction events, result processing) took two thirds of the lookup's
    time, and this statement needs none of it. One statement is its own consistent snapshot;
    the pool rolls the connection back when it is returned.
    """
    wanted = digest(token)
    query = _compiled(engine)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(query.sql, (wanted,) if query.positional else {"digest": wanted})
        rows = cursor.fetchall()
        cursor.close()
    finally:
        connection.close()
    # The index found the row by digest; the last comparison is constant-time all the same.
    if not rows or not hmac.compare_digest(rows[0][0], wanted):
        return None
    (
        _,
        person_id,
        scope,
        name,
        member_id,
        pillar,
        status,
        _,
        stated,
        minutes,
        language,
        events,
        revisions,
    ) = rows[0]
    person = PersonFacts(
        person_id=person_id,
        name=name,
        roles=frozenset(row[7] for row in rows if row[7] is not None),
        member_id=member_id,
        pillar=pillar,
        member_status=status,
        language=language,
    )
    alarm = None if stated is None else AlarmPreference(minutes)
    return TokenFacts(FeedGrant(person_id, scope), person, alarm, (int(events), int(revisions)))
