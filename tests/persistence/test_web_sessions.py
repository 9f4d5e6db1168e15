"""Browser sessions and one-time sign-in links: kept as digests, expiring, links used once."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from governance.kernel.model import Person, Role
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import web_sessions as web_session_repo
from govsched.persistence.tables import SignInLinkRow, WebSessionRow

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
HOURS_12 = timedelta(hours=12)
PERSON = "sec-amina-okafor"


def _person(db: Database) -> None:
    with db.writing() as session:
        registry_repo.save_person(
            session,
            Person(
                id=PERSON,
                name="Amina Okafor",
                email="amina@secretariat.example",
                roles=frozenset({Role.SECRETARIAT}),
            ),
        )


def test_a_session_is_kept_as_a_digest_and_expires(db: Database) -> None:
    _person(db)
    with db.writing() as session:
        secret = web_session_repo.start(session, PERSON, T0, HOURS_12)
    with db.reading() as session:
        digests = session.scalars(select(WebSessionRow.digest)).all()
        assert digests == [hashlib.sha256(secret.encode()).hexdigest()]
        assert web_session_repo.person_for(session, secret, T0 + timedelta(hours=11)) == PERSON
        assert web_session_repo.person_for(session, secret, T0 + HOURS_12) is None
        assert web_session_repo.person_for(session, secret + "x", T0) is None


def test_an_ended_session_opens_nothing(db: Database) -> None:
    _person(db)
    with db.writing() as session:
        first = web_session_repo.start(session, PERSON, T0, HOURS_12)
        second = web_session_repo.start(session, PERSON, T0, HOURS_12)
    with db.writing() as session:
        web_session_repo.end(session, first, T0 + timedelta(minutes=5))
    with db.reading() as session:
        assert web_session_repo.person_for(session, first, T0 + timedelta(minutes=6)) is None
        assert web_session_repo.person_for(session, second, T0 + timedelta(minutes=6)) == PERSON
    with db.writing() as session:
        assert web_session_repo.end_all(session, PERSON, T0 + timedelta(minutes=7)) == 1
    with db.reading() as session:
        assert web_session_repo.person_for(session, second, T0 + timedelta(minutes=8)) is None


def test_a_link_signs_in_once_and_only_before_it_expires(db: Database) -> None:
    _person(db)
    with db.writing() as session:
        link = web_session_repo.issue_link(session, PERSON, PERSON, T0, timedelta(days=3))
        stale = web_session_repo.issue_link(session, PERSON, PERSON, T0, timedelta(days=3))
    with db.writing() as session:
        assert web_session_repo.redeem_link(session, link, T0 + timedelta(days=1)) == PERSON
    with db.writing() as session:
        assert web_session_repo.redeem_link(session, link, T0 + timedelta(days=1)) is None
        assert web_session_repo.redeem_link(session, stale, T0 + timedelta(days=3)) is None
        assert web_session_repo.redeem_link(session, "unknown", T0) is None
    with db.reading() as session:
        used = session.get(SignInLinkRow, hashlib.sha256(link.encode()).hexdigest())
        assert used is not None
        assert used.used_at == T0 + timedelta(days=1)


def test_concurrent_redemptions_of_one_link_sign_in_once(db: Database) -> None:
    _person(db)
    with db.writing() as session:
        link = web_session_repo.issue_link(session, PERSON, PERSON, T0, timedelta(days=3))

    def redeem(_: int) -> str | None:
        with db.writing() as session:
            return web_session_repo.redeem_link(session, link, T0 + timedelta(hours=1))

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(redeem, range(4)))
    assert results.count(PERSON) == 1
    assert results.count(None) == 3
