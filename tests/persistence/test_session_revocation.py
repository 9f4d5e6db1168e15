"""Generated histories of signing in (with tokens or links), signing out, revoking one token,
revoking all of a person's tokens and ending all their sessions: a web session is live exactly
while it was not ended and the token it was started with (if any) is not revoked (issue 17)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from governance.kernel.audit import SYSTEM_ACTOR
from governance.kernel.model import Person, Role
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import web_sessions as web_session_repo
from govsched.persistence.tables import ApiTokenRow
from govsched.services.sessions import end_sessions, revoke_tokens

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
LASTS = timedelta(hours=12)
_people = itertools.count()

steps = st.lists(
    st.one_of(
        st.tuples(st.just("sign_in_with_token"), st.integers(0, 2)),
        st.tuples(st.just("sign_in_with_link"), st.just(0)),
        st.tuples(st.just("sign_out"), st.integers(0, 9)),
        st.tuples(st.just("revoke_token"), st.integers(0, 2)),
        st.tuples(st.just("revoke_all_tokens"), st.just(0)),
        st.tuples(st.just("end_all_sessions"), st.just(0)),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=steps)
def test_a_session_lives_while_it_is_not_ended_and_its_token_is_not_revoked(
    sqlite_db: Database, history: list[tuple[str, int]]
) -> None:
    person = f"person-{next(_people)}"
    with sqlite_db.writing() as session:
        registry_repo.save_person(
            session,
            Person(id=person, name="P", email=f"{person}@x.example", roles=frozenset({Role.CHAIR})),
        )
    slots: dict[int, str] = {}  # the token a person holds in each of three slots
    revoked: set[str] = set()
    sessions: list[tuple[str, str | None]] = []  # secret, the token it was started with
    ended: set[str] = set()
    for minute, (step, n) in enumerate(history, start=1):
        at = T0 + timedelta(minutes=minute)
        with sqlite_db.writing() as session:
            if step == "sign_in_with_token":
                if n not in slots or slots[n] in revoked:  # a revoked token signs nobody in
                    slots[n] = token_repo.issue(session, person, at)
                sessions.append(
                    (web_session_repo.start(session, person, at, LASTS, slots[n]), slots[n])
                )
            elif step == "sign_in_with_link":
                sessions.append((web_session_repo.start(session, person, at, LASTS), None))
            elif step == "sign_out" and sessions:
                secret = sessions[n % len(sessions)][0]
                web_session_repo.end(session, secret, at)
                ended.add(secret)
            elif step == "revoke_token" and n in slots:
                session.execute(
                    update(ApiTokenRow)
                    .where(ApiTokenRow.digest == token_repo.digest(slots[n]))
                    .values(revoked_at=at)
                )
                revoked.add(slots[n])
            elif step == "revoke_all_tokens":
                revoke_tokens(session, person, SYSTEM_ACTOR, at)
                revoked |= set(slots.values())
                ended |= {s for s, _ in sessions}
            elif step == "end_all_sessions":
                end_sessions(session, person, SYSTEM_ACTOR, at)
                ended |= {s for s, _ in sessions}
        with sqlite_db.reading() as session:
            for secret, token in sessions:
                live = secret not in ended and (token is None or token not in revoked)
                found = web_session_repo.person_for(session, secret, at)
                assert found == (person if live else None), (step, token, history)
