"""The one-query request path: every change is seen by the very next request, on both databases.

Each write below goes through its own transaction, as another process (the worker, the CLI, a
second API process) would make it; the cache lives on between them as it does in the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar
from sqlalchemy import event

from governance.kernel.calendar import EventStatus, person_audience, role_audience
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.rulebook.model import Rulebook
from govsched.feeds.cache import FeedCache, RenderedFeed
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import calendar_preferences as calendar_preference_repo
from govsched.persistence.tables import MemberRow, PersonRoleRow, PersonRow
from govsched.services.feeds import tokens as feed_tokens
from govsched.services.feeds import warming as feed_warming
from govsched.services.feeds.calendars import person_feed
from govsched.services.feeds.serving import serve_token
from tests.feeds.feed_data import DOMAIN, FOCAL_POINT, OUTSIDER, SECRETARIAT, item, seeded

AT = datetime(2027, 1, 5, 9, tzinfo=UTC)
BASE = "https://vpi.example"
RULEBOOK = Rulebook()


def serve(db: Database, cache: FeedCache, token: str, now: datetime = AT) -> RenderedFeed | None:
    return serve_token(db, RULEBOOK, cache, token, now, BASE)


def uids(feed: RenderedFeed | None) -> set[str]:
    assert feed is not None
    return {str(e["UID"]) for e in Calendar.from_ical(feed.body).walk("VEVENT")}


def issue(db: Database, person: str, scope: str = "person") -> str:
    with db.writing() as session:
        return feed_tokens.issue(session, person, scope, person, AT).token


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The data statements the database runs inside the block, however they are sent.

    The lookup goes past SQLAlchemy to a DBAPI connection, so SQLAlchemy's events would not see
    it: SQLite reports every statement itself (its trace callback, set on fresh connections),
    PostgreSQL's driver has no such hook and only SQLAlchemy's statements are seen there.
    """
    seen: list[str] = []
    data = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")

    def record(sql: str) -> None:
        if sql.strip().upper().startswith(data):
            seen.append(sql)

    def traced(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(record)

    def sent(*args: Any) -> None:
        record(str(args[2]))

    sqlite = db.engine.dialect.name == "sqlite"
    db.engine.dispose()  # new connections, so each gets the trace callback
    if sqlite:
        event.listen(db.engine, "connect", traced)
    else:
        event.listen(db.engine, "before_cursor_execute", sent)
    try:
        yield seen
    finally:
        if sqlite:
            event.remove(db.engine, "connect", traced)
            db.engine.dispose()
        else:
            event.remove(db.engine, "before_cursor_execute", sent)


def expected_lookups(db: Database) -> int:
    return 1 if db.engine.dialect.name == "sqlite" else 0


def test_a_cached_feed_costs_one_query_and_no_render(db: Database) -> None:
    seeded(db)
    token, cache = issue(db, OUTSIDER), FeedCache()
    first = serve(db, cache, token)
    with statements(db) as seen:
        again = serve(db, cache, token)
    assert again is first
    assert len(seen) == expected_lookups(db), seen


def test_the_fast_path_serves_what_the_warm_up_job_rendered(db: Database) -> None:
    seeded(db)
    token, cache = issue(db, FOCAL_POINT, "role:steering_committee"), FeedCache()
    feed_warming.warm(cache, db, RULEBOOK, AT, BASE)
    warmed = len(cache)
    with statements(db) as seen:
        served = serve(db, cache, token)
    # One query and no render: both paths build the same cache name and version.
    assert len(seen) == expected_lookups(db), seen
    assert len(cache) == warmed
    assert f"sc-call-2027-03@{DOMAIN}" in uids(served)


def test_each_person_gets_their_own_feed_and_nobody_elses(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    tokens = {person: issue(db, person) for person in (SECRETARIAT, FOCAL_POINT, OUTSIDER)}
    for _ in range(2):  # the second round is served from the cache
        for person, token in tokens.items():
            with db.reading() as session:
                expected = person_feed(session, RULEBOOK, person, AT, BASE)
            served = serve(db, cache, token)
            assert served is not None
            assert served.body == expected.body, person


def test_a_reset_closes_the_old_url_at_once(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    old = issue(db, OUTSIDER)
    assert serve(db, cache, old) is not None
    new = issue(db, OUTSIDER)
    assert serve(db, cache, old) is None
    assert serve(db, cache, new) is not None


def test_a_revocation_closes_every_url_at_once(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    own, role = issue(db, FOCAL_POINT), issue(db, FOCAL_POINT, "role:steering_committee")
    assert serve(db, cache, own) is not None
    assert serve(db, cache, role) is not None
    with db.writing() as session:
        feed_tokens.revoke(session, FOCAL_POINT, SECRETARIAT, AT)
    assert serve(db, cache, own) is None
    assert serve(db, cache, role) is None


def test_leaving_a_role_closes_its_feed_and_empties_it_from_the_persons_feed(
    db: Database,
) -> None:
    seeded(db)
    cache = FeedCache()
    own, role = issue(db, FOCAL_POINT), issue(db, FOCAL_POINT, "role:steering_committee")
    sc_call = f"sc-call-2027-03@{DOMAIN}"
    review = f"application-ngo-x-review@{DOMAIN}"
    assert {sc_call, review} <= uids(serve(db, cache, own))
    assert sc_call in uids(serve(db, cache, role))
    with db.writing() as session:
        row = session.get(PersonRoleRow, (FOCAL_POINT, Role.STEERING_COMMITTEE.value))
        assert row is not None
        session.delete(row)
    assert serve(db, cache, role) is None
    left = uids(serve(db, cache, own))
    assert sc_call not in left
    assert review not in left  # the confidential review went with the seat


def test_gaining_a_role_shows_its_items_at_once(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    own = issue(db, OUTSIDER)
    chair_task = f"chair-task-2027@{DOMAIN}"
    assert chair_task not in uids(serve(db, cache, own))
    with db.writing() as session:
        session.add(PersonRoleRow(person_id=OUTSIDER, role=Role.CHAIR.value))
    assert chair_task in uids(serve(db, cache, own))


def test_a_member_leaving_full_status_loses_the_full_members_items(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    own = issue(db, OUTSIDER)
    no_objection = f"application-ngo-x-no-objection@{DOMAIN}"
    assert no_objection in uids(serve(db, cache, own))
    with db.writing() as session:
        person = session.get(PersonRow, OUTSIDER)
        assert person is not None
        assert person.member_id is not None
        member = session.get(MemberRow, person.member_id)
        assert member is not None
        member.status = MemberStatus.ENGAGED.value
    assert no_objection not in uids(serve(db, cache, own))


def test_an_observers_focal_point_never_gets_what_only_voting_members_receive(
    db: Database,
) -> None:
    """Observers are Full while active but do not vote: the no-objection period is not theirs,
    in the token path as in the export, and a voting member that becomes an observer loses it."""
    seeded(db)
    cache = FeedCache()
    no_objection = f"application-ngo-x-no-objection@{DOMAIN}"
    observer = issue(db, "fp-obs-organisation-for-economic-dialogue")
    assert no_objection not in uids(serve(db, cache, observer))
    own = issue(db, OUTSIDER)
    assert no_objection in uids(serve(db, cache, own))
    with db.writing() as session:
        person = session.get(PersonRow, OUTSIDER)
        assert person is not None
        member = session.get(MemberRow, person.member_id)
        assert member is not None
        member.pillar = Pillar.OBSERVER.value
    assert no_objection not in uids(serve(db, cache, own))


def test_a_new_alarm_preference_is_in_the_next_response(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    own = issue(db, OUTSIDER)
    default = serve(db, cache, own)
    assert default is not None
    assert b"TRIGGER:-P1D" in default.body
    with db.writing() as session:
        calendar_preference_repo.set_alarm(session, OUTSIDER, 45, AT)
    changed = serve(db, cache, own)
    assert changed is not None
    assert b"TRIGGER:-PT45M" in changed.body
    assert changed.etag != default.etag
    with db.writing() as session:
        calendar_preference_repo.set_alarm(session, OUTSIDER, None, AT)
    silent = serve(db, cache, own)
    assert silent is not None
    assert b"BEGIN:VALARM" not in silent.body


def test_a_new_changed_or_cancelled_event_is_in_the_next_response(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    own = issue(db, OUTSIDER)
    before = serve(db, cache, own)
    assert before is not None
    slot = item(
        "briefing-lusmark",
        kind="meeting",
        start_date=date(2027, 2, 1),
        audiences=frozenset({person_audience(OUTSIDER)}),
    )
    with db.writing() as session:
        calendar_repo.upsert(session, slot, AT)
    added = serve(db, cache, own)
    assert f"briefing-lusmark@{DOMAIN}" in uids(added)
    assert added is not None
    assert added.etag != before.etag
    with db.writing() as session:
        moved = slot.model_copy(update={"start_date": date(2027, 2, 3)})
        calendar_repo.upsert(session, moved, AT + timedelta(minutes=1))
    after_move = serve(db, cache, own)
    assert after_move is not None
    assert b"DTSTART;VALUE=DATE:20270203" in after_move.body
    with db.writing() as session:
        cancelled = moved.model_copy(update={"status": EventStatus.CANCELLED})
        calendar_repo.upsert(session, cancelled, AT + timedelta(minutes=2))
    after_cancel = serve(db, cache, own)
    assert after_cancel is not None
    event_text = after_cancel.body.split(b"UID:briefing-lusmark")[1].split(b"END:VEVENT")[0]
    assert b"STATUS:CANCELLED" in event_text


def test_an_event_for_someone_else_changes_the_version_but_never_leaks(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    own = issue(db, OUTSIDER)
    before = serve(db, cache, own)
    with db.writing() as session:
        secret = item(
            "sc-only-retreat",
            audiences=frozenset({role_audience(Role.STEERING_COMMITTEE)}),
            confidential=True,
        )
        calendar_repo.upsert(session, secret, AT)
    after = serve(db, cache, own)
    assert after is not None
    assert before is not None
    assert f"sc-only-retreat@{DOMAIN}" not in uids(after)
    assert after.body == before.body
    assert after.etag == before.etag


def test_a_new_day_is_a_new_version(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    own = issue(db, OUTSIDER)
    today = serve(db, cache, own)
    with statements(db) as seen:
        tomorrow = serve(db, cache, own, AT + timedelta(days=1))
    assert today is not None
    assert tomorrow is not None
    # A render on the day change: the cancelled items' retention is counted in days.
    assert len(seen) > expected_lookups(db)


def test_unknown_and_malformed_tokens_open_nothing_on_the_fast_path(db: Database) -> None:
    seeded(db)
    cache = FeedCache()
    issue(db, OUTSIDER)
    for token in ("", "x", "public", "A" * 43, "%00", "../../etc/passwd", "' OR 1=1 --"):
        assert serve(db, cache, token) is None
    assert len(cache) == 0
