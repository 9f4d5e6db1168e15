"""Feed tokens: random, stored as hashes only, reset and revoked at once, always audited."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from governance.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from governance.rulebook.model import Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import feed_tokens as feed_token_repo
from govsched.persistence.tables import CalendarFeedTokenRow, PersonRoleRow
from govsched.services.feeds import tokens as feed_tokens
from govsched.services.feeds.calendars import token_request
from tests.feeds.feed_data import FOCAL_POINT, OUTSIDER, SECRETARIAT, seeded

AT = datetime(2027, 1, 5, 9, tzinfo=UTC)


def test_a_token_carries_at_least_128_random_bits_and_only_its_hash_is_stored(
    db: Database,
) -> None:
    seeded(db)
    with db.writing() as session:
        tokens = [
            feed_tokens.issue(session, person, "person", person, AT).token
            for person in (SECRETARIAT, FOCAL_POINT, OUTSIDER)
        ]
    assert len(set(tokens)) == 3
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    with db.reading() as session:
        rows = session.scalars(select(CalendarFeedTokenRow)).all()
        stored = {value for row in rows for value in (row.digest, row.person_id, row.scope)}
        audit_text = repr(audit_repo.entries(session))
    assert not any(token in value for token in tokens for value in stored)
    assert not any(token in audit_text for token in tokens)
    assert {row.digest for row in rows} == {feed_token_repo.digest(t) for t in tokens}


def test_a_reset_kills_the_old_token_at_once_and_both_acts_are_audited(db: Database) -> None:
    seeded(db)
    with db.writing() as session:
        first = feed_tokens.issue(session, OUTSIDER, "person", OUTSIDER, AT)
    with db.writing() as session:
        second = feed_tokens.issue(session, OUTSIDER, "person", OUTSIDER, AT + timedelta(hours=1))
    assert (first.action, second.action) == ("issue", "reset")
    with db.reading() as session:
        assert feed_token_repo.grant_for(session, first.token) is None
        grant = feed_token_repo.grant_for(session, second.token)
        actions = [e.action for e in audit_repo.entries(session, "calendar_feed", OUTSIDER)]
    assert grant == feed_token_repo.FeedGrant(OUTSIDER, "person")
    assert actions == ["calendar_feed.issue", "calendar_feed.reset"]


def test_issue_without_replace_refuses_a_second_live_token(db: Database) -> None:
    seeded(db)
    with db.writing() as session:
        feed_tokens.issue(session, OUTSIDER, "person", "system", AT)
    with db.writing() as session, pytest.raises(Conflict, match="already has"):
        feed_tokens.issue(session, OUTSIDER, "person", "system", AT, replace=False)


def test_the_secretariat_revokes_every_feed_of_a_person_and_it_is_audited(db: Database) -> None:
    seeded(db)
    with db.writing() as session:
        own = feed_tokens.issue(session, FOCAL_POINT, "person", FOCAL_POINT, AT)
        role = feed_tokens.issue(session, FOCAL_POINT, "role:steering_committee", FOCAL_POINT, AT)
    with db.writing() as session:
        revoked = feed_tokens.revoke(session, FOCAL_POINT, SECRETARIAT, AT + timedelta(days=1))
    assert revoked == ["person", "role:steering_committee"]
    with db.reading() as session:
        assert feed_token_repo.grant_for(session, own.token) is None
        assert feed_token_repo.grant_for(session, role.token) is None
        (entry,) = [e for e in audit_repo.entries(session) if e.action == "calendar_feed.revoke"]
    assert (entry.actor, entry.item_id, entry.data) == (
        SECRETARIAT,
        FOCAL_POINT,
        {"scopes": ["person", "role:steering_committee"]},
    )


def test_feeds_of_roles_and_pillars_need_the_role_or_the_pillar(db: Database) -> None:
    seeded(db)
    with db.writing() as session:
        with pytest.raises(Forbidden, match="steering_committee"):
            feed_tokens.issue(session, OUTSIDER, "role:steering_committee", OUTSIDER, AT)
        with pytest.raises(Forbidden, match="company"):
            feed_tokens.issue(session, OUTSIDER, "pillar:company", OUTSIDER, AT)
        with pytest.raises(InvalidInput, match="scope"):
            feed_tokens.issue(session, OUTSIDER, "role:king", OUTSIDER, AT)
        with pytest.raises(NotFound):
            feed_tokens.issue(session, "nobody-here", "person", "system", AT)
        # The Secretariat may follow any pillar; a member's people follow their own.
        feed_tokens.issue(session, SECRETARIAT, "pillar:company", SECRETARIAT, AT)
        feed_tokens.issue(session, OUTSIDER, "pillar:government", OUTSIDER, AT)


def test_leaving_a_role_closes_its_feed_without_anyone_revoking_it(db: Database) -> None:
    seeded(db)
    with db.writing() as session:
        issued = feed_tokens.issue(session, FOCAL_POINT, "role:steering_committee", "system", AT)
    with db.reading() as session:
        assert token_request(session, Rulebook(), issued.token, AT) is not None
    with db.writing() as session:
        role = session.get(PersonRoleRow, (FOCAL_POINT, "steering_committee"))
        assert role is not None
        session.delete(role)
    with db.reading() as session:
        assert token_request(session, Rulebook(), issued.token, AT) is None


def test_unknown_and_malformed_tokens_open_nothing(db: Database) -> None:
    seeded(db)
    with db.reading() as session:
        for token in ("", "x", "public", "A" * 43, "%00", "../../etc/passwd"):
            assert token_request(session, Rulebook(), token, AT) is None


def test_urls_are_offered_as_https_and_webcal() -> None:
    issued = feed_tokens.IssuedFeed("p", "person", "tok_en-1", "issue")
    assert issued.url("https://vpi.example/") == "https://vpi.example/calendars/tok_en-1.ics"
    assert issued.webcal_url("https://vpi.example") == "webcal://vpi.example/calendars/tok_en-1.ics"
