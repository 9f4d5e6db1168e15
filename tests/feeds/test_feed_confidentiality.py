"""Confidential items reach exactly the feeds of people entitled to them, and no other feed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar

from governance.kernel.calendar import VOTING_MEMBERS, role_audience
from governance.kernel.model import MemberStatus, Person, Pillar, Role
from governance.rulebook.model import Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.services.feeds.export import write_feeds
from tests.feeds.feed_data import CONFIDENTIAL, seeded

NOW = datetime(2027, 1, 10, tzinfo=UTC)


def uids(path: Path) -> set[str]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def person_entitled(person: Person, audiences: frozenset[str], voting_member: bool) -> bool:
    """Written out from the rules in the README, not from governance.kernel.calendar."""
    if Role.SECRETARIAT in person.roles and role_audience(Role.SECRETARIAT) in audiences:
        return True
    if (
        Role.STEERING_COMMITTEE in person.roles
        and role_audience(Role.STEERING_COMMITTEE) in audiences
    ):
        return True
    return VOTING_MEMBERS in audiences and Role.FOCAL_POINT in person.roles and voting_member


def test_no_feed_but_the_entitled_ones_contains_a_confidential_item(
    db: Database, tmp_path: Path
) -> None:
    seeded(db)
    written = {p.name: p for p in write_feeds_of(db, tmp_path)}
    with db.reading() as session:
        people = registry_repo.list_people(session)
        # a voting member: Full, and not an observer (who is Full while active but never votes)
        voting = {
            p.id: (facts := registry_repo.member_facts(session, p.member)) is not None
            and facts.status is MemberStatus.FULL
            and facts.pillar is not Pillar.OBSERVER
            for p in people
        }
    expected: dict[str, set[str]] = {name: set() for name in written}
    for secret in CONFIDENTIAL:
        for person in people:
            if person_entitled(person, secret.audiences, voting[person.id]):
                expected[f"person-{person.id}.ics"].add(secret.uid)
        for role in Role:
            if role_audience(role) in secret.audiences:
                expected[f"role-{role.value}.ics"].add(secret.uid)
    secret_uids = {s.uid for s in CONFIDENTIAL}
    found = {name: uids(path) & secret_uids for name, path in written.items()}
    assert found == expected
    # The test has teeth: some feeds hold each secret, and most hold none.
    assert all(any(s.uid in f for f in found.values()) for s in CONFIDENTIAL)
    secretariat_only = CONFIDENTIAL[2].uid
    assert {name for name, f in found.items() if secretariat_only in f} == {
        "person-sec-amina-okafor.ics",
        "person-sec-jonas-lindqvist.ics",
        "role-secretariat.ics",
    }
    assert found["public.ics"] == set()
    assert all(found[f"pillar-{p}.ics"] == set() for p in ("government", "company", "ngo"))


def write_feeds_of(db: Database, out: Path) -> list[Path]:
    with db.reading() as session:
        return write_feeds(session, Rulebook(), NOW, out, "https://vpi.example")
