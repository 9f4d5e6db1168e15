"""API tokens: handed out once in clear, kept only as digests."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from governance.kernel.model import Person, Role
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import ApiTokenRow

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")


def _people(db: Database) -> None:
    with db.writing() as session:
        for person_id, name in (("sec-amina-okafor", "Amina Okafor"), ("sec-jonas", "Jonas L")):
            registry_repo.save_person(
                session,
                Person(
                    id=person_id,
                    name=name,
                    email=f"{person_id}@secretariat.example",
                    roles=frozenset({Role.SECRETARIAT}),
                ),
            )


def _issue(db: Database, person_id: str, label: str = "") -> str:
    with db.writing() as session:
        return token_repo.issue(session, person_id, T0, label)


def _person_for(db: Database, token: str) -> str | None:
    with db.reading() as session:
        return token_repo.person_for(session, token)


def test_a_token_is_long_url_safe_and_stored_only_as_its_digest(db: Database) -> None:
    _people(db)

    token = _issue(db, "sec-amina-okafor", "laptop")

    assert len(token) >= 43
    assert URL_SAFE.fullmatch(token)
    with db.reading() as session:
        rows = session.execute(text("SELECT * FROM api_tokens")).mappings().all()
    assert len(rows) == 1
    (row,) = rows
    assert row["digest"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["person_id"] == "sec-amina-okafor"
    assert row["label"] == "laptop"
    assert row["revoked_at"] is None
    assert all(token not in str(value) for value in row.values())


def test_two_tokens_differ(db: Database) -> None:
    _people(db)

    first = _issue(db, "sec-amina-okafor")
    second = _issue(db, "sec-amina-okafor")

    assert first != second
    assert _person_for(db, first) == _person_for(db, second) == "sec-amina-okafor"


def test_a_token_finds_its_person_and_a_wrong_token_finds_nobody(db: Database) -> None:
    _people(db)
    amina = _issue(db, "sec-amina-okafor")
    jonas = _issue(db, "sec-jonas")

    assert _person_for(db, amina) == "sec-amina-okafor"
    assert _person_for(db, jonas) == "sec-jonas"
    assert _person_for(db, amina[:-1]) is None
    assert _person_for(db, amina.upper() if amina != amina.upper() else amina.lower()) is None
    assert _person_for(db, "") is None
    # The digest itself is not a token.
    assert _person_for(db, token_repo.digest(amina)) is None


def test_revoke_all_revokes_every_token_of_the_person(db: Database) -> None:
    _people(db)
    tokens = [_issue(db, "sec-amina-okafor", f"device {i}") for i in range(3)]
    other = _issue(db, "sec-jonas")
    revoked_at = T0 + timedelta(days=1)

    with db.writing() as session:
        assert token_repo.revoke_all(session, "sec-amina-okafor", revoked_at) == 3
    with db.writing() as session:
        # Already revoked tokens are not revoked again.
        assert token_repo.revoke_all(session, "sec-amina-okafor", revoked_at) == 0

    assert [_person_for(db, t) for t in tokens] == [None, None, None]
    assert _person_for(db, other) == "sec-jonas"
    with db.reading() as session:
        stored = {row.digest: row.revoked_at for row in session.scalars(select(ApiTokenRow))}
    assert {stored[token_repo.digest(t)] for t in tokens} == {revoked_at}
    assert stored[token_repo.digest(other)] is None
